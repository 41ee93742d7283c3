"""A node installed without the ``risk`` extra (no LightGBM, hence no SciPy; NumPy is a base
dependency through matplotlib) still migrates and runs every other command; the risk commands
say how to install what they need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
for name in ("lightgbm", "scipy"):
    sys.modules[name] = None  # importing them now raises ImportError
from click.testing import CliRunner
from alianza.cli import cli
from alianza.db.models import all_metadata
assert any(t.startswith("risk_") for t in all_metadata().tables)
runner = CliRunner()
assert runner.invoke(cli, ["risk", "--help"]).exit_code == 0
result = runner.invoke(cli, ["--home", sys.argv[1], "risk", "train"])
print(result.exit_code, result.output.strip())
"""


def test_cli_without_risk_extra_explains_install(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "node")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == "1 Error: the risk commands need the optional extra: pip install 'alianza[risk]'"
    )


WEB_SCRIPT = """
import sys
from pathlib import Path
for name in ("lightgbm", "scipy"):
    sys.modules[name] = None
from fastapi.testclient import TestClient
from alianza.settings import load_settings
from alianza.web import create_app
from alianza.risk.extra import installed
app = create_app(load_settings(home=Path(sys.argv[1]), env="test"))
with TestClient(app, follow_redirects=False) as client:
    print(installed(), client.get("/risk").status_code,
          client.post("/api/v1/risk/scores", json={},
                      headers={"Authorization": "Bearer not-a-token"}).status_code)
"""


def test_web_app_without_risk_extra_serves_the_risk_routes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WEB_SCRIPT, str(tmp_path / "node")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # the app builds; /risk exists and asks for a login (303, not 404); the scoring route exists
    # and answers a bad token 401 before anything else (a token client needs no CSRF token)
    assert done.stdout.strip() == "False 303 401"


DEMO_SCRIPT = """
import sys
from pathlib import Path
for name in ("lightgbm", "scipy"):
    sys.modules[name] = None
from alianza.demo.steps import demo_risk
from alianza.demo.nodes import prepare_node
node = prepare_node(Path(sys.argv[1]), "US")
demo_risk(node.database, node.home)
node.dispose()
"""


def test_demo_skips_targeting_without_risk_extra(tmp_path: Path) -> None:
    """The wheel installed alone (no extras) runs the whole demo: the targeting step says it is
    skipped and why, instead of failing when the model is first trained."""
    done = subprocess.run(
        [sys.executable, "-c", DEMO_SCRIPT, str(tmp_path / "us")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "  skipped: the risk commands need the optional extra: pip install 'alianza[risk]'"
    )
