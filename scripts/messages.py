"""The message catalogue (pages, library, commands and their ``--help``): ``update`` rewrites
the template from the code, merges it into the Spanish catalogue and compiles the Spanish
(``alianza.mo``, what is read at run time); ``compile`` compiles the ``.po`` as it is (after a
translator's edit, or a merge); ``check`` lists what a translator must still do and a ``.mo``
that says other than its ``.po`` (exit 1 if any). See docs/development.md, "Messages and
translations"."""

from __future__ import annotations

import sys

from alianza.catalogue import COMPILED, SPANISH, Message, check, check_compiled, compile_spanish


def every_message() -> dict[str, Message]:
    """The pages', the library's and the commands' ``--help`` texts (walked from the CLI)."""
    from alianza.web.i18n import catalogue_messages

    library = catalogue_messages()  # first: the catalogue keeps the order of its entries
    from alianza.cli.help_texts import messages as cli_help

    return {**library, **cli_help()}


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        from alianza.catalogue import update

        entries, to_do = update(every_message())
        print(f"{SPANISH}: {entries} entries, {to_do} for a translator (check lists them)")
        return 0
    if argv == ["compile"]:
        written = compile_spanish()
        print(f"{COMPILED}: {'written' if written else 'unchanged'}")
        return 0
    if argv == ["check"]:
        problems = check(every_message()) + check_compiled()
        print(
            "\n".join(problems) or f"{SPANISH}: every message translated, {COMPILED.name} current"
        )
        return 1 if problems else 0
    print("usage: scripts/messages.py update|compile|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
