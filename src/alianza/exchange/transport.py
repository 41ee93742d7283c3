"""HTTPS push between nodes: send a package to a partner's endpoint, with retries.

What a failure says is for the user: "refused (HTTP 4xx, code)" or "could not reach"; what the
remote answered (its text, a connection error naming ports) goes to the server log only.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from alianza.catalogue import declare

ENDPOINT = "/api/v1/exchange/packages"
log = logging.getLogger("alianza.exchange")
_CODE = re.compile(r"[a-z][a-z0-9-]{0,39}")

REFUSED = declare("exchange.send.refused", "the partner's node refused the package ({summary})")
UNREACHABLE = declare(
    "exchange.send.unreachable",
    "could not reach the partner's node after {attempts} attempts (last: {last})",
)
NO_ATTEMPT = declare("exchange.send.no-attempt", "no attempt made")
NO_ANSWER = declare("exchange.send.no-answer", "no answer")
NO_RECEIPT = declare("exchange.send.no-receipt", "no receipt")
SERVER_REFUSED = declare("exchange.send.server-refused", "refused, {summary}")


def refusal_summary(status: int, body: object) -> str:
    """What a user may see of a partner's refusal: the status class and, when the body is
    Alianza's error envelope, its stable code; never the remote's text."""
    code = ""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        value = body["error"].get("code")
        if isinstance(value, str) and _CODE.fullmatch(value):
            code = f", {value}"
    return f"HTTP {status // 100}xx{code}"


class SendFailed(Exception):
    """The package could not be delivered (after retries), or the partner refused it.

    ``kind`` is ``refused`` or ``unreachable``; ``summary`` what a user may see of why."""

    def __init__(self, message: str, *, kind: str = "unreachable", summary: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.summary = summary


@dataclass(frozen=True)
class Delivery:
    status: str  # stored | duplicate
    receipt: dict[str, str]
    attempts: int


def _delivery(response: httpx.Response, attempt: int) -> Delivery | None:
    """The delivery a 200 answer states, or None when it is not a receipt."""
    try:
        body: Any = response.json()
    except ValueError:
        return None
    if not (
        isinstance(body, dict)
        and isinstance(body.get("status"), str)
        and isinstance(body.get("receipt"), dict)
    ):
        return None
    return Delivery(body["status"], body["receipt"], attempt)


def send_package(
    data: bytes,
    url: str,
    *,
    attempts: int = 5,
    backoff: float = 0.5,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    verify: bool | str = True,
) -> Delivery:
    """POST the package; retry connection errors and 5xx with exponential backoff. Sending the
    same package again is harmless: the partner stores it once. ``url`` must be a partner URL
    (https://, or http:// to loopback: :func:`alianza.exchange.partners.check_partner_url`)."""
    from alianza.exchange.partners import check_partner_url

    target = check_partner_url(url)
    if not target.endswith(ENDPOINT):
        target += ENDPOINT
    last_error: str = NO_ATTEMPT.said()
    for attempt in range(1, attempts + 1):
        try:
            response = httpx.post(
                target,
                content=data,
                headers={"Content-Type": "application/zip"},
                timeout=timeout,
                verify=verify,
            )
        except httpx.TransportError as error:
            log.warning(
                "sending to %s, attempt %d: %s: %s", target, attempt, type(error).__name__, error
            )
            last_error = NO_ANSWER.said()
        else:
            if response.status_code == 200:
                delivery = _delivery(response, attempt)
                if delivery is not None:
                    return delivery
                # a 200 that is not a node's receipt (a proxy's page): not delivered
                log.warning("sending to %s, attempt %d: HTTP 200, no receipt", target, attempt)
                last_error = NO_RECEIPT.said()
                if attempt < attempts:
                    sleep(backoff * 2 ** (attempt - 1))
                continue
            log.warning(
                "sending to %s, attempt %d: HTTP %d: %s",
                target,
                attempt,
                response.status_code,
                response.text[:500],
            )
            try:
                answer: object = response.json()
            except ValueError:
                answer = None
            if response.status_code < 500:
                summary = refusal_summary(response.status_code, answer)
                raise SendFailed(REFUSED.said(summary=summary), kind="refused", summary=summary)
            last_error = SERVER_REFUSED.said(summary=refusal_summary(response.status_code, answer))
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise SendFailed(
        UNREACHABLE.said(attempts=attempts, last=last_error),
        kind="unreachable",
        summary=last_error,
    )
