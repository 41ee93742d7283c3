"""One typed settings object, read from ``ALIANZA_*`` environment variables.

Every setting is documented in ``docs/settings.md``; a test checks that the two agree.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """The node's folder when ``ALIANZA_HOME`` is not set: ``$XDG_DATA_HOME/alianza``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "alianza"


PLACEHOLDER_SECRET = "development-only-placeholder-secret"


class UnsafeSettings(RuntimeError):
    """The settings are not safe for this environment."""


class Settings(BaseSettings):
    """Settings of one Alianza node."""

    model_config = SettingsConfigDict(env_prefix="ALIANZA_", extra="ignore", frozen=True)

    home: Path = Field(
        default_factory=default_home,
        description="The node's folder: database file, keys, uploads.",
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

    secret_key: str = Field(
        default=PLACEHOLDER_SECRET,
        description="Signs session cookies. Required (32+ characters) outside development.",
    )

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
    ports_escalate_minutes: float = Field(
        default=5.0,
        description="Minutes an alert may wait unacknowledged before it goes to the next official.",
    )

    def refuse_unsafe(self) -> None:
        """Raise :class:`UnsafeSettings` when serving with development-only defaults outside
        development."""
        if self.env == "development" or self.env == "test":
            return
        if self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32:
            raise UnsafeSettings(
                f"ALIANZA_SECRET_KEY is a placeholder or shorter than 32 characters; "
                f"set a random one (python -c 'import secrets; print(secrets.token_urlsafe(48))') "
                f"before serving with ALIANZA_ENV={self.env}"
            )

    @property
    def effective_database_url(self) -> str:
        """The URL the node uses: ``database_url`` or ``sqlite:///HOME/alianza.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'alianza.db'}"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides taking precedence."""
    return Settings(**overrides)  # type: ignore[arg-type]
