"""Bounds on what a session keeps uploaded: Streamlit's upload endpoint, adapted once at start.

Streamlit 1.67 keeps every file PUT to `/_stcore/upload_file/<session>/<file id>` in memory
(`MemoryUploadedFileManager`) until its session ends: under any id, in any number, each up to
`server.maxUploadSize`. A crafted client can so hold hundreds of MB per session. The runtime's
seam for this is its `UploadedFileManager`; the server builds a `MemoryUploadedFileManager`
before any app code runs and gives that same object to the upload route and to every script
run, so `install()` adapts that object in place, once: its class becomes `BoundedUploads`, a
subclass that
  - keeps only files under an id the server itself issued to that session (the frontend asks
    for upload URLs before it uploads): an invented id is refused with 400;
  - keeps at most MAX_FILES files and MAX_SESSION_BYTES per session: a new file pushes out the
    session's least recently used ones;
  - refuses a file with 503 while all sessions together hold MAX_TOTAL_BYTES;
and `release_unreferenced()`, called after each full run, drops the session's files that no
widget refers to any more (older than GRACE_SECONDS, so an upload whose rerun is on its way
stays). What this cannot bound, many upload bodies in flight at once before the app sees
them, is the reverse proxy's job (deploy/haproxy.cfg).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

import streamlit as st
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

MAX_FILES = 4  # per session: an image and a CSV or two are what the pages take
MAX_SESSION_BYTES = 12 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # every session together
MAX_ISSUED = 32  # upload ids remembered per session (the frontend asks for one per file)
GRACE_SECONDS = 30.0  # an unreferenced file younger than this may be waiting for its rerun

_INSTALL_LOCK = threading.Lock()


def _refuse(status: int, detail: str) -> Exception:
    from starlette.exceptions import HTTPException  # the upload route's server

    return HTTPException(status_code=status, detail=detail)


class BoundedUploads(MemoryUploadedFileManager):
    """MemoryUploadedFileManager with per-session and total bounds (see the module's text)."""

    def _setup_bounds(self) -> None:
        self._bounds = threading.Lock()  # taken before the parent's own lock, never after
        self._issued: dict[str, OrderedDict[str, None]] = {}
        self._held: dict[str, dict[str, list]] = {}  # session -> file id -> [bytes, last use]
        self._held_bytes = 0

    def get_upload_urls(self, session_id, file_names):
        infos = super().get_upload_urls(session_id, file_names)
        with self._bounds:
            issued = self._issued.setdefault(session_id, OrderedDict())
            for info in infos:
                issued[info.file_id] = None
            while len(issued) > MAX_ISSUED:
                issued.popitem(last=False)
        return infos

    def add_file(self, session_id, file) -> None:
        size = len(file.data)
        with self._bounds:
            if file.file_id not in self._issued.get(session_id, ()):
                raise _refuse(400, "Unknown file id for this session")
            if size > MAX_SESSION_BYTES:
                raise _refuse(413, "File too large")
            held = self._held.setdefault(session_id, {})
            self._forget(session_id, file.file_id)  # a file sent again replaces itself
            while held and (len(held) >= MAX_FILES
                            or sum(v[0] for v in held.values()) + size > MAX_SESSION_BYTES):
                self._forget(session_id, min(held, key=lambda f: held[f][1]))
            if self._held_bytes + size > MAX_TOTAL_BYTES:
                raise _refuse(503, "The server holds too many uploads; try again shortly")
            held[file.file_id] = [size, time.monotonic()]
            self._held_bytes += size
            super().add_file(session_id, file)

    def get_files(self, session_id, file_ids):
        records = super().get_files(session_id, file_ids)
        with self._bounds:
            held = self._held.get(session_id, {})
            for record in records:
                if record.file_id in held:
                    held[record.file_id][1] = time.monotonic()
        return records

    def remove_file(self, session_id, file_id) -> None:
        with self._bounds:
            self._forget(session_id, file_id)

    def remove_session_files(self, session_id) -> None:
        with self._bounds:
            for file_id in list(self._held.get(session_id, {})):
                self._forget(session_id, file_id)
            self._held.pop(session_id, None)
            self._issued.pop(session_id, None)
            super().remove_session_files(session_id)

    def release(self, session_id: str, referenced: set[str], grace: float = GRACE_SECONDS):
        """Drop the session's files outside `referenced` not used for `grace` seconds."""
        now = time.monotonic()
        with self._bounds:
            held = self._held.get(session_id, {})
            for file_id in [f for f, (_, used) in held.items()
                            if f not in referenced and now - used >= grace]:
                self._forget(session_id, file_id)

    def held(self, session_id: str) -> tuple[int, int]:
        """(files, bytes) the session holds."""
        with self._bounds:
            held = self._held.get(session_id, {})
            return len(held), sum(v[0] for v in held.values())

    def _forget(self, session_id: str, file_id: str) -> None:  # with self._bounds held
        entry = self._held.get(session_id, {}).pop(file_id, None)
        if entry is not None:
            self._held_bytes -= entry[0]
        super().remove_file(session_id, file_id)


def _manager():
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.uploaded_file_mgr


def install() -> BoundedUploads | None:
    """Adapt the server's upload manager in place (once; later calls find it adapted)."""
    manager = _manager()
    with _INSTALL_LOCK:
        if type(manager) is MemoryUploadedFileManager:
            with manager._lock:  # no upload is stored while the class changes
                BoundedUploads._setup_bounds(manager)
                # Files stored before the adaptation (none: it runs on the first page view)
                # stay the parent's until their session ends.
                manager.__class__ = BoundedUploads
    return manager if isinstance(manager, BoundedUploads) else None


def release_unreferenced() -> None:
    """After a full run: drop this session's files that no widget refers to any more."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = None if ctx is None else ctx.uploaded_file_mgr
    if not isinstance(manager, BoundedUploads):
        return
    referenced: set[str] = set()
    for value in st.session_state.to_dict().values():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            file_id = getattr(item, "file_id", None)
            if isinstance(file_id, str):
                referenced.add(file_id)
    manager.release(ctx.session_id, referenced)
