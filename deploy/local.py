"""The deployment's topology without Docker, on this machine's loopback: redis-server, R app
replicas (`streamlit run app.py`, each on its own port, with REDIS_URL), W training workers
(`python -m lib.engine.queue_redis`) and haproxy in front, from deploy/haproxy.cfg.

    python deploy/local.py --replicas 3 --workers 2 --port 8080    # until Ctrl-C

    with Topology(replicas=2, workers=1, folder=tmp) as top:      # tests and benchmarks
        top.url, top.redis_url, top.kill_replica(0), top.kill_worker(0)

Only Debian's redis-server and haproxy and this repository's own entry points are started.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "haproxy.cfg"
START_TIMEOUT = 180  # seconds for a server to answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proxy_config(ports: list[int]) -> str:
    """deploy/haproxy.cfg with its server templates written out as one server per replica."""
    text = CONFIG.read_text(encoding="utf-8")
    template = re.compile(r'^(\s*)server-template app "\$\{APP_REPLICAS\}" "\$\{APP_SERVER\}"(.*)$',
                          re.M)

    def servers(match):
        indent, options = match.group(1), match.group(2)
        return "\n".join(f"{indent}server app{i + 1} 127.0.0.1:{port}{options}"
                         for i, port in enumerate(ports))

    rendered, count = template.subn(servers, text)
    if count != 2:
        raise ValueError("deploy/haproxy.cfg: expected the two backends' server templates")
    return rendered


def _wait_http(url: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start; see its log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer within {START_TIMEOUT} s")
        time.sleep(0.3)  # still starting: nothing else to wait on


class Topology:
    def __init__(self, replicas: int = 3, workers: int = 2, folder: Path | None = None,
                 port: int | None = None, env: dict | None = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="ml-lab-"))
        self.replicas_wanted, self.workers_wanted = replicas, workers
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        self.env.pop("ML_LAB_WORKERS", None)  # the replicas send jobs to Redis
        self.redis = self.proxy = None
        self.apps: list[subprocess.Popen] = []
        self.app_ports: list[int] = []
        self.workers: list[subprocess.Popen] = []
        self.killed: set[int] = set()  # workers killed on purpose: not started again
        self._stopping = threading.Event()
        self.url = f"http://127.0.0.1:{self.port}"
        self.redis_url = ""

    def _log(self, name: str):
        return open(self.folder / f"{name}.log", "w")

    def start(self) -> Topology:
        redis_port = free_port()
        self.redis = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(redis_port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
             str(self.folder)], stdout=self._log("redis"), stderr=subprocess.STDOUT)
        self.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        self.env["REDIS_URL"] = self.redis_url
        for i in range(self.workers_wanted):
            self.workers.append(self._worker(i))
        for i in range(self.replicas_wanted):
            self.app_ports.append(free_port())
            self.apps.append(self._app(i))
        for i, app in enumerate(self.apps):
            _wait_http(f"http://127.0.0.1:{self.app_ports[i]}/_stcore/health", app, f"app {i}")
        config = self.folder / "haproxy.cfg"
        config.write_text(proxy_config(self.app_ports), encoding="utf-8")
        proxy_env = {**self.env, "LB_BIND": f"127.0.0.1:{self.port}",
                     "COOKIE_KEY": secrets.token_hex(16)}
        self.proxy = subprocess.Popen(
            [shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", str(config)],
            env=proxy_env, stdout=self._log("haproxy"), stderr=subprocess.STDOUT)
        _wait_http(self.url + "/_stcore/health", self.proxy, "haproxy")
        threading.Thread(target=self._supervise, daemon=True, name="workers").start()
        return self

    def _supervise(self) -> None:
        """Start again a worker that left by itself (after --max-jobs, or past its memory
        cap), as Docker's restart policy does."""
        while not self._stopping.wait(1.0):
            for i, worker in enumerate(self.workers):
                if worker.poll() is not None and i not in self.killed \
                        and not self._stopping.is_set():
                    self.workers[i] = self._worker(i)

    def _app(self, i: int) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(self.app_ports[i]), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**self.env, "ML_LAB_REPLICA": f"app{i + 1}"},
            stdout=self._log(f"app{i + 1}"), stderr=subprocess.STDOUT)

    def _worker(self, i: int) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "lib.engine.queue_redis", "--url", self.redis_url],
            cwd=ROOT, env=self.env, stdout=open(self.folder / f"worker{i + 1}.log", "a"),
            stderr=subprocess.STDOUT)

    def kill_replica(self, i: int) -> None:
        self.apps[i].kill()
        self.apps[i].wait(30)

    def kill_worker(self, i: int) -> None:
        self.killed.add(i)
        self.workers[i].kill()
        self.workers[i].wait(30)

    def pids(self) -> dict:
        return {"apps": [p.pid for p in self.apps], "workers": [p.pid for p in self.workers]}

    def stop(self) -> None:
        self._stopping.set()
        for process in [self.proxy, *self.apps, *self.workers, self.redis]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [self.proxy, *self.apps, *self.workers, self.redis]:
            if process is None:
                continue
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(30)

    def __enter__(self) -> Topology:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    options = parser.parse_args(argv)
    with Topology(options.replicas, options.workers, port=options.port) as top:
        print(f"{top.url} (replicas {top.app_ports}, {top.redis_url}; logs in {top.folder})")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
