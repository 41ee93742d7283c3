"""Every ``alianza risk`` command and option appears in docs/risk.md."""

from __future__ import annotations

from pathlib import Path

import click

from alianza.cli.risk import risk

DOCS = Path(__file__).resolve().parents[2] / "docs" / "risk.md"


def test_docs_mention_every_risk_command_and_option() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = []
    assert isinstance(risk, click.Group)
    for name, command in risk.commands.items():
        if f"alianza risk {name}" not in text:
            missing.append(f"command {name}")
        for param in command.params:
            if isinstance(param, click.Option):
                for flag in param.opts:
                    if flag.startswith("--") and flag not in text:
                        missing.append(f"{name} {flag}")
    assert missing == []
