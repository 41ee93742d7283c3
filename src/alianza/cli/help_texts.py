"""The commands' ``--help`` in the user's language (issue 18): the English stays where it is
written (a command's docstring, ``help=``, a lazy table's one-line help); its Spanish is an
entry of the message catalogue keyed by the command's path:

- ``cli.help.pme.import``: the help of ``alianza pme import`` (``cli.help``: of ``alianza``);
- ``cli.help.pme.import.short``: its ``short_help`` where one is written;
- ``cli.help.pme.import.line``: its one-line help in the table of a lazy group;
- ``cli.help.pme.import.--plan``: the help of its option ``--plan``
  (``….--by.default``: the text shown as the option's default);
- ``cli.click.*``: Click's own words ("Usage:", "Options", "No such option …"), the kinds
  of value an option's metavar names (``--plan TEXT``), ``[OPTIONS]``, ``COMMAND [ARGS]...``
  and the ``--version`` line.

:func:`messages` walks the whole tree for the extraction (scripts/messages.py, the tests);
at run time :func:`localize` gives each command met on the way its texts in the language,
and :func:`click_in` lends Click the catalogue for its own words. In English nothing is read:
``alianza --help`` loads no catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

import click

from alianza.catalogue import Message, declare, text_of

PREFIX = "cli.help"
SUFFIXES = ("short", "line")  # no command may be named so (its key would be another's)

# Click's own words (its gettext ``_``), those a user meets in a help or a usage error, and
# the usage line's placeholders (a command's ``options_metavar``, a group's
# ``subcommand_metavar``: put in the language by :func:`localize`).
CLICK = {
    text: declare(f"cli.click.{key}", text)
    for key, text in {
        "usage": "Usage:",
        "options": "Options",
        "commands": "Commands",
        "arguments": "Positional arguments",
        "help": "Show this message and exit.",
        "version": "Show the version and exit.",
        "error": "Error: {message}",
        "try": "Try '{command} {option}' for help.",
        "no-option": "No such option {name!r}.",
        "no-command": "No such command {name!r}.",
        "missing-argument": "Missing argument",
        "missing-option": "Missing option",
        "missing-parameter": "Missing parameter",
        "missing-named": "Missing parameter: {param_name}",
        "missing-command": "Missing command.",
        "invalid": "Invalid value: {message}",
        "invalid-for": "Invalid value for {param_hint}: {message}",
        "no-value": "Option {name!r} does not take a value.",
        "takes": "Argument {name!r} takes {nargs} values.",
        "aborted": "Aborted!",
        "default": "default: {default}",
        "required": "required",
        "env": "env var: {var}",
        "not-number": "{value!r} is not a valid {number_type}.",
        "not-in-range": "{value} is not in the range {range}.",
        "not-exists": "{name} {filename!r} does not exist.",
        "is-file": "{name} {filename!r} is a file.",
        "is-directory": "{name} {filename!r} is a directory.",
        "options-metavar": "[OPTIONS]",
        "command-metavar": "COMMAND [ARGS]...",
    }.items()
}
# The kind of value an option takes, as its metavar (``--home DIRECTORY``, ``--plan TEXT``: the
# name in capitals) and its refusals ("File 'x' does not exist.", "'x' is not a valid
# integer.") name it: put in the language with the help texts (:func:`localize`), not through
# Click's gettext, which names the kind once, when the type is made.
TYPE_NAMES = {
    text: declare(f"cli.click.{key}", text)
    for key, text in {
        "file": "file",
        "directory": "directory",
        "path": "path",
        "text": "text",
        "integer": "integer",
        "float": "float",
        "integer-range": "integer range",
        "float-range": "float range",
        "iso-date": "YYYY-MM-DD",
    }.items()
}
# ``alianza --version`` (Click's ``version_option`` words its line once, when it is made).
VERSION = declare("cli.click.version-line", "{prog}, version {version}")
CLICK_COUNTED = {
    (one, other): declare(f"cli.click.{key}", (one, other))
    for key, (one, other) in {
        "extra": (
            "Got unexpected extra argument ({args})",
            "Got unexpected extra arguments ({args})",
        ),
        "did-you-mean": (
            "Did you mean {possibility}?",
            "(Did you mean one of: {possibilities}?)",
        ),
        "choice": ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
        "option-needs": (
            "Option {name!r} requires an argument.",
            "Option {name!r} requires {nargs} arguments.",
        ),
    }.items()
}
CLICK_MODULES = ("core", "exceptions", "formatting", "parser", "types", "decorators")


def key(path: tuple[str, ...], *more: str) -> str:
    return ".".join((PREFIX, *path, *more))


def option_name(param: click.Parameter) -> str:
    """The name an option's key uses: its first long name (``--plan``), else its first."""
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def texts_of(command: click.Command, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(key, English) of every help text ``command`` holds itself (not its subcommands')."""
    for attribute in ("help", "short_help"):
        text = english_of(command, attribute)
        if text:
            yield key(path, *(("short",) if attribute == "short_help" else ())), text
    for param in command.params:
        text = english_of(param, "help")
        if text and text not in CLICK:
            yield key(path, option_name(param)), text
        shown = english_of(param, "show_default")
        if isinstance(shown, str):
            yield key(path, option_name(param), "default"), shown
    for name, entry in getattr(command, "lazy", {}).items():
        yield key((*path, name), "line"), entry[2]


def messages(root: click.Command | None = None) -> dict[str, Message]:
    """Every help text of the tree below ``root`` (``alianza``), lazy groups loaded, with
    Click's own words: what the catalogue must translate."""
    if root is None:
        from alianza.cli import cli

        root = cli
    found: dict[str, Message] = {}

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        found.update(texts_of(command, path))
        if isinstance(command, click.Group):
            context = click.Context(command)
            for name in command.list_commands(context):
                if name in SUFFIXES or name.startswith("-"):
                    raise AssertionError(f"a command named {name!r} would share another's key")
                below = command.get_command(context, name)
                assert below is not None, name
                walk(below, (*path, name))

    walk(root, ())
    found.update({text.key: text.english for text in CLICK.values()})
    found.update({text.key: text.english for text in CLICK_COUNTED.values()})
    found.update({text.key: text.english for text in TYPE_NAMES.values()})
    found[VERSION.key] = VERSION.english
    return found


def localize(command: click.Command, path: tuple[str, ...], language: str) -> None:
    """Put ``command``'s help texts (and its subcommands' already imported) in ``language``
    until :func:`restore`: the catalogue's Spanish where it is current, else the English
    (logged once). English changes and reads nothing."""
    if language != "es":
        return
    _put(command, "help", key(path), language)
    _put(command, "short_help", key(path, "short"), language)
    for param in command.params:
        if english_of(param, "help") in CLICK:
            _put(param, "help", "", language)
        else:
            _put(param, "help", key(path, option_name(param)), language)
        if isinstance(english_of(param, "show_default"), str):
            _put(param, "show_default", key(path, option_name(param), "default"), language)
        kind = english_of(param.type, "name")
        if kind in TYPE_NAMES:  # a type may be shared (click.STRING): its English kept once
            _changed.setdefault((id(param.type), "name"), (param.type, kind))
            param.type.name = TYPE_NAMES[kind](language)
    _put(command, "options_metavar", "", language)
    if isinstance(command, click.Group):
        _put(command, "subcommand_metavar", "", language)
    helper = getattr(command, "_help_option", None)
    if helper is not None:  # made by an earlier command, in English
        _put(helper, "help", "", language)
    _helped.append(command)
    if isinstance(command, click.Group):
        for name, below in command.commands.items():
            localize(below, (*path, name), language)


# (id of the object, attribute) → (the object, its English), while said in another language
_changed: dict[tuple[int, str], tuple[Any, object]] = {}
_helped: list[click.Command] = []  # commands whose help option Click made in the language


def english_of(thing: Any, attribute: str) -> Any:
    """An attribute's English, whether or not it is said in another language now."""
    changed = _changed.get((id(thing), attribute))
    return getattr(thing, attribute, None) if changed is None else changed[1]


def restore() -> None:
    """Every text :func:`localize` changed back to its English (the end of a command)."""
    for (_, attribute), (thing, english) in _changed.items():
        setattr(thing, attribute, english)
    _changed.clear()
    for command in _helped:  # made again, in the language of the next command
        command._help_option = None
    _helped.clear()


def _put(thing: Any, attribute: str, key: str, language: str) -> None:
    english = english_of(thing, attribute)
    if not isinstance(english, str) or not english:
        return
    _changed.setdefault((id(thing), attribute), (thing, english))
    said = CLICK[english](language) if english in CLICK else text_of(key, english, language)
    setattr(thing, attribute, str(said))


def line_of(path: tuple[str, ...], written: str, language: str) -> str:
    """A lazy table's one-line help of the command at ``path`` in ``language``."""
    return written if language != "es" else str(text_of(key(path, "line"), written, language))


def path_of(context: click.Context) -> tuple[str, ...]:
    """A command's path below ``alianza`` from its context (``("pme", "import")``)."""
    names: list[str] = []
    while context.parent is not None:
        names.append(context.info_name or "")
        context = context.parent
    return tuple(reversed(names))


def click_text(english: str, language: str) -> str:
    """One of Click's own words in ``language`` (as it is where the catalogue lacks it)."""
    text = CLICK.get(english)
    return english if text is None else text(language)


_language = "en"  # the language of the ``alianza`` command running (:func:`said_in`)


def help_language() -> str:
    """The language the help texts are said in now: the user's while ``alianza`` runs
    (:func:`said_in`), else English (a group formatted or walked on its own, as tests do)."""
    return _language


@contextmanager
def said_in(language: str) -> Iterator[None]:
    """While the block runs (``alianza``'s ``main``): the commands reached give their help in
    ``language`` (:func:`localize`, ``LazyGroup``), and Click its own words; afterwards every
    command has its English again."""
    global _language
    restore()
    _language = language
    try:
        with click_in(language):
            yield
    finally:
        _language = "en"
        restore()


@contextmanager
def click_in(language: str) -> Iterator[None]:
    """Click's own words (its gettext) in ``language`` while the block runs; English changes
    nothing."""
    if language != "es":
        yield
        return
    modules = [import_module(f"click.{name}") for name in CLICK_MODULES]
    saved = [(m, m.__dict__.get("_"), m.__dict__.get("ngettext")) for m in modules]

    def gettext(message: str) -> str:
        return click_text(message, language)

    def ngettext(one: str, other: str, n: int) -> str:
        text = CLICK_COUNTED.get((one, other))
        if text is None:
            return one if n == 1 else other
        counted = text_of(text.key, text.english, language)
        return counted[0 if n == 1 else 1] if isinstance(counted, tuple) else counted

    for module, underscore, counted in saved:
        if underscore is not None:
            module._ = gettext  # type: ignore[attr-defined]
        if counted is not None:
            module.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module, underscore, counted in saved:
            if underscore is not None:
                module._ = underscore  # type: ignore[attr-defined]
            if counted is not None:
                module.ngettext = counted  # type: ignore[attr-defined]
