"""Turns: one holder at a time, waiters served in the order they came, a bounded wait."""
from __future__ import annotations

import threading
import time

import pytest

from lib.core.classroom.turns import Turns


def _wait_until(condition, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "the waiters never queued"
        time.sleep(0.005)


def test_waiters_are_served_in_the_order_they_came():
    turns, order, inside = Turns(), [], []
    assert turns.acquire(timeout=1)

    def follower(number):
        with turns.turn(timeout=30) as held:
            assert held
            inside.append(number)
            order.append(number)
            assert inside == [number]  # nobody else holds the turn meanwhile
            inside.remove(number)

    threads = []
    for number in range(8):
        threads.append(threading.Thread(target=follower, args=(number,)))
        threads[-1].start()
        _wait_until(lambda: turns.waiting == number + 1)
    turns.release()
    for thread in threads:
        thread.join(30)
    assert order == list(range(8))
    assert turns.acquire(timeout=0)  # all released: free again at once


def test_a_newcomer_does_not_pass_a_waiter():
    """The turn is handed to the waiter: a newcomer arriving as it is released still waits."""
    turns, order = Turns(), []
    assert turns.acquire(timeout=1)
    waiter = threading.Thread(target=lambda: turns.acquire(30) and order.append("waiter"))
    waiter.start()
    _wait_until(lambda: turns.waiting == 1)
    turns.release()
    assert not turns.acquire(timeout=0)  # the waiter holds it now, even if not yet awake
    waiter.join(30)
    assert order == ["waiter"]
    turns.release()
    assert turns.acquire(timeout=0)


def test_a_wait_is_bounded_and_leaves_the_queue():
    turns = Turns()
    assert turns.acquire(timeout=1)
    with turns.turn(timeout=0.05) as held:
        assert not held  # ran out of turn
        assert turns.waiting == 0
    turns.release()  # the holder's release frees it: the timed-out waiter released nothing
    assert turns.acquire(timeout=0)


def test_the_turn_is_released_when_the_block_raises():
    turns = Turns()
    with pytest.raises(RuntimeError):
        with turns.turn(timeout=1):
            raise RuntimeError("a rerun or a stop passes through")
    assert turns.acquire(timeout=0)
