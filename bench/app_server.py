"""Start the app as `streamlit run app.py` on a free loopback port, for the benchmarks.

    with running_app(log) as (url, process):
        ...

The server listens on 127.0.0.1 only; it is stopped when the block ends.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120  # seconds for the server to answer /_stcore/health


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(log, root: Path = ROOT, env: dict | None = None):
    """Yield (base url, Popen) of a running app whose output goes to the file `log`; `env`
    adds to this process's environment (ML_LAB_WORKERS, REDIS_URL, ...)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=root, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                raise RuntimeError("the app exited at start; see its log")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not answer within {START_TIMEOUT} s")
            time.sleep(0.5)
        yield url, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
