"""What the scheduler (lib/engine/scheduler.py) and a page tell each other about one request:
who asks and how to reach its page (Caller), its place while it waits (Wait), how it was
served (Outcome). Plain types, no threads."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """How a request was served: from the cache, by joining an identical training (shared),
    trained here after waiting for its turn (waited), or not at all: the same session asked
    for something else meanwhile (replaced; the call returned no result)."""

    cached: bool = False
    shared: bool = False
    waited: bool = False
    replaced: bool = False


@dataclass(frozen=True)
class Wait:
    """What a waiting caller is told. place: 1 = next to train, 2 = one before it, …; 0: the
    training it waits for runs now (shared: an identical one another session asked for).
    heavy: a long training, which lets short ones go first (its place may grow)."""

    place: int
    shared: bool = False
    heavy: bool = False


def _always() -> bool:
    return True


class Caller:
    """One request's asker: the owner (a session id, or None: anonymous, its own owner), how to
    report progress (progress(share 0..1, **details)) and waiting (on_wait(Wait)), and whether
    its page is still there (alive(); a request of a gone page leaves the queue). After the
    call, `outcome` says how it was served."""

    def __init__(self, owner=None, progress=None, on_wait=None, alive=None):
        self.owner, self.progress, self.on_wait = owner, progress, on_wait
        self.alive = alive or _always
        self.outcome: Outcome | None = None
