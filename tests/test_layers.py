"""One door (issue 14, item 4): the shells (``alianza.cli``, ``alianza.web``) reach storage only
through the domains' service functions. This walks every shell module's imports (AST, not
text) and fails on ``sqlalchemy`` or a domain's storage models module."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import alianza

SRC = Path(alianza.__file__).parent
SHELLS = ("cli", "web")
# Shell modules that still query storage themselves; this list only shrinks. Each is a
# ticket: move its queries into its domain's service functions, then drop it from here.
NOT_YET: set[str] = set()


def _is_storage(name: str) -> bool:
    parts = name.split(".")
    if parts[0] == "sqlalchemy":
        return True
    return parts[0] == "alianza" and (parts[-1] == "models" or parts[-1].endswith("_models"))


def _is_module(name: str) -> bool:
    return SRC.parent.joinpath(*name.split(".")).with_suffix(".py").exists()


def storage_imports(path: Path, module: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _is_storage(a.name)]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the module's package
                package = module.split(".")[: -node.level]
                base = ".".join([*package, base] if base else package)
            if _is_storage(base):
                found.append(base)
            else:  # from alianza.seizures import models (a module, not a function list_models)
                found += [
                    f"{base}.{a.name}"
                    for a in node.names
                    if _is_storage(f"{base}.{a.name}") and _is_module(f"{base}.{a.name}")
                ]
    return found


def shell_modules() -> dict[str, Path]:
    modules = {}
    for shell in SHELLS:
        root = SRC / shell
        modules[f"alianza.{shell}"] = root / "__init__.py"
        for info in pkgutil.walk_packages([str(root)], prefix=f"alianza.{shell}."):
            relative = info.name.split(".")[2:]
            path = root.joinpath(*relative)
            modules[info.name] = path / "__init__.py" if info.ispkg else path.with_suffix(".py")
    return modules


def test_shells_do_not_import_storage() -> None:
    offenders = {
        name: storage_imports(path, name)
        for name, path in sorted(shell_modules().items())
        if name not in NOT_YET and storage_imports(path, name)
    }
    assert offenders == {}


def test_the_list_of_shells_not_yet_through_the_door_only_shrinks() -> None:
    modules = shell_modules()
    still = {name for name in NOT_YET if storage_imports(modules[name], name)}
    assert still == NOT_YET, f"{NOT_YET - still} no longer import storage: drop them from NOT_YET"


def test_the_walk_sees_an_import_of_storage(tmp_path: Path) -> None:
    shell = tmp_path / "shell.py"
    shell.write_text(
        "from sqlalchemy.orm import Session\nfrom alianza.seizures import models\n"
        "from alianza.risk.schedule import list_models\n"
        "from alianza.ports.liaison_models import Contact\nfrom alianza.db import Database\n"
    )
    assert storage_imports(shell, "alianza.cli.shell") == [
        "sqlalchemy.orm",
        "alianza.seizures.models",
        "alianza.ports.liaison_models",
    ]
