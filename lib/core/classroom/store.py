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

    def __init__(self, kv, clock=time.time):
        self.kv = kv
        self.clock = clock

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
        """The code stops working at once; the rest expires with the class's keys."""
        self._lecturer(code, secret)
        self.kv.delete(f"class:{normalize_code(code)}")

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
        return version

    def version(self, code: str) -> int:
        """The view's version alone: what a follower polls (0 before the first view)."""
        current = self.view(code)
        return current[0] if current else 0

    def view(self, code: str):
        """(version, {"page", "params"}) or None before the lecturer's first view."""
        code = normalize_code(code)
        self._class(code)
        raw = self.kv.get(f"view:{code}")
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
                "revealed": False}
        self.kv.hset(f"questions:{normalize_code(code)}", question, json.dumps(spec),
                     record["until"])

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
        if self.kv.incr(f"rate:{code}:{member}:{minute}", record["until"]) > ANSWERS_PER_MINUTE:
            raise ClassroomError("too_fast")
        spec = self._question(code, question)
        if spec["revealed"]:
            raise ClassroomError("closed")
        text = _valid_answer(value, spec["choices"])
        if not self.kv.hset(f"answers:{code}:{question}", member, text, record["until"],
                            only_new=True):
            raise ClassroomError("answered")

    def reveal(self, code: str, secret: str, question: str) -> None:
        record = self._lecturer(code, secret)
        code = normalize_code(code)
        spec = self._question(code, question)
        spec["revealed"] = True
        self.kv.hset(f"questions:{code}", question, json.dumps(spec), record["until"])

    def results(self, code: str, question: str, secret: str | None = None) -> Counter:
        """The distribution of answers: the lecturer's at any time, everybody's after reveal."""
        code = normalize_code(code)
        self._class(code)
        spec = self._question(code, question)
        if not spec["revealed"]:
            self._lecturer(code, secret)
        return Counter(self.kv.hgetall(f"answers:{code}:{question}").values())


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
