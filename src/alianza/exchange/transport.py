"""HTTPS push between nodes: send a package to a partner's endpoint, with retries."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

ENDPOINT = "/api/v1/exchange/packages"


class SendFailed(Exception):
    """The package could not be delivered (after retries), or the partner refused it."""


@dataclass(frozen=True)
class Delivery:
    status: str  # stored | duplicate
    receipt: dict[str, str]
    attempts: int


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
    same package again is harmless: the partner stores it once."""
    target = url.rstrip("/")
    if not target.endswith(ENDPOINT):
        target += ENDPOINT
    last_error = "no attempt made"
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
            last_error = f"{type(error).__name__}: {error}"
        else:
            if response.status_code == 200:
                body: dict[str, Any] = response.json()
                return Delivery(body["status"], body["receipt"], attempt)
            if response.status_code < 500:
                try:
                    error_body = response.json()["error"]
                    reason = f"{error_body['message']} [{error_body['code']}]"
                except (ValueError, KeyError, TypeError):
                    reason = response.text[:200]
                raise SendFailed(f"{target} refused the package ({response.status_code}): {reason}")
            last_error = f"HTTP {response.status_code}"
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise SendFailed(f"could not deliver to {target} after {attempts} attempts: {last_error}")
