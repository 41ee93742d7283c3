"""Message kinds that other domains send through the cycle-message transport.

The reporting cycle's own kinds (``open`` … ``sign``) are applied by
:mod:`alianza.pme.cycle_inbox`. Another domain that needs a signed, ordered, retried and
idempotent message to the partner node registers a kind here with the function that applies it
on arrival, instead of building a second transport: it queues with
:func:`alianza.pme.cycle_outbox.queue` in its own transaction, the message is sealed and
delivered like any cycle message (HTTPS with retries, or files), and the partner's inbox
verifies the envelope (trusted key, untampered, addressed to it), refuses a replay, applies a
re-delivery once, then calls the registered function with the sender's verified identity and
the receiving node as the actor (the sender's writer is data of the message, not an actor).

The function raises :class:`StepRefused` for an authentic message it will not apply (it
changes nothing; the sender sees the ``workflow`` outcome with the reason).

:data:`PROVIDERS` names the modules that register kinds; they are imported on first use, so a
node applies every known kind whichever entry point (CLI, web) received the message.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from sqlalchemy.orm import Session

from alianza.actors import Actor
from alianza.catalogue import declare
from alianza.exchange.keys import NodeIdentity
from alianza.pme.cycle_envelope import CycleMessage

# (session, the sender's verified identity, the message, this node receiving it)
Handler = Callable[[Session, NodeIdentity, CycleMessage, Actor], None]
MAX_KIND = 12  # the outbox and arrival log store the kind in 12 characters
PROVIDERS = ("alianza.analysis.cosign",)

TOO_LONG = declare(
    "pme.cycle-kinds.too-long", "a message kind has at most {limit} characters: {kind!r}"
)

_handlers: dict[str, Handler] = {}
_loaded = False


class StepRefused(Exception):
    """An authentic message that its kind's function does not apply; raised with a
    :class:`~alianza.catalogue.Said`, which the inbox keeps in English and Spanish."""


def register(kind: str, handler: Handler) -> None:
    if len(kind) > MAX_KIND:
        raise ValueError(TOO_LONG.said(limit=MAX_KIND, kind=kind))
    _handlers[kind] = handler


def handler_for(kind: str) -> Handler | None:
    """The registered function of ``kind`` (None: not a registered kind)."""
    global _loaded
    if not _loaded:
        for name in PROVIDERS:
            import_module(name)
        _loaded = True
    return _handlers.get(kind)
