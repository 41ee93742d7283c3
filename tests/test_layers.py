"""One door (issue 14, item 4): the shells (``alianza.cli``, ``alianza.web``, ``alianza.demo``)
reach storage only through the domains' service functions. This walks every shell module's
imports (AST, not text) and fails on ``sqlalchemy`` or a domain's storage models module."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import alianza

SRC = Path(alianza.__file__).parent
SHELLS = ("cli", "web", "demo")
# Shell modules that still query storage themselves; this list only shrinks. Each is a
# ticket: move its queries into its domain's service functions, then drop it from here.
# alianza.demo.ports reads the alerts it sent (liaison.models) to show what each side sees; it
# was alianza.ports.demo, in the library, until the demo became a shell (issue 18, item 2).
NOT_YET: set[str] = {"alianza.demo.ports"}


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
        "from alianza.liaison.models import Contact\nfrom alianza.db import Database\n"
    )
    assert storage_imports(shell, "alianza.cli.shell") == [
        "sqlalchemy.orm",
        "alianza.seizures.models",
        "alianza.liaison.models",
    ]


# Import rules (docs/development.md, issue 18 item 2): the library never imports a shell. The
# shells are the command line, the web application, the demo (which serves its two nodes with
# the web application) and the entry point; every other module under alianza/ is the library
# (the domains and what they share) and imports none of alianza.cli, alianza.web, alianza.demo.
UPWARD = ("alianza.cli", "alianza.web", "alianza.demo")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, module: str) -> list[str]:
    """Every module a file imports, at its top or inside a function (AST, not text): for
    ``from A import B`` both ``A`` and ``A.B`` (B may be a module)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the module's package
                package = module.split(".")[: -node.level]
                if path.name == "__init__.py":  # a package's own module is its package
                    package = module.split(".")[: len(module.split(".")) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            found += [base, *(f"{base}.{a.name}" for a in node.names)]
    return found


def within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in packages)


def upward(names: list[str], shells: tuple[str, ...] = UPWARD) -> list[str]:
    return sorted({n for n in names if within(n, shells)})


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def library_modules() -> dict[str, Path]:
    shells = (*UPWARD, "alianza.__main__")
    return {name: path for name, path in all_modules().items() if not within(name, shells)}


def test_the_library_imports_no_shell() -> None:
    modules = library_modules()
    assert "alianza.pme.service" in modules
    assert "alianza.leak_hunt" in modules  # run against the demo's nodes, but not a shell
    assert not any(within(name, UPWARD) for name in modules)
    offenders = {
        name: upward(imported(path, name))
        for name, path in modules.items()
        if upward(imported(path, name))
    }
    assert offenders == {}


def test_the_walk_sees_an_import_of_a_shell(tmp_path: Path) -> None:
    library = tmp_path / "demo.py"
    library.write_text(
        "import alianza.cli\nfrom alianza import web\nfrom alianza.web.listen import is_loopback\n"
        "def serve():\n    from alianza.web import create_app\n    from ..cli import demo\n"
        "from alianza.webhooks import x\nfrom alianza.liaison import alerts\n"
        "import alianza.demonstration\nfrom alianza.demo.nodes import ACCOUNTS\n"
    )
    assert upward(imported(library, "alianza.ports.study")) == [
        "alianza.cli",
        "alianza.cli.demo",
        "alianza.demo.nodes",
        "alianza.demo.nodes.ACCOUNTS",
        "alianza.web",
        "alianza.web.create_app",
        "alianza.web.listen",
        "alianza.web.listen.is_loopback",
    ]


def test_liaison_and_port_operations_share_only_the_reference() -> None:
    """``alianza.liaison`` (10.6) and ``alianza.ports`` (10.7) are two packages (issue 18): the
    liaison reads port codes from ``alianza.ports.reference`` and nothing else of ports; port
    operations import nothing of the liaison (the demo, which runs both, is a shell:
    ``alianza.demo.ports``)."""
    modules = library_modules()

    def imports_of(package: str, other: str) -> dict[str, list[str]]:
        return {
            name: sorted({n for n in imported(path, name) if n.startswith(f"{other}.")})
            for name, path in modules.items()
            if name.startswith(f"{package}.")
        }

    liaison = imports_of("alianza.liaison", "alianza.ports")
    assert {n for names in liaison.values() for n in names} <= {
        "alianza.ports.reference",
        *(f"alianza.ports.reference.{name}" for name in ("UnknownPort", "find_port", "port")),
    }
    assert any(liaison.values())  # the walk sees the imports of the reference
    operations = imports_of("alianza.ports", "alianza.liaison")
    assert {name for name, names in operations.items() if names} == set()
    demo = all_modules()["alianza.demo.ports"]
    assert "alianza.liaison.alerts" in imported(demo, "alianza.demo.ports")  # the walk sees it


def test_the_shells_import_each_other_one_way() -> None:
    """The command line calls the demo (``alianza demo``, cli/demo.py, the only door) and the
    demo serves its nodes with the web application: cli → demo → web, never back. The demo is
    called with plain values and prints with click; it imports nothing of the command line."""
    modules = all_modules()

    def reaching(package: str, shells: tuple[str, ...]) -> dict[str, list[str]]:
        return {
            name: upward(imported(path, name), shells)
            for name, path in modules.items()
            if within(name, (package,)) and upward(imported(path, name), shells)
        }

    assert reaching("alianza.web", ("alianza.cli", "alianza.demo")) == {}
    assert reaching("alianza.demo", ("alianza.cli",)) == {}
    assert reaching("alianza.cli", ("alianza.demo",)) == {
        "alianza.cli.demo": ["alianza.demo.run", "alianza.demo.run.run_demo"]
    }
    assert "alianza.web" in reaching("alianza.demo", ("alianza.web",))["alianza.demo.nodes"]
