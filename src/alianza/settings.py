"""One typed settings object, read from ``ALIANZA_*`` environment variables.

Every setting is documented in ``docs/settings.md``; a test checks that the two agree. A
frozen dataclass checked in ``__post_init__``, without pydantic: every command reads the
settings, and pydantic-settings cost more than the rest of ``alianza pme show`` (issue 18).
Its problems are catalogue messages (keys ``settings.…``; :mod:`alianza.catalogue` reads the
Spanish only when a message is first said in Spanish, so importing it stays cheap).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import types
import typing
from collections.abc import Callable
from dataclasses import field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from alianza.catalogue import Joined, declare, message_of

ENV_PREFIX = "ALIANZA_"


def default_home() -> Path:
    """The node's folder when ``ALIANZA_HOME`` is not set: ``$XDG_DATA_HOME/alianza``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "alianza"


# SHA-256 of session keys that have been published (an earlier version shipped one as its
# default): refused wherever they appear, since anyone can sign a session cookie with them.
PUBLIC_SECRETS = frozenset({"c9ffc55a6f9365f045cc102f32fdd9e0bbdc5c970350016cd9e96d0b60d15a19"})
MIN_SECRET = 32
SESSION_KEY_FILE = "session.key"
TRUE = frozenset({"1", "true", "yes", "on", "t", "y"})
FALSE = frozenset({"0", "false", "no", "off", "f", "n"})

# What is wrong with the settings (English here; the Spanish in the message catalogue).
INVALID = declare("settings.invalid", "invalid settings: {problems}")
NO_SESSION_KEY = declare(
    "settings.no-session-key",
    "this node has no session key ({path} missing): run `alianza node session-key` or set "
    "ALIANZA_SECRET_KEY (32+ random characters)",
)
SECRET_TOO_SHORT = declare("settings.secret-too-short", "must be at least {n} characters")
SECRET_PUBLISHED = declare(
    "settings.secret-published", "is a published placeholder; use a random one"
)
NOT_GREATER = declare("settings.not-greater", "must be greater than {bound}")
TOO_SMALL = declare("settings.too-small", "must be at least {bound}")
TOO_LARGE = declare("settings.too-large", "must be at most {bound}")
NOT_ONE_OF = declare("settings.not-one-of", "{value!r} is not one of {listed}")
NOT_BOOLEAN = declare("settings.not-boolean", "{value!r} is not true or false")
NOT_WHOLE = declare("settings.not-whole", "{value!r} is not a whole number")
NOT_NUMBER = declare("settings.not-number", "{value!r} is not a number")
NOT_TYPE = declare("settings.not-type", "{value!r} is not a {kind}")


class UnsafeSettings(RuntimeError):
    """The settings are not safe for this environment (raised with a :class:`Said`)."""


