"""The generated Keras scripts, run as a user runs them: `python script.py` in the script's
folder, as `__main__`, its output captured. One Python process per test file runs them all, so
TensorFlow is imported once instead of once per script (about 4 s each here); each script runs
in a fresh namespace, and Keras' global state is cleared after each one.
"""
from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# The runner: one request (a JSON line) per script on stdin, one reply per script on a copy of
# the first stdout; the scripts' own output is captured, and what C code writes to the process'
# stdout goes to its stderr, never into the replies.
RUNNER = r"""
import contextlib, io, json, os, runpy, sys, traceback
import keras, tensorflow  # noqa: F401 (imported once for every script)

replies = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
for line in sys.stdin:
    request = json.loads(line)
    path = request["path"]
    os.chdir(os.path.dirname(path))
    sys.argv, sys.path[0] = [path], os.path.dirname(path)
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(path, run_name="__main__")
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        except BaseException:
            traceback.print_exc()
            code = 1
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    keras.backend.clear_session()
    replies.write(json.dumps({"returncode": code, "stdout": out.getvalue(),
                              "stderr": err.getvalue()}) + "\n")
    replies.flush()
"""


@dataclass
class Done:
    """What a finished script left: as subprocess.run's result."""
    returncode: int
    stdout: str
    stderr: str


class ScriptRunner:
    """Runs script sources, each written to `folder / name` and run there."""

    def __init__(self, env: dict | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, env={**os.environ, **(env or {})})

    def run(self, source: str, folder: Path, name: str, timeout: float = 600) -> Done:
        path = Path(folder) / name
        path.write_text(source, encoding="utf-8")
        self.process.stdin.write(json.dumps({"path": str(path.resolve())}) + "\n")
        self.process.stdin.flush()
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + timeout
            while not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                if time.monotonic() >= deadline:
                    self.close()
                    raise TimeoutError(f"{name} ran longer than {timeout} s")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the script runner ended while running {name} "
                               f"(exit code {self.process.wait()})")
        return Done(**json.loads(line))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
