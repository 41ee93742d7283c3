"""A folder this user cannot write is refused in the reader's language, the reason included
(issue 18: ``reason="permission denied"`` was an English literal inside a catalogue message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alianza.operations import problems
from alianza.operations.problems import FolderUnwritable, ensure_writable_folder


def test_an_unwritable_folder_is_refused_with_its_reason_in_spanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problems.os, "access", lambda path, mode: False)  # root writes anywhere
    with pytest.raises(FolderUnwritable) as refused:
        ensure_writable_folder(tmp_path, "ALIANZA_DATA_DIR")
    assert str(refused.value) == (
        f"cannot write to {tmp_path}: permission denied. "
        "Set ALIANZA_DATA_DIR to a folder this user can write"
    )
    assert refused.value.message("es") == (
        f"no se puede escribir en {tmp_path}: permiso denegado. "
        "Ponga en ALIANZA_DATA_DIR una carpeta en la que este usuario pueda escribir"
    )