class InvalidSettings(ValueError):
    """One or more settings have a value of the wrong type or out of range: ``problems``, each
    ``ALIANZA_NAME: what is wrong`` (said in the user's language where shown)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(INVALID.said(problems=Joined("; ", problems)))


def secret_is_private(value: str | None) -> None:
    if value is None:
        return
    if len(value) < MIN_SECRET:
        raise ValueError(SECRET_TOO_SHORT.said(n=MIN_SECRET))
    if hashlib.sha256(value.encode("utf-8")).hexdigest() in PUBLIC_SECRETS:
        raise ValueError(SECRET_PUBLISHED.said())


def about(
    description: str,
    *,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
    check: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """What a setting's field says beside its default: its documentation, its bounds and any
    further check (raising :class:`ValueError`)."""
    return {"description": description, "gt": gt, "ge": ge, "le": le, "check": check}


@dataclasses.dataclass(frozen=True)
class Settings:
    """Settings of one Alianza node (``Settings(home=…)`` checks and converts every value,
    strings from the environment included; :func:`load_settings` reads the environment)."""

    home: Path = field(
        default_factory=default_home,
        metadata=about("The node's folder: database file, keys, uploads."),
    )
    keys_dir: Path | None = field(
        default=None, metadata=about("The node's keys folder; unset: `HOME/keys`.")
    )
    database_url: str | None = field(
        default=None,
        metadata=about(
            "Database URL; overrides the SQLite file in the home folder. "
            "`sqlite:///PATH` or `postgresql+psycopg://USER@HOST/DB`."
        ),
    )
    env: Literal["development", "test", "production"] = field(
        default="development",
        metadata=about("Deployment environment; unsafe defaults are refused in `production`."),
    )
    secret_key: str | None = field(
        default=None,
        metadata=about(
            "Signs session cookies (32+ random characters). Unset: the node's own generated "
            "key, `HOME/keys/session.key`.",
            check=secret_is_private,
        ),
    )
    session_idle_minutes: float = field(
        default=30.0,
        metadata=about("A signed-in session ends after this many minutes without a request.", gt=0),
    )
    session_max_hours: float = field(
        default=8.0,
        metadata=about("A signed-in session ends this many hours after login, used or not.", gt=0),
    )
    login_free_failures: int = field(
        default=5,
        metadata=about(
            "Wrong passwords allowed per account and per client address before each further "
            "attempt waits (`login_first_delay_seconds`, then twice as long each time).",
            ge=1,
        ),
    )
    login_first_delay_seconds: float = field(
        default=1.0,
        metadata=about("The wait after the first failure beyond `login_free_failures`.", gt=0),
    )
    login_max_delay_seconds: float = field(
        default=900.0,
        metadata=about("The longest wait between login attempts that the throttle imposes.", gt=0),
    )
    country: Literal["US", "MX"] | None = field(
        default=None,
        metadata=about(
            "This node's country when it has no keys yet; the identity written by "
            "`alianza node init --country` wins and must agree. Unset and no keys: writes "
            "that carry a country are refused."
        ),
    )
    ports_partner_url: str | None = field(
        default=None,
        metadata=about(
            "Base URL of the partner node that receives this node's port alerts "
            "(`https://mx-node.example`); unset: alerts wait in the outbox."
        ),
    )
    max_upload_mb: int = field(
        default=50,
        metadata=about(
            "Largest seizure file the web import accepts, in MiB; a bigger request body is "
            "refused (413) before it is read.",
            ge=1,
            le=2048,
        ),
    )
    ports_escalate_minutes: float = field(
        default=5.0,
        metadata=about(
            "Minutes an alert may wait unacknowledged before it goes to the next official."
        ),
    )
    ports_smtp_host: str | None = field(
        default=None,
        metadata=about(
            "SMTP relay that sends port-alert e-mails to directory entries' e-mail channels; "
            "unset: e-mail notifications stay queued with the reason."
        ),
    )
    ports_smtp_port: int = field(default=25, metadata=about("Port of that relay.", ge=1, le=65535))
    ports_smtp_from: str = field(
        default="alianza@localhost", metadata=about("Sender address of port-alert e-mails.")
    )
    ports_sms_gateway_url: str | None = field(
        default=None,
        metadata=about(
            'SMS gateway that receives `{"to": number, "text": ...}` as an HTTP POST for '
            "directory entries' SMS channels; unset: SMS notifications stay queued."
        ),
    )
    ports_directory_channels: str = field(
        default="radio,telephone,messaging",
        metadata=about(
            "Channel kinds of this node's directory entries published to the partner "
            "(by the delivery loop whenever the directory changes; `alianza ports contact "
            "publish` resends), as the agreement allows; comma-separated."
        ),
    )
    ports_directory_share_names: bool = field(
        default=False,
        metadata=about(
            "Whether the published directory carries officials' names (the agreement's)."
        ),
    )
    ports_request_due: str = field(
        default="urgent=8h,high=3d,routine=7d",
        metadata=about(
            "Due times of alert requests by priority, as the agreement sets them "
            "(PRIORITY=Nh or PRIORITY=Nd, comma-separated)."
        ),
    )
    cycle_send_seconds: float = field(
        default=15.0,
        metadata=about(
            "Seconds between the served node's tries to deliver the reporting-cycle messages "
            "still queued for the partner node (one try each; a node down is tried again).",
            gt=0,
        ),
    )
    language: Literal["en", "es"] | None = field(
        default=None,
        metadata=about(
            "Language of the command line's error messages; unset: the locale's (`LANG=es_MX`)."
        ),
    )
    log_level: Literal["debug", "info", "warning", "error", "critical"] = field(
        default="info",
        metadata=about("Lowest level of the log lines `alianza serve` writes (stderr)."),
    )
    log_format: Literal["text", "json"] = field(
        default="text",
        metadata=about("Log lines as `key=value` text or as one JSON object per line."),
    )
    metrics_token: str | None = field(
        default=None,
        metadata=about(
            "Bearer token Prometheus sends to read `/metrics`; unset: loopback clients only."
        ),
    )

    def __post_init__(self) -> None:
        problems: list[str] = []
        for each in dataclasses.fields(self):
            try:
                value = _checked(each, getattr(self, each.name))
            except ValueError as error:
                variable = f"{ENV_PREFIX}{each.name.upper()}"
                problems.append(Joined(": ", [variable, message_of(error)]))
                continue
            object.__setattr__(self, each.name, value)  # frozen: converted once, here
        if problems:
            raise InvalidSettings(problems)

    @property
    def keys_folder(self) -> Path:
        """The node's keys folder: ``ALIANZA_KEYS_DIR``, else ``HOME/keys``. It holds the
        private key, the identity (with the node's country) and the session key."""
        return self.keys_dir if self.keys_dir is not None else self.home / "keys"

    @property
    def session_key_file(self) -> Path:
        """The node's generated session key (``alianza node init``), mode 0600, in the keys
        folder."""
        return self.keys_folder / SESSION_KEY_FILE

    def refuse_unsafe(self) -> None:
        """Raise :class:`UnsafeSettings` when a production node has no session key of its own
        (development and test nodes generate one on first use)."""
        if self.env != "production" or self.secret_key or self.session_key_file.exists():
            return
        raise UnsafeSettings(NO_SESSION_KEY.said(path=self.session_key_file))

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def effective_database_url(self) -> str:
        """The URL the node uses: ``database_url`` or ``sqlite:///HOME/alianza.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'alianza.db'}"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment (``ALIANZA_*``, names in any case), with explicit
    overrides taking precedence; :class:`InvalidSettings` names every bad value."""
    environment = {name.upper(): value for name, value in os.environ.items()}
    values: dict[str, object] = {}
    for each in dataclasses.fields(Settings):
        variable = f"{ENV_PREFIX}{each.name.upper()}"
        if variable in environment:
            values[each.name] = environment[variable]
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@cache
def field_types() -> dict[str, Any]:
    """Each setting's declared type (the annotations are strings here)."""
    return typing.get_type_hints(Settings)


def _checked(each: dataclasses.Field[Any], value: object) -> object:
    """``value`` converted to the setting's type (strings come from the environment), within
    its bounds, or :class:`ValueError` saying what is wrong (a :class:`Said`)."""
    value = _converted(field_types()[each.name], value)
    bounds = each.metadata
    if isinstance(value, int | float):
        if bounds["gt"] is not None and not value > bounds["gt"]:
            raise ValueError(NOT_GREATER.said(bound=bounds["gt"]))
        if bounds["ge"] is not None and not value >= bounds["ge"]:
            raise ValueError(TOO_SMALL.said(bound=bounds["ge"]))
        if bounds["le"] is not None and not value <= bounds["le"]:
            raise ValueError(TOO_LARGE.said(bound=bounds["le"]))
    if bounds["check"] is not None:
        bounds["check"](value)
    return value


def _converted(kind: Any, value: object) -> object:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):  # X | None
        if value is None:
            return None
        (kind,) = [k for k in typing.get_args(kind) if k is not type(None)]
    if typing.get_origin(kind) is Literal:
        choices = typing.get_args(kind)
        if value not in choices:
            listed = ", ".join(map(str, choices))
            raise ValueError(NOT_ONE_OF.said(value=value, listed=listed))
        return value
    if kind is bool:
        if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
            return value.strip().lower() in TRUE
        if not isinstance(value, bool):
            raise ValueError(NOT_BOOLEAN.said(value=value))
        return value
    if kind in (int, float):
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise ValueError
            number = kind(value)
        except ValueError:
            raise ValueError((NOT_WHOLE if kind is int else NOT_NUMBER).said(value=value)) from None
        if kind is int and isinstance(value, float) and number != value:
            raise ValueError(NOT_WHOLE.said(value=value))
        return number
    if kind is Path and isinstance(value, str | Path):
        return Path(value)
    if kind is str and isinstance(value, str):
        return value
    raise ValueError(NOT_TYPE.said(value=value, kind=kind.__name__))
