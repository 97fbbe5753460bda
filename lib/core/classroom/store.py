"""The class store: one interface for a live class, whatever keeps the data.

A lecturer starts a class with a secret and gets a short join code. Students join with the code
and get a member id of their own. Only the secret changes the view, opens and reveals questions
and reads answers before the reveal; everything a student sends is checked here, as untrusted.
Each rule raises ClassroomError with a reason the page translates.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a projector
CODE_LENGTH = 6
CLASS_HOURS = 3.0           # a class (and its code) lasts one long lecture
PRESENCE_S = 10.0           # a member seen within this is "connected"
NICK_MAX = 20
VIEW_MAX_CHARS = 4000       # a view is a page name and its URL settings
ANSWER_MAX_CHARS = 64
ANSWERS_PER_MINUTE = 10     # a member's answer attempts, all questions together
LINE_SIZES = {"logistic": 3, "regression": 2}  # the pages with hand-set lines: their numbers
LINE_BOUND = 1e7            # a hand-set number beyond any slider of the pages
QUESTION_ID = re.compile(r"^[a-z0-9_.-]{1,64}$")
_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


class ClassroomError(ValueError):
    """A refused request; reason is a catalog key suffix (classroom.error_<reason>)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Presence:
    connected: int
    following: int
    joined: int


def new_secret() -> str:
    return secrets.token_urlsafe(16)


def normalize_code(raw) -> str:
    """A typed or linked code, upper-cased and checked; bad_code if it cannot be one."""
    code = unicodedata.normalize("NFKC", str(raw or "")).strip().upper().replace("-", "")
    if not _CODE.match(code):
        raise ClassroomError("bad_code")
    return code


