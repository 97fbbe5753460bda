"""What an exercise is, how an attempt is checked, and how progress is kept and validated.

An exercise is data: its id, its kind, the slide it comes from, and a check, a plain function
of an Attempt (the page's own state read on the server, the student's answer, and this
student's variant) that returns a Verdict. Its texts live in the catalogs under
exercises.<id>.* (title, task, hint, solution, fb_<code>, and for a prediction choice_<c> and
truth). Nothing here knows who answers: a variant comes from a seed the caller gives (one per
browser now; one per class later), so the same definitions serve a class as a whole.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

REACH = "reach"  # reach it by hand: the check reads the page's state
PREDICT = "predict"  # predict, then reveal: the answer locks, then the truth shows beside it
NUMBER = "number"  # type a number, checked with a tolerance
PICTURE = "picture"  # read the picture: pick something in a figure
KINDS = (REACH, PREDICT, NUMBER, PICTURE)

# Progress states. "seen": the solution was shown before the exercise was solved.
SOLVED, SEEN, TRIED = "solved", "seen", "tried"
STATES = (SOLVED, SEEN, TRIED)
MAX_STORED = 2000  # characters of stored progress accepted back from a browser


@dataclass(frozen=True)
class Attempt:
    """What a check looks at: the page's settings, its data, the answer and the variant."""

    state: Mapping = field(default_factory=dict)
    context: Mapping = field(default_factory=dict)
    answer: object = None
    variant: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """solved, or the code of the misconception the answer points to (its feedback text), and
    the numbers that text shows."""

    solved: bool
    code: str = "wrong"
    values: Mapping = field(default_factory=dict)


def right(**values) -> Verdict:
    return Verdict(True, "", values)


def wrong(code: str = "wrong", **values) -> Verdict:
    return Verdict(False, code, values)


@dataclass(frozen=True)
class Exercise:
    """One exercise. check(Attempt) -> Verdict; solution(Attempt) -> the solution text's values.

    feedback: the codes with a text of their own (exercises.<id>.fb_<code>); other codes fall
    back to a common text. choices: the options of a prediction or a picture question.
    truth(Attempt) -> (choice, values): what a prediction is compared with, shown on reveal.
    variant(rng) -> dict: this student's numbers. demo: settings (session keys -> values, or a
    function of the page's state giving them) that show the truth on the page itself.
    """

    id: str
    kind: str
    slide: str
    check: Callable[[Attempt], Verdict]
    solution: Callable[[Attempt], dict] = lambda attempt: {}
    feedback: tuple = ()
    choices: tuple = ()
    tolerance: float = 0.0
    truth: Callable[[Attempt], tuple] | None = None
    variant: Callable[[np.random.RandomState], dict] | None = None
    demo: Mapping | Callable[[Mapping], Mapping] = field(default_factory=dict)

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        assert (self.kind == PREDICT) == (self.truth is not None), self.id

    @property
    def lesson(self) -> str:
        return self.id.split(".", 1)[0]

    def key(self, part: str) -> str:
        """The catalog key of one of its texts."""
        return f"exercises.{self.id}.{part}"

    def demo_settings(self, state: Mapping) -> dict:
        return dict(self.demo(state) if callable(self.demo) else self.demo)

    def variant_for(self, seed: str) -> dict:
        """This seed's variant: the same seed always gets the same numbers."""
        if self.variant is None:
            return {}
        digest = hashlib.sha256(f"{seed}:{self.id}".encode()).digest()
        return self.variant(np.random.RandomState(int.from_bytes(digest[:4], "big")))


def predicted(exercise_truth: Callable[[Attempt], tuple]) -> Callable[[Attempt], Verdict]:
    """The check of a prediction: right when the answer is the truth's choice; a wrong choice's
    feedback is fb_<choice>."""
    def check(attempt: Attempt) -> Verdict:
        choice, values = exercise_truth(attempt)
        if attempt.answer == choice:
            return right(**values)
        return wrong(str(attempt.answer), **values)
    return check


def as_number(answer) -> float | None:
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def number_verdict(answer, exact: float, tolerance: float, mistakes: Mapping = (),
                   **values) -> Verdict:
    """Right within the tolerance; else the first typical wrong value the answer matches names
    the misconception (code -> the value that mistake gives); else "wrong"."""
    value = as_number(answer)
    if value is None:
        return wrong("missing", **values)
    if abs(value - exact) <= tolerance:
        return right(**values)
    for code, mistaken in dict(mistakes).items():
        if abs(value - mistaken) <= tolerance:
            return wrong(code, **values)
    return wrong("wrong", **values)


# ---------------------------------------------------------------------------------------------
# Progress: {exercise id: (state, locked choice or "")}, kept in the student's own browser.


def record(progress: dict, exercise: Exercise, state: str, choice: str = "") -> dict:
    """Progress after an event: solved stays solved; a solution seen first keeps "seen"."""
    old, old_choice = progress.get(exercise.id, ("", ""))
    if old == SOLVED or (old == SEEN and state != SEEN):
        new = old
    else:
        new = state
    return {**progress, exercise.id: (new, choice or old_choice)}


def encode(progress: dict) -> str:
    """Cookie-safe text (URL-safe base64 of compact JSON)."""
    rows = {key: [state, choice] if choice else state for key, (state, choice) in
            sorted(progress.items())}
    raw = json.dumps(rows, separators=(",", ":"), ensure_ascii=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text, known: Mapping[str, Exercise]) -> dict:
    """Progress read back from a browser: untrusted. Only known ids, known states and the
    exercise's own choices survive; anything malformed gives no progress at all."""
    if not isinstance(text, str) or not text or len(text) > MAX_STORED:
        return {}
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        rows = json.loads(raw.decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(rows, dict):
        return {}
    progress = {}
    for key, value in rows.items():
        exercise = known.get(key) if isinstance(key, str) else None
        if exercise is None:
            continue
        state, choice = (value, "") if isinstance(value, str) else (
            tuple(value) if isinstance(value, list) and len(value) == 2 else ("", ""))
        if state not in STATES or not isinstance(choice, str):
            continue
        if choice and choice not in exercise.choices:
            choice = ""
        progress[key] = (state, choice)
    return progress


def valid_browser_id(text) -> bool:
    """A per-browser id is 16 lower-case hex digits, nothing else."""
    return isinstance(text, str) and len(text) == 16 and all(c in "0123456789abcdef" for c in text)
