"""One typed settings object, read from ``ALIANZA_*`` environment variables.

Every setting is documented in ``docs/settings.md``; a test checks that the two agree.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """The node's folder when ``ALIANZA_HOME`` is not set: ``$XDG_DATA_HOME/alianza``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "alianza"


# SHA-256 of session keys that have been published (an earlier version shipped one as its
# default): refused wherever they appear, since anyone can sign a session cookie with them.
PUBLIC_SECRETS = frozenset({"c9ffc55a6f9365f045cc102f32fdd9e0bbdc5c970350016cd9e96d0b60d15a19"})
MIN_SECRET = 32
SESSION_KEY_FILE = "session.key"


class UnsafeSettings(RuntimeError):
    """The settings are not safe for this environment."""


class Settings(BaseSettings):
    """Settings of one Alianza node."""

    model_config = SettingsConfigDict(env_prefix="ALIANZA_", extra="ignore", frozen=True)

    home: Path = Field(
        default_factory=default_home,
        description="The node's folder: database file, keys, uploads.",
    )
    keys_dir: Path | None = Field(
        default=None,
        description="The node's keys folder; unset: `HOME/keys`.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "Database URL; overrides the SQLite file in the home folder. "
            "`sqlite:///PATH` or `postgresql+psycopg://USER@HOST/DB`."
        ),
    )
    env: Literal["development", "test", "production"] = Field(
        default="development",
        description="Deployment environment; unsafe defaults are refused in `production`.",
    )

    secret_key: str | None = Field(
        default=None,
        description=(
            "Signs session cookies (32+ random characters). Unset: the node's own generated "
            "key, `HOME/keys/session.key`."
        ),
    )
    session_idle_minutes: float = Field(
        default=30.0,
        gt=0,
        description="A signed-in session ends after this many minutes without a request.",
    )
    session_max_hours: float = Field(
        default=8.0,
        gt=0,
        description="A signed-in session ends this many hours after login, used or not.",
    )
    login_free_failures: int = Field(
        default=5,
        ge=1,
        description=(
            "Wrong passwords allowed per account and per client address before each further "
            "attempt waits (`login_first_delay_seconds`, then twice as long each time)."
        ),
    )
    login_first_delay_seconds: float = Field(
        default=1.0,
        gt=0,
        description="The wait after the first failure beyond `login_free_failures`.",
    )
    login_max_delay_seconds: float = Field(
        default=900.0,
        gt=0,
        description="The longest wait between login attempts that the throttle imposes.",
    )

    @field_validator("secret_key")
    @classmethod
    def _secret_is_private(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) < MIN_SECRET:
            raise ValueError(f"ALIANZA_SECRET_KEY must be at least {MIN_SECRET} characters")
        if hashlib.sha256(value.encode("utf-8")).hexdigest() in PUBLIC_SECRETS:
            raise ValueError("ALIANZA_SECRET_KEY is a published placeholder; use a random one")
        return value

    country: Literal["US", "MX"] | None = Field(
        default=None,
        description=(
            "This node's country when it has no keys yet; the identity written by "
            "`alianza node init --country` wins and must agree. Unset and no keys: writes "
            "that carry a country are refused."
        ),
    )

    ports_partner_url: str | None = Field(
        default=None,
        description=(
            "Base URL of the partner node that receives this node's port alerts "
            "(`https://mx-node.example`); unset: alerts wait in the outbox."
        ),
    )
    max_upload_mb: int = Field(
        default=50,
        ge=1,
        le=2048,
        description=(
            "Largest seizure file the web import accepts, in MiB; a bigger request body is "
            "refused (413) before it is read."
        ),
    )
    ports_escalate_minutes: float = Field(
        default=5.0,
        description="Minutes an alert may wait unacknowledged before it goes to the next official.",
    )

    ports_smtp_host: str | None = Field(
        default=None,
        description=(
            "SMTP relay that sends port-alert e-mails to directory entries' e-mail channels; "
            "unset: e-mail notifications stay queued with the reason."
        ),
    )
    ports_smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of that relay.")
    ports_smtp_from: str = Field(
        default="alianza@localhost", description="Sender address of port-alert e-mails."
    )
    ports_sms_gateway_url: str | None = Field(
        default=None,
        description=(
            'SMS gateway that receives `{"to": number, "text": ...}` as an HTTP POST for '
            "directory entries' SMS channels; unset: SMS notifications stay queued."
        ),
    )
    ports_directory_channels: str = Field(
        default="radio,telephone,messaging",
        description=(
            "Channel kinds of this node's directory entries published to the partner "
            "(by the delivery loop whenever the directory changes; `alianza ports contact "
            "publish` resends), as the agreement allows; comma-separated."
        ),
    )
    ports_directory_share_names: bool = Field(
        default=False,
        description="Whether the published directory carries officials' names (the agreement's).",
    )
    ports_request_due: str = Field(
        default="urgent=8h,high=3d,routine=7d",
        description=(
            "Due times of alert requests by priority, as the agreement sets them "
            "(PRIORITY=Nh or PRIORITY=Nd, comma-separated)."
        ),
    )
    cycle_send_seconds: float = Field(
        default=15.0,
        gt=0,
        description=(
            "Seconds between the served node's tries to deliver the reporting-cycle messages "
            "still queued for the partner node (one try each; a node down is tried again)."
        ),
    )

    language: Literal["en", "es"] | None = Field(
        default=None,
        description=(
            "Language of the command line's error messages; unset: the locale's (`LANG=es_MX`)."
        ),
    )

    log_level: Literal["debug", "info", "warning", "error", "critical"] = Field(
        default="info",
        description="Lowest level of the log lines `alianza serve` writes (stderr).",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Log lines as `key=value` text or as one JSON object per line.",
    )
    metrics_token: str | None = Field(
        default=None,
        description=(
            "Bearer token Prometheus sends to read `/metrics`; unset: loopback clients only."
        ),
    )

    @property
    def session_key_file(self) -> Path:
        """The node's generated session key (``alianza node init``), mode 0600, in the keys
        folder (``ALIANZA_KEYS_DIR``, else ``HOME/keys``)."""
        return (self.keys_dir or self.home / "keys") / SESSION_KEY_FILE

    def refuse_unsafe(self) -> None:
        """Raise :class:`UnsafeSettings` when a production node has no session key of its own
        (development and test nodes generate one on first use)."""
        if self.env != "production" or self.secret_key or self.session_key_file.exists():
            return
        raise UnsafeSettings(
            f"this node has no session key ({self.session_key_file} missing): run "
            f"`alianza node session-key` or set ALIANZA_SECRET_KEY (32+ random characters)\n"
            f"este nodo no tiene clave de sesión (falta {self.session_key_file}): ejecute "
            f"`alianza node session-key` o defina ALIANZA_SECRET_KEY (32+ caracteres aleatorios)"
        )

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
    """Read settings from the environment, with explicit overrides taking precedence."""
    return Settings(**overrides)  # type: ignore[arg-type]
