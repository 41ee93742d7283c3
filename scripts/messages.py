"""The pages' message catalogue: ``update`` rewrites the template from the code and merges it
into the Spanish catalogue; ``check`` lists what a translator must still do (exit 1 if any).
See docs/development.md, "Messages and translations"."""

from __future__ import annotations

import sys

from alianza.catalogue import SPANISH, check, update
from alianza.web.i18n import catalogue_messages


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        entries, to_do = update(catalogue_messages())
        print(f"{SPANISH}: {entries} entries, {to_do} for a translator (check lists them)")
        return 0
    if argv == ["check"]:
        problems = check(catalogue_messages())
        print("\n".join(problems) or f"{SPANISH}: every message translated")
        return 1 if problems else 0
    print("usage: scripts/messages.py update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
