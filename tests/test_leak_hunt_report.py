"""The leak hunt's report and command line in the user's language (issue 18): the same figures,
the words from the catalogue."""

from __future__ import annotations

from collections import Counter

import pytest

from alianza.leak_hunt import Finding, HuntReport, RoleResult, main


def report() -> HuntReport:
    roles = [
        RoleResult("US", "analyst-us", fetched=120, bytes=3 * 2**20, downloads=16,
                   statuses=Counter({200: 118, 403: 2})),
    ]  # fmt: skip
    findings = [Finding("MX", "analista-mx /seizures", "SENTINEL-US-3c9e")]
    return HuntReport(roles, findings, {"MX": 57})


def test_the_report_in_english() -> None:
    lines = report().text("en").splitlines()
    assert lines[0].split() == ["node", "user", "fetched", "downloads", "MiB", "statuses"]
    assert lines[1].split() == ["US", "analyst-us", "120", "16", "3.0", "200×118", "403×2"]
    assert lines[2] == "MX database: 57 tables scanned for the partner's sentinels"
    assert lines[3] == "findings: 1"
    assert lines[4] == "  LEAK on the MX node: 'SENTINEL-US-3c9e' in analista-mx /seizures"


def test_the_report_in_spanish_keeps_its_columns() -> None:
    lines = report().text("es").splitlines()
    assert lines[0].split() == ["nodo", "usuario", "obtenidas", "descargas", "MiB", "estados"]
    # each figure ends where its heading ends (right-aligned columns)
    fetched_end = lines[0].index("obtenidas") + len("obtenidas")
    assert lines[1][:fetched_end].endswith("120")
    assert lines[2] == "base de datos MX: 57 tablas revisadas en busca de los centinelas del socio"
    assert lines[3] == "hallazgos: 1"
    assert lines[4] == "  FUGA en el nodo MX: 'SENTINEL-US-3c9e' en analista-mx /seizures"


def test_the_command_line_says_its_usage_errors_in_spanish(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALIANZA_LANGUAGE", "es")
    with pytest.raises(SystemExit):
        main(["--us", "http://a", "--mx", "http://b", "--password", "x", "--plant"],
             accounts={"US": [], "MX": []})  # fmt: skip
    assert "--plant requiere --us-db y --mx-db" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"], accounts={"US": [], "MX": []})
    assert "URL del nodo de EE. UU." in capsys.readouterr().out
