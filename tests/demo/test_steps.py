"""The demo's steps (alianza.demo.steps), each on an embedded node."""

from __future__ import annotations

import pytest

from alianza.db import Database
from alianza.demo.steps import demo_cooperation


def test_the_cooperation_step_reproduces_the_1999_statuses(
    seeded_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_cooperation(seeded_db)
    text = capsys.readouterr().out
    block = text.split("10.4.1/measurements/1")[1].split("records:")[0]
    assert "8 of 9 BLMs" in block
    assert "-> overdue" in block
    liaison = text.split("10.4/measurements/1")[1].split("records:")[0]
    assert "(US 1; MX's posts are held on the MX node)" in liaison  # the USCS attaché