def clean_nickname(raw) -> str:
    """Letters, digits, spaces and punctuation only, at most NICK_MAX; "" stays anonymous."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = "".join(c for c in text
                   if unicodedata.category(c)[0] in "LNPS" or unicodedata.category(c) == "Zs")
    return " ".join(text.split())[:NICK_MAX]


def _digest(secret: str) -> str:
    return hashlib.sha256(str(secret).encode()).hexdigest()


class ClassStore:
    """The rules of a class, on any KV backend (lib.core.classroom.kv)."""

    def __init__(self, kv, clock=time.time, on_change=None):
        """on_change(code): told whenever the lecturer publishes what followers take over."""
        self.kv = kv
        self.clock = clock
        self.on_change = on_change or (lambda code: None)

    # --- the class -------------------------------------------------------------------------
    def start(self, secret: str, hours: float = CLASS_HOURS) -> str:
        """A new class controlled by secret; returns its join code."""
        if not secret or len(str(secret)) < 8:
            raise ClassroomError("weak_secret")
        now = self.clock()
        until = now + hours * 3600
        record = json.dumps({"secret": _digest(secret), "until": until, "started": now})
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if self.kv.set_new(f"class:{code}", record, until):
                return code
        raise ClassroomError("busy")

    def _class(self, code: str) -> dict:
        raw = self.kv.get(f"class:{normalize_code(code)}")
        if raw is None:
            raise ClassroomError("unknown_code")
        record = json.loads(raw)
        if self.clock() >= record["until"]:
            raise ClassroomError("expired")
        return record

    def _lecturer(self, code: str, secret: str) -> dict:
        record = self._class(code)
        if not hmac.compare_digest(record["secret"], _digest(secret or "")):
            raise ClassroomError("not_lecturer")
        return record

    def is_lecturer(self, code: str, secret: str) -> bool:
        try:
            self._lecturer(code, secret)
            return True
        except ClassroomError:
            return False

    def end(self, code: str, secret: str) -> None:
        """The code stops working at once, and the class's data go with it (export first)."""
        self._lecturer(code, secret)
        code = normalize_code(code)
        questions = self.kv.hgetall(f"questions:{code}")
        self.kv.delete(f"class:{code}", f"members:{code}", f"seen:{code}", f"view:{code}",
                       f"version:{code}", f"questions:{code}", f"asked:{code}",
                       *(f"answers:{code}:{q}" for q in questions),
                       *(f"lines:{code}:{page}" for page in LINE_SIZES))
        self.on_change(code)

    # --- members ---------------------------------------------------------------------------
    def join(self, code: str, nickname: str = "") -> str:
        """A new member of the class; returns the member id the student's session keeps."""
        code = normalize_code(code)
        record = self._class(code)
        member = secrets.token_urlsafe(12)
        self.kv.hset(f"members:{code}", member, json.dumps({"nick": clean_nickname(nickname)}),
                     record["until"])
        self.seen(code, member, following=True)
        return member

    def _member(self, code: str, member: str) -> dict:
        record = self._class(code)
        if not isinstance(member, str) or self.kv.hget(f"members:{code}", member) is None:
            raise ClassroomError("not_member")
        return record

    def seen(self, code: str, member: str, following: bool) -> None:
        """A member's heartbeat: still here, and whether they follow the lecturer."""
        record = self._member(code, member)
        self.kv.hset(f"seen:{code}", member, json.dumps([self.clock(), bool(following)]),
                     record["until"])

    def presence(self, code: str, secret: str) -> Presence:
        self._lecturer(code, secret)
        code = normalize_code(code)
        now, connected, following = self.clock(), 0, 0
        for raw in self.kv.hgetall(f"seen:{code}").values():
            when, follows = json.loads(raw)
            if now - when <= PRESENCE_S:
                connected += 1
                following += bool(follows)
        return Presence(connected, following, len(self.kv.hgetall(f"members:{code}")))

    # --- the lecturer's view ---------------------------------------------------------------
    def set_view(self, code: str, secret: str, page: str, params: dict) -> int:
        """Publish the lecturer's page and settings; returns the view's new version."""
        record = self._lecturer(code, secret)
        code = normalize_code(code)
        view = {"page": str(page), "params": {str(k): str(v) for k, v in params.items()}}
        if len(json.dumps(view)) > VIEW_MAX_CHARS:
            raise ClassroomError("too_long")
        current = self.view(code)
        if current and current[1] == view:
            return current[0]
        version = self.kv.incr(f"version:{code}", record["until"])
        self.kv.set(f"view:{code}", json.dumps([version, view]), record["until"])
        self.on_change(code)
        return version

    def version(self, code: str) -> int:
        """The view's version alone (0 before the first view)."""
        current = self.view(code)
        return current[0] if current else 0

    def pulse(self, code: str) -> tuple:
        """(view version, asked question): what a follower waits to see change."""
        return self.version(code), self.asked(code)

    def _current(self, code: str, name: str):
        """The class's current `name` record (view, asked question) or None; checks the code."""
        code = normalize_code(code)
        self._class(code)
        return code, self.kv.get(f"{name}:{code}")

    def view(self, code: str):
        """(version, {"page", "params"}) or None before the lecturer's first view."""
        _, raw = self._current(code, "view")
        if raw is None:
            return None
        version, view = json.loads(raw)
        return int(version), view

    # --- questions and answers -------------------------------------------------------------
    def open_question(self, code: str, secret: str, question: str, choices=None) -> None:
        """Open a question: choices (short strings) or None for a finite number."""
        record = self._lecturer(code, secret)
        if not QUESTION_ID.match(str(question)):
            raise ClassroomError("bad_question")
        spec = {"choices": [str(c)[:ANSWER_MAX_CHARS] for c in choices] if choices else None,
                "revealed": False, "correct": [], "order": len(self.kv.hgetall(
                    f"questions:{normalize_code(code)}"))}
        self.kv.delete(f"answers:{normalize_code(code)}:{question}")  # asked anew: a fresh count
        self.kv.hset(f"questions:{normalize_code(code)}", question, json.dumps(spec),
                     record["until"])
        self.kv.set(f"asked:{normalize_code(code)}", question, record["until"])
        self.on_change(normalize_code(code))

    def asked(self, code: str):
        """The question the class is asked now: (id, revealed) or None. Students poll it."""
        code, question = self._current(code, "asked")
        if question is None:
            return None
        return question, bool(self._question(code, question)["revealed"])

    def close_question(self, code: str, secret: str) -> None:
        """Take the asked question off the students' pages (its answers stay for the export)."""
        self._lecturer(code, secret)
        self.kv.delete(f"asked:{normalize_code(code)}")
        self.on_change(normalize_code(code))

    def _question(self, code: str, question: str) -> dict:
        raw = self.kv.hget(f"questions:{code}", str(question))
        if raw is None:
            raise ClassroomError("no_question")
        return json.loads(raw)

    def answer(self, code: str, member: str, question: str, value) -> None:
        """One answer per member per question, validated and rate-limited."""
        code = normalize_code(code)
        record = self._member(code, member)
        minute = int(self.clock() // 60)
        window_end = min(record["until"], (minute + 1) * 60.0)  # a count outlives no minute
        if self.kv.incr(f"rate:{code}:{member}:{minute}", window_end) > ANSWERS_PER_MINUTE:
            raise ClassroomError("too_fast")
        spec = self._question(code, question)
        if spec["revealed"]:
            raise ClassroomError("closed")
        text = _valid_answer(value, spec["choices"])
        if not self.kv.hset(f"answers:{code}:{question}", member, text, record["until"],
                            only_new=True):
            raise ClassroomError("answered")

    def reveal(self, code: str, secret: str, question: str, correct=()) -> None:
        """Close the answers and show everybody the distribution; correct: the right answers
        (the lecturer's page checks them), kept for the export."""
        record = self._lecturer(code, secret)
        code = normalize_code(code)
        spec = self._question(code, question)
        spec["revealed"] = True
        spec["correct"] = [str(c)[:ANSWER_MAX_CHARS] for c in correct][:64]
        self.kv.hset(f"questions:{code}", question, json.dumps(spec), record["until"])
        self.on_change(code)

    def results(self, code: str, question: str, secret: str | None = None) -> Counter:
        """The distribution of answers: the lecturer's at any time, everybody's after reveal."""
        code = normalize_code(code)
        self._class(code)
        spec = self._question(code, question)
        if not spec["revealed"]:
            self._lecturer(code, secret)
        return Counter(self.kv.hgetall(f"answers:{code}:{question}").values())

    def correct(self, code: str, question: str) -> list[str] | None:
        """The right answers the lecturer's page found at the reveal; None before it."""
        code = normalize_code(code)
        self._class(code)
        spec = self._question(code, question)
        return list(spec.get("correct", [])) if spec["revealed"] else None

    def answer_of(self, code: str, member: str, question: str) -> str | None:
        """A member's own answer (to show it back to them), or None."""
        code = normalize_code(code)
        self._member(code, member)
        return self.kv.hget(f"answers:{code}:{question}", member)

    def export(self, code: str, secret: str) -> list[dict]:
        """Every answer, anonymous: question, answer, and whether it was right once revealed.
        Rows in the order the questions were asked, answers sorted (no member order leaks)."""
        self._lecturer(code, secret)
        code = normalize_code(code)
        specs = {q: json.loads(raw) for q, raw in self.kv.hgetall(f"questions:{code}").items()}
        rows = []
        for question in sorted(specs, key=lambda q: specs[q].get("order", 0)):
            spec = specs[question]
            for value in sorted(self.kv.hgetall(f"answers:{code}:{question}").values()):
                right = "" if not spec["revealed"] else int(value in spec.get("correct", []))
                rows.append({"question": question, "answer": value, "correct": right})
        return rows

    # --- the class's hand-set lines --------------------------------------------------------
    def publish_line(self, code: str, member: str, page: str, numbers) -> None:
        """A student's own line on a page (logistic: w0, w1, w2; regression: slope, intercept)."""
        code = normalize_code(code)
        record = self._member(code, member)
        size = LINE_SIZES.get(page)
        try:
            values = [float(v) for v in numbers]
        except (TypeError, ValueError):
            raise ClassroomError("bad_line") from None
        if size is None or len(values) != size or not all(
                math.isfinite(v) and abs(v) <= LINE_BOUND for v in values):
            raise ClassroomError("bad_line")
        self.kv.hset(f"lines:{code}:{page}", member, json.dumps(values), record["until"])

    def lines(self, code: str, secret: str, page: str) -> list[tuple[str, list[float]]]:
        """Every member's published line on a page, with their nickname ("" if anonymous)."""
        self._lecturer(code, secret)
        code = normalize_code(code)
        if page not in LINE_SIZES:
            raise ClassroomError("bad_line")
        members = self.kv.hgetall(f"members:{code}")
        return [(json.loads(members[m])["nick"] if m in members else "", json.loads(raw))
                for m, raw in sorted(self.kv.hgetall(f"lines:{code}:{page}").items())]


def _valid_answer(value, choices) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text or len(text) > ANSWER_MAX_CHARS:
        raise ClassroomError("bad_answer")
    if choices:
        if text not in choices:
            raise ClassroomError("bad_answer")
        return text
    try:
        number = float(text)
    except ValueError:
        raise ClassroomError("bad_answer") from None
    if not math.isfinite(number) or abs(number) > 1e12:
        raise ClassroomError("bad_answer")
    return f"{number:.6g}"
