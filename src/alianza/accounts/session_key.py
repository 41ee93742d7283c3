"""The node's session key: a random secret of its own that signs the session cookie.

It lives beside the node's Ed25519 keys (``HOME/keys/session.key``, mode 0600), is created by
``alianza node init`` (and the demo), and can be created or replaced with
``alianza node session-key``. ``ALIANZA_SECRET_KEY``, when set, takes its place. Development
and test nodes create the file on first use; a production node refuses to start without one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from alianza.catalogue import declare
from alianza.settings import MIN_SECRET, Settings

# What is wrong with the session key file, and what to do (said to the operator).
KEY_EXISTS = declare("session-key.exists", "{path} exists: this node already has a session key")
READABLE = declare(
    "session-key.readable", "{path} is readable by others (mode {mode}); chmod 600 it"
)
TOO_SHORT = declare("session-key.too-short", "{path}: shorter than {minimum} characters")


class SessionKeyError(ValueError):
    """The session key file exists and is unsafe or malformed."""


def create_session_key(path: Path, *, replace: bool = False) -> Path:
    """Write a new random key (64 URL-safe characters) to ``path``, mode 0600. Refuses to
    overwrite an existing key unless ``replace`` (every signed-in user must log in again)."""
    exists = SessionKeyError(KEY_EXISTS.said(path=path))
    if path.exists() and not replace:
        raise exists
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    # Written whole to a private temporary file, then put in place atomically: a worker never
    # reads half a key, and of two workers creating it at once, one key wins for both.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
        if replace:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails if the key exists
            except FileExistsError:
                raise exists from None
    finally:
        temporary.unlink(missing_ok=True)
    return path


def read_session_key(path: Path) -> str:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise SessionKeyError(READABLE.said(path=path, mode=f"{mode:o}"))
    key = path.read_text("ascii").strip()
    if len(key) < MIN_SECRET:
        raise SessionKeyError(TOO_SHORT.said(path=path, minimum=MIN_SECRET))
    return key


def session_secret(settings: Settings) -> str:
    """``ALIANZA_SECRET_KEY``, else the node's key file; development and test nodes create the
    file when it is missing, production nodes refuse (:class:`UnsafeSettings`)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.session_key_file
    if not path.exists():
        settings.refuse_unsafe()
        with contextlib.suppress(SessionKeyError):  # another worker created it first
            create_session_key(path)
    return read_session_key(path)
