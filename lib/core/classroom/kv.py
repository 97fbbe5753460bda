"""The few storage operations the class store needs, on two backends.

MemoryKV keeps everything in this process (thread-safe; `streamlit run app.py` needs no setup).
RedisKV keeps it in Redis so that several app replicas share one classroom. Both expire a key
at an absolute time (the end of its class) so nothing outlives a class.
"""
from __future__ import annotations

import functools
import threading
import time

from lib.core.classroom.store import ClassroomError


def _guarded(method):
    """A Redis that cannot be reached is a refusal the page explains, not a crash."""
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        import redis

        try:
            return method(self, *args, **kwargs)
        except redis.RedisError as error:
            raise ClassroomError("unavailable") from error
    return call


class MemoryKV:
    """In-process storage: one lock, values and hashes with an expiry time each."""

    def __init__(self, clock=time.time):
        self._clock = clock
        self._lock = threading.Lock()
        self._data: dict[str, tuple[object, float]] = {}

    def _live(self, key):
        entry = self._data.get(key)
        if entry is not None and entry[1] <= self._clock():
            del self._data[key]
            return None
        return entry

    def _sweep(self) -> None:
        now = self._clock()
        for key in [k for k, (_, until) in self._data.items() if until <= now]:
            del self._data[key]

    def set_new(self, key: str, value: str, until: float) -> bool:
        """Store value only if the key is free (a join code's uniqueness)."""
        with self._lock:
            if len(self._data) % 256 == 0:
                self._sweep()
            if self._live(key) is not None:
                return False
            self._data[key] = (value, until)
            return True

    def set(self, key: str, value: str, until: float) -> None:
        with self._lock:
            self._data[key] = (value, until)

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._live(key)
            return None if entry is None else entry[0]

    def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._data.pop(key, None)

    def hset(self, key: str, field: str, value: str, until: float, only_new=False) -> bool:
        """Set one field of a hash; with only_new, only if the field is absent."""
        with self._lock:
            entry = self._live(key)
            table = dict(entry[0]) if entry else {}
            if only_new and field in table:
                return False
            table[field] = value
            self._data[key] = (table, until)
            return True

    def hget(self, key: str, field: str) -> str | None:
        with self._lock:
            entry = self._live(key)
            return entry[0].get(field) if entry else None

    def hgetall(self, key: str) -> dict[str, str]:
        with self._lock:
            entry = self._live(key)
            return dict(entry[0]) if entry else {}

    def incr(self, key: str, until: float) -> int:
        with self._lock:
            entry = self._live(key)
            value = (entry[0] if entry else 0) + 1
            self._data[key] = (value, entry[1] if entry else until)
            return value


class RedisKV:
    """The same operations on a Redis server (redis-py client, decoded strings)."""

    def __init__(self, client):
        self._r = client

    @classmethod
    def from_url(cls, url: str) -> "RedisKV":
        import redis

        return cls(redis.Redis.from_url(url, decode_responses=True, socket_timeout=5))

    @staticmethod
    def _ms(until: float) -> int:
        return int(until * 1000)

    @_guarded
    def set_new(self, key, value, until) -> bool:
        return bool(self._r.set(key, value, nx=True, pxat=self._ms(until)))

    @_guarded
    def set(self, key, value, until) -> None:
        self._r.set(key, value, pxat=self._ms(until))

    @_guarded
    def get(self, key):
        return self._r.get(key)

    @_guarded
    def delete(self, *keys) -> None:
        if keys:
            self._r.delete(*keys)

    @_guarded
    def hset(self, key, field, value, until, only_new=False) -> bool:
        pipe = self._r.pipeline()
        (pipe.hsetnx if only_new else pipe.hset)(key, field, value)
        pipe.pexpireat(key, self._ms(until))
        added = pipe.execute()[0]
        return bool(added) or not only_new

    @_guarded
    def hget(self, key, field):
        return self._r.hget(key, field)

    @_guarded
    def hgetall(self, key):
        return self._r.hgetall(key)

    @_guarded
    def incr(self, key, until) -> int:
        pipe = self._r.pipeline()
        pipe.incr(key)
        pipe.pexpireat(key, self._ms(until), nx=True)
        return int(pipe.execute()[0])
