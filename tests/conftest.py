"""Shared test helpers: AppTest runs of a page, and a real app server with headless Chromium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]


def app_test(page: str | None = None, query: dict | None = None, timeout: float = 180):
    """An AppTest of the whole app (sidebar included), switched to views/<page>.py and run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    if page:
        at.switch_page(f"views/{page}.py")
    return at.run()


def assert_clean(at) -> None:
    """No exception element and no uncaught error in an AppTest run."""
    assert not at.exception, [e.value for e in at.exception]


def run_async(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API (the session-wide browser
    fixture) keeps an event loop running in the main thread once a browser test has run."""
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def plotly_specs(at) -> list[dict]:
    import json

    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url():
    """`streamlit run app.py` on a free local port, for the browser tests."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("the app did not start; see test-artifacts/streamlit.log")
    yield url
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (skipped where neither is installed,
    except in CI, where a missing browser is a failure)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()


def wait_idle(tab, timeout_ms: int = 120_000) -> None:
    """Wait until the script has finished running (and the page has settled)."""
    tab.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                          timeout=timeout_ms)
    tab.wait_for_timeout(500)
    tab.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                          timeout=timeout_ms)


def screenshot(tab, name: str) -> Path:
    """A full-length screenshot kept in test-artifacts/screenshots/ (the CI artifact)."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    height = tab.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer], section.main, body'), e => e.scrollHeight))")
    tab.set_viewport_size({"width": 1400, "height": min(max(int(height), 1000), 12000)})
    tab.wait_for_timeout(800)
    tab.screenshot(path=str(path), full_page=True)
    tab.set_viewport_size({"width": 1400, "height": 1000})
    return path
