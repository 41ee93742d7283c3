"""One viewer (issue 14, item 4): a service function takes who acts as one typed argument,
``actor: Actor`` (a signed-in user's :class:`~alianza.accounts.service.Principal`, or the node
itself, named: :class:`~alianza.actors.NodeSelf`), never a bare name. mypy (strict) then
refuses a shell that passes a string to a converted function; this test walks the domain
modules (AST) and lists those whose functions still take ``actor: str``: the list only
shrinks."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import pytest

import alianza
from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import Principal
from alianza.actors import NodeSelf, actor_name

SRC = Path(alianza.__file__).parent
SHELLS = ("alianza.cli", "alianza.web")
# Domain modules whose functions still take the actor as a name (``actor: str``). Each is a
# ticket: take ``actor: Actor`` (alianza.actors), then drop it from here.
NOT_YET: set[str] = set()
# Converted: every function of these that takes an actor takes an Actor.
CONVERTED = {
    "alianza.analysis.cosign",
    "alianza.cooperation.incidents",
    "alianza.cooperation.registry",
    "alianza.cooperation.measures",
    "alianza.cooperation.facts",
    "alianza.risk.book",
    "alianza.risk.overrides",
    "alianza.risk.schedule",
    "alianza.risk.service",
    "alianza.risk.store",
    "alianza.accounts.service",
    "alianza.accounts.throttle",
    "alianza.exchange.inbox",
    "alianza.exchange.partners",
    "alianza.exchange.rotation",
    "alianza.exchange.service",
    "alianza.exchange.store",
    "alianza.seizures.mucd",
    "alianza.seizures.public",
    "alianza.seizures.reports",
    "alianza.seizures.service",
    "alianza.pme.cycle_inbox",
    "alianza.pme.cycle_publish",
    "alianza.pme.cycles",
    "alianza.pme.deadline_store",
    "alianza.pme.events",
    "alianza.pme.judgements",
    "alianza.pme.load",
    "alianza.pme.service",
    "alianza.pme.translations",
    "alianza.liaison.alerts",
    "alianza.liaison.directory",
    "alianza.liaison.drills",
    "alianza.ports.load",
    "alianza.ports.load_waits",
    "alianza.ports.service",
}


# The parameters that say who acts (``by`` in the performance-measure cycles).
ACTOR_NAMES = ("actor", "by")
# The audit log records the name an Actor gives (actor_name): it takes a str by design.
SINKS = {"alianza.audit"}


def domain_modules() -> dict[str, Path]:
    modules = {}
    for info in pkgutil.walk_packages([str(SRC)], prefix="alianza."):
        if info.name.startswith(SHELLS) or ".migrations" in info.name or info.name in SINKS:
            continue
        relative = info.name.split(".")[1:]
        path = SRC.joinpath(*relative)
        modules[info.name] = path / "__init__.py" if info.ispkg else path.with_suffix(".py")
    return modules


def actor_annotations(path: Path) -> dict[str, str]:
    """function name → the annotation of its ``actor`` parameter (as written)."""
    found = {}
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args.args + node.args.kwonlyargs + node.args.posonlyargs
            for argument in arguments:
                if argument.arg in ACTOR_NAMES and argument.annotation is not None:
                    found[node.name] = ast.unparse(argument.annotation)
    return found


def test_converted_service_functions_take_an_actor() -> None:
    modules = domain_modules()
    for name in sorted(CONVERTED):
        annotations = actor_annotations(modules[name])
        assert annotations, f"{name} takes no actor"
        assert set(annotations.values()) == {"Actor"}, (name, annotations)


def test_the_modules_still_taking_a_name_only_shrink() -> None:
    taking_names = {
        name for name, path in domain_modules().items() if "str" in actor_annotations(path).values()
    }
    assert taking_names <= NOT_YET, f"{taking_names - NOT_YET} take actor: str: take an Actor"
    assert taking_names == NOT_YET, f"{NOT_YET - taking_names} converted: drop from NOT_YET"


def test_an_actor_is_a_user_or_the_node_itself_never_a_bare_name() -> None:
    user = Principal(1, "maria", "María", Role.ANALYST, Country.US, "CBP", "es")
    assert actor_name(user) == "maria"
    assert actor_name(NodeSelf("demo")) == "demo"
    with pytest.raises(TypeError, match="not str"):
        actor_name("maria")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="under a name"):
        NodeSelf(" ")
