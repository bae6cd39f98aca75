"""Debouncing: a burst of changes to one document gives one lint, ``delay`` after the last.

Each key (a document's URI) has at most one pending call; a new one cancels it. A call already
running is not cancelled (linting runs in a worker thread, which cannot be interrupted); its
result is dropped by the caller when the document has changed since.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class Debouncer:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._pending: dict[str, asyncio.Task[None]] = {}

    def call(self, key: str, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` after ``delay`` seconds unless another call for ``key`` comes first."""
        self.cancel(key)
        self._pending[key] = asyncio.get_running_loop().create_task(self._later(key, action))

    def cancel(self, key: str) -> None:
        pending = self._pending.pop(key, None)
        if pending is not None and not pending.done():
            pending.cancel()

    async def _later(self, key: str, action: Callable[[], Awaitable[None]]) -> None:
        await asyncio.sleep(self.delay)
        if self._pending.get(key) is asyncio.current_task():
            del self._pending[key]
        await action()
