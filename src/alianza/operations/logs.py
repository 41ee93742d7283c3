"""Structured logs: one line per event, JSON or ``key=value``, with a UTC timestamp, the level,
the logger and the request id of the request being served (if any).

``configure_logging`` installs one handler on the root logger (stderr, where systemd's journal
and container runtimes collect it) and routes uvicorn's own loggers through it; uvicorn's
access log is replaced by :mod:`alianza.operations.access`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]
LEVELS = ("debug", "info", "warning", "error", "critical")
HANDLER_NAME = "alianza"

# The id of the request this task serves; "-" outside requests.
request_id: ContextVar[str] = ContextVar("request_id", default="-")

# Attributes every LogRecord has; anything else came in ``extra=`` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname.lower(),
        "logger": record.name,
        "request_id": request_id.get(),
        "message": record.getMessage(),
    }
    fields.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
    fields.pop("color_message", None)  # uvicorn's coloured copy of the message
    if record.exc_info:
        fields["exception"] = logging.Formatter().formatException(record.exc_info)
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record), default=str, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """``ts=… level=info logger=alianza.access request_id=… message="…" status=200``."""

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{k}={_value(v)}" for k, v in _fields(record).items())


_QUOTED = re.compile('[ "=\n\t]')  # a value holding any of these is written quoted


def _value(value: object) -> str:
    text = str(value)
    if text and _QUOTED.search(text) is None:
        return text
    return json.dumps(text, ensure_ascii=False)


def configure_logging(level: str = "info", log_format: LogFormat = "text") -> None:
    """Send every logger's records, at ``level`` and above, to stderr in ``log_format``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else KeyValueFormatter())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(previous)  # called again (tests, a second serve): one handler
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers = []
        uvicorn_logger.propagate = True
        uvicorn_logger.setLevel(level.upper())
    logging.getLogger("uvicorn.access").disabled = True  # alianza.access replaces it


def uvicorn_log_config() -> dict[str, Any]:
    """A ``log_config`` for uvicorn that leaves logging as :func:`configure_logging` set it
    (worker processes call ``configure_logging`` themselves, from the ASGI factory)."""
    return {"version": 1, "disable_existing_loggers": False}
