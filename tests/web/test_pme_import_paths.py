"""Every import path is the same import (issue 17, item 3): the seed imported by the CLI, the
web page and the API gives the same deadlines, references and assessment, on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user
from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.deadline_store import current_deadlines, source_report
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.references import find_references
from alianza.pme.service import SEED_REPORT
from alianza.settings import load_settings
from alianza.web import create_app
from tests.conftest import postgres_database
from tests.web.conftest import PASSWORD, csrf_of, log_in

STATUS_DATE = date(1999, 8, 31)


@contextmanager
def empty_database_url(url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the backend of ``url``."""
    if url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    with postgres_database() as other:
        yield other


def seed_deadline_phrases() -> int:
    """Target paragraphs of the seed holding a "By <month>" or "Within" phrase (read from the
    file, independently of the deadline parser)."""
    import re

    count = 0
    for line in SEED_REPORT.read_text("utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 5 and re.match(r"^(<p>)?\d+\.\d", cells[0]):
            count += len([p for p in cells[2].split("<p>") if p.strip()])
    return count


def import_by(path: str, database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        create_user(
            session,
            username="coordinator",
            password=PASSWORD,
            role=Role.COORDINATOR,
            country=Country.US,
            agency="TEST",
            actor=NodeSelf("test"),
        )
    settings = load_settings(home=tmp_path / f"home-{path}", env="test")
    with TestClient(create_app(settings, database), follow_redirects=False) as client:
        log_in(client, "coordinator")
        token = csrf_of(client, "/pme")
        files = {"file": (SEED_REPORT.name, SEED_REPORT.read_bytes())}
        if path == "web":
            response = client.post("/pme/import", files=files, data={"csrf_token": token})
        else:
            response = client.post(
                "/api/v1/pme/imports", files=files, headers={"X-CSRF-Token": token}
            )
        assert response.status_code == 200, response.text


def what_import_gave(database: Database) -> dict[str, Any]:
    with database.reader() as session:
        deadlines = {
            f"{a}/targets/{p}": stored.deadline.as_dict()
            for (a, p), stored in current_deadlines(session, DEFAULT_PLAN).items()
        }
        references = [
            (r.source, r.target, r.resolved)
            for r in find_references(source_report(session, DEFAULT_PLAN))
        ]
        assessment = assess_plan(session, STATUS_DATE).as_dict()
    return {"deadlines": deadlines, "references": references, "assessment": assessment}


@pytest.fixture
def cli_result(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, Any]]:
    """What ``alianza pme import`` gave, on another database of the same backend."""
    with empty_database_url(database_url, tmp_path) as url:
        monkeypatch.setenv("ALIANZA_DATABASE_URL", url)
        monkeypatch.setenv("ALIANZA_COUNTRY", "US")
        home = tmp_path / "home-cli"
        home.mkdir()
        result = CliRunner().invoke(cli, ["--home", str(home), "pme", "import", str(SEED_REPORT)])
        assert result.exit_code == 0, result.output
        database = Database(url, country="US")
        try:
            yield what_import_gave(database)
        finally:
            database.dispose()


@pytest.mark.parametrize("path", ["web", "api"])
def test_import_seed_by_web_or_api_gives_what_the_cli_import_gives(
    path: str, fresh_db: Database, cli_result: dict[str, Any], tmp_path: Path
) -> None:
    import_by(path, fresh_db, tmp_path)
    got = what_import_gave(fresh_db)
    # The figures of the issue, read off the seed by a person: 25 targets, each with a
    # deadline row; 8 overdue, 3 not due, 1 waiting on an event, 13 without a deadline.
    assert len(got["deadlines"]) == seed_deadline_phrases() == 25
    states = Counter(
        t["state"]
        for p in got["assessment"]["alliance_points"]
        for a in p["actions"]
        for t in a["targets"]
    )
    assert states == {"overdue": 8, "not_due": 3, "waiting_on_event": 1, "no_deadline": 13}
    assert got["deadlines"] == cli_result["deadlines"]
    assert got["references"] == cli_result["references"]
    assert got["assessment"] == cli_result["assessment"]
