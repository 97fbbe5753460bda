"""Shared fixtures: one app server and one headless Chromium per test session, a fresh browser
context per test, a fresh Python process on request; and the `fast` marker, given to every
test that needs none of them.

The helpers live in tests/support/ and are re-exported here, so tests import them from
`conftest` (or `support.*`), never from another test file.
"""
from __future__ import annotations

import ast
import functools
import inspect
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from support import ROOT  # noqa: E402
from support.apptest import app_test, assert_clean, chart_spec, decode, metric, open_page, \
    page_params, plotly_specs  # noqa: E402,F401
from support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, new_tab, \
    screenshot, wait_idle  # noqa: E402,F401
from support.pages import PAGES, PATHS  # noqa: E402,F401
from support.scripts import ScriptRunner  # noqa: E402
from support.servers import free_port, start_redis  # noqa: E402,F401

# The app server and the tests read the shipped MNIST digits, never the network.
OFFLINE = {"MNIST_OFFLINE": "1"}
os.environ.update(OFFLINE)
# Trainings run in the test process itself (lib/engine/jobs.py), unless a run asks otherwise;
# the app server of the browser tests keeps the app's default, its own worker processes.
_WORKERS_CHOSEN = "ML_LAB_WORKERS" in os.environ
os.environ.setdefault("ML_LAB_WORKERS", "0")
# Fixtures that start a browser, a server or another process: their tests are not `fast`.
PROCESS_FIXTURES = {"app_url", "browser", "page", "fresh_tab", "run_python", "run_script"}
# Names whose use in a test (or a helper of its module it calls) starts a process.
PROCESS_NAMES = {"subprocess", "Popen", "multiprocessing"}


def run_async(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API (the session-wide browser
    fixture) keeps an event loop running in the main thread once a browser test has run."""
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# ---------------------------------------------------------------------------------------------
# The fast marker


@functools.lru_cache(maxsize=None)
def _process_functions(path: str) -> frozenset:
    """Module-level functions of a test file that start a process, directly or through
    another function of the same file."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    uses = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            uses[node.name] = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | \
                {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    spawning = {name for name, names in uses.items() if names & PROCESS_NAMES}
    while True:
        more = {name for name, names in uses.items() if names & spawning} - spawning
        if not more:
            return frozenset(spawning)
        spawning |= more


def _starts_a_process(item) -> bool:
    callspec = getattr(item, "callspec", None)
    fixtures = set(item.fixturenames) - set(callspec.params if callspec else ())  # not arguments
    if item.get_closest_marker("browser") or item.get_closest_marker("processes") \
            or PROCESS_FIXTURES & fixtures:
        return True
    function = getattr(item, "function", None)
    try:
        path = inspect.getsourcefile(function)
    except TypeError:
        return False
    return function.__name__ in _process_functions(path)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not _starts_a_process(item):
            item.add_marker(pytest.mark.fast)


# ---------------------------------------------------------------------------------------------
# Processes


@pytest.fixture
def run_python():
    """Run Python code (`-c`) or a script in a fresh process, from the repository by default;
    the finished process (stdout and stderr as text)."""

    def run(*arguments: str, code: str | None = None, cwd: Path = ROOT, timeout: float = 600):
        command = [sys.executable, *(["-c", code] if code is not None else []), *arguments]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                              env={**os.environ, **OFFLINE})

    return run


@pytest.fixture(scope="module")
def run_script():
    """Run a generated script's source as a user runs it (`python NAME` in a folder):
    `run_script(source, folder, name)`, the finished run (returncode, stdout, stderr). The
    scripts of a test file share one Python process that imports TensorFlow once."""
    runner = ScriptRunner({**OFFLINE, "MPLBACKEND": "Agg"})
    yield runner.run
    runner.close()


def app_env(**extra) -> dict:
    """The environment of an app server the tests start: offline, the app's default workers."""
    env = {**os.environ, **OFFLINE, **extra}
    if not _WORKERS_CHOSEN and "ML_LAB_WORKERS" not in extra:
        env.pop("ML_LAB_WORKERS", None)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url():
    """`streamlit run app.py` on a free local port, one for the whole test session."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_name = f"streamlit-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"  # one per worker
    log = open(ARTIFACTS / log_name, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=app_env())
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)  # the server is still starting: nothing in the page to wait on
    else:
        server.kill()
        pytest.fail(f"the app did not start; see test-artifacts/{log_name}")
    yield url
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throwaway redis-server on a free port, without persistence, one for the whole test
    session (the class store's tests and the training jobs' run on it)."""
    process, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    process.terminate()
    process.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, one for the whole test session (skipped
    where either is missing, except in CI, where a missing browser is a failure)."""
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium-headless-shell)")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def fresh_tab(browser):
    """Make tabs in fresh contexts (each its own browser session), closed after the test:
    `fresh_tab()`, or `fresh_tab(permissions=[...])` with Playwright's context options."""
    contexts = []

    def make(**options):
        tab = new_tab(browser, **options)
        contexts.append(tab.context)
        return tab

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(fresh_tab):
    """A tab in a fresh browser context, for one test."""
    return fresh_tab()
