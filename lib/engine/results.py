"""The engine's result cache: finished trainings by key, least recently used first out.

Bounded by entries and by the bytes the results' arrays hold (codec.nbytes). Not thread-safe
by itself: the scheduler calls it under its own lock.
"""
from __future__ import annotations

from collections import OrderedDict

from lib.engine.codec import nbytes

CACHE_ENTRIES = 64
CACHE_BYTES = 64 * 2**20  # MNIST runs hold about 1.5 MB each, the linear ones far less
_MISSING = object()


class Results:
    def __init__(self, entries: int = CACHE_ENTRIES, max_bytes: int = CACHE_BYTES):
        self._entries, self._max_bytes = entries, max_bytes
        self._items: OrderedDict = OrderedDict()  # key -> (result, bytes)

    def __contains__(self, key) -> bool:
        return key in self._items

    def get(self, key, default=None):
        """The result for key (now the most recently used), or default."""
        entry = self._items.get(key, _MISSING)
        if entry is _MISSING:
            return default
        self._items.move_to_end(key)
        return entry[0]

    def store(self, key, result) -> None:
        """Keep result; the least recently used go while over either bound (the newest stays)."""
        self._items[key] = (result, nbytes(result))
        self._items.move_to_end(key)
        total = sum(size for _, size in self._items.values())
        while len(self._items) > 1 and (len(self._items) > self._entries
                                        or total > self._max_bytes):
            _, (_, size) = self._items.popitem(last=False)
            total -= size

    def clear(self) -> None:
        self._items.clear()
