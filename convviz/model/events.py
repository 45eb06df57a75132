"""A minimal event: the model tells views what changed without knowing about Qt."""

from __future__ import annotations

from collections.abc import Callable


class Event:
    """A list of callbacks run, in order, each time the event is emitted (with its arguments)."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., None]] = []

    def connect(self, callback: Callable[..., None]) -> None:
        """Run ``callback(*args)`` on every ``emit(*args)``."""
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., None]) -> None:
        """Stop running ``callback``."""
        self._callbacks.remove(callback)

    def emit(self, *args) -> None:
        """Run every connected callback with ``args``."""
        for callback in list(self._callbacks):
            callback(*args)
