"""How far a long piece of work got, told to whoever runs it.

Code that does something long (the render of a PDF to sign) calls ``report`` at each stage; outside an
operation nobody listens and it costs nothing. The task that runs an operation in the queue listens
(``reporting_to``) and shows each stage to the person who started it (flows.services.operations).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable

_listener: contextvars.ContextVar[Callable[[int, str], None] | None] = contextvars.ContextVar(
    "progress_listener", default=None
)


def report(percent: int, stage: str) -> None:
    """``percent`` (0-100) of the work is behind, and ``stage`` (Italian, for the person) is under way."""
    listener = _listener.get()
    if listener is not None:
        listener(percent, stage)


@contextlib.contextmanager
def reporting_to(listener: Callable[[int, str], None]):
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
