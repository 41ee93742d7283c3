"""Interface strings of each domain's pages, one module a domain (merged by web/i18n.py).

Each module defines ``STRINGS: dict[str, dict[str, str]]`` (key → {"en": …, "es": …}); a key
defined twice is an error at import time.
"""
