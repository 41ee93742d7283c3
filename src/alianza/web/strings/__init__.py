"""Interface strings of each domain's pages in English, one module a domain (merged by
web/i18n.py); their Spanish is in the message catalogue, ``src/alianza/locale/es/LC_MESSAGES/
alianza.po`` (see alianza/catalogue.py and docs/development.md).

Each module defines ``STRINGS: dict[str, Message]``: key → English text, or for a counted
message (``{n}``) its singular and plural forms. A key defined twice is an error at import time.
"""

from alianza.catalogue import Message

__all__ = ["Message"]
