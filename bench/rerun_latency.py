"""Server-side time of a rerun after a slider change, for every page of the app (AppTest).

    python bench/rerun_latency.py [--runs 50] [--warmup 5]

For each page listed in app.py: open it, rerun it `--warmup` times, then `--runs` times move
one slider to a new value and rerun, timing each rerun on the script thread:

- median_ms, p95_ms: the whole server-side rerun, from the request until the script runner is
  free again. This includes Streamlit's cleanup after every run (a full garbage collection, and
  keras.backend.clear_session() once Keras is imported), which holds the GIL.
- script_median_ms, script_p95_ms: until the script has finished and its output is sent,
  which is what the student waits for.
- served_median_ms, served_p95_ms: the same slider moves sent to `streamlit run app.py` over
  its websocket (bench/st_client.py): from the move until the page is idle again. There a
  slider inside a fragment reruns only its fragment, as in a student's browser.
- no_tf_median_ms, no_tf_p95_ms: the same whole rerun in a fresh process where TensorFlow
  cannot load (pages that need it are left out there): a server before anyone has trained.

The main figures are measured after every page was warmed up, so TensorFlow is loaded and
trainings are cached: the state of a server during a lecture. AppTest compiles the page scripts
on every run; the real server compiles each once, and so does this benchmark (shared cache).
Pages without a slider in SLIDERS are timed as plain reruns ("slider": null in the output).

Those collections stay cheap because the app freezes what its imports brought
(lib/ui/heap.py); --no-freeze turns that off, to see what it saves.

The last line of the output is one JSON object: {"PAGE": {"median_ms": …, "p95_ms": …}, …}.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# The slider a student moves on each page. Pages not listed (home, glossary, MNIST, whose
# every slider starts a training) are timed as plain reruns; the output names the slider.
SLIDERS = {"regression": "regression.slope", "logistic": "logistic.w0", "sigmoid": "sigmoid.a",
           "cross_entropy": "xent.p", "multiclass": "multiclass.spread3"}
_TIMES: list[dict] = []


def pages_in_app() -> list[str]:
    """The app's pages (lib/ui/pages.py), in navigation order ("home", "regression", …)."""
    from lib.ui import pages

    return list(pages.NAMES)


def _instrument() -> None:
    """Time the script thread; compile each script once, as the real server does."""
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    shared: dict = {}
    get_bytecode = ScriptCache.get_bytecode

    def cached_bytecode(self, script_path):
        if script_path not in shared:
            shared[script_path] = get_bytecode(self, script_path)
        return shared[script_path]

    ScriptCache.get_bytecode = cached_bytecode

    run_script = script_runner.ScriptRunner._run_script

    def timed_run_script(self, *args, **kwargs):
        record = {"start": time.perf_counter()}
        _TIMES.append(record)
        try:
            return run_script(self, *args, **kwargs)
        finally:
            record["end"] = time.perf_counter()

    script_runner.ScriptRunner._run_script = timed_run_script

    on_finished = LocalScriptRunner._on_script_finished

    def timed_on_finished(self, *args, **kwargs):
        if _TIMES and "finished" not in _TIMES[-1]:
            _TIMES[-1]["finished"] = time.perf_counter()
        return on_finished(self, *args, **kwargs)

    LocalScriptRunner._on_script_finished = timed_on_finished


def _slider_values(at, page: str) -> list:
    """Eleven values across the page's slider, on its steps ([] when it has none)."""
    key = SLIDERS.get(page)
    if key is None:
        return []
    slider = at.slider(key=key)
    lo, hi, step = float(slider.min), float(slider.max), float(slider.step or 1)
    values = [lo + step * round(v / step) for v in np.linspace(0, hi - lo, 13)[1:-1]]
    return [type(slider.value)(v) if isinstance(slider.value, int) else v for v in values]


def _mover(at, page: str):
    """A function that moves the page's slider to its next value (None: no slider)."""
    values = _slider_values(at, page)
    if not values:
        return None
    slider = at.slider(key=SLIDERS[page])
    state = {"i": 0}

    def move():
        state["i"] += 1
        at.slider(key=slider.key).set_value(values[state["i"] % len(values)])

    return move


def _open(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    if page != "home":
        at.switch_page(f"views/{page}.py")
    at.run()
    return at


def _summary(records: list[dict]) -> dict:
    total = np.array([(r["end"] - r["start"]) * 1000 for r in records])
    script = np.array([(r.get("finished", r["end"]) - r["start"]) * 1000 for r in records])
    return {"median_ms": round(float(np.median(total)), 1),
            "p95_ms": round(float(np.percentile(total, 95)), 1),
            "script_median_ms": round(float(np.median(script)), 1),
            "script_p95_ms": round(float(np.percentile(script, 95)), 1)}


def measure(pages: list[str], runs: int, warmup: int, log=print) -> dict:
    """Warm every page up first (trainings, TensorFlow), then time `runs` slider reruns each."""
    opened, results = {}, {}
    for page in pages:
        at = _open(page)
        if at.exception:
            log(f"{page}: skipped, the page raised {at.exception[0].value[:120]!r}")
            continue
        move = _mover(at, page)
        for _ in range(warmup):
            if move:
                move()
            at.run()
        opened[page] = (at, move)
    for page, (at, move) in opened.items():
        records = []
        for _ in range(runs):
            if move:
                move()
            before = len(_TIMES)
            at.run()
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].value}")
            records.extend(r for r in _TIMES[before:] if "end" in r)
        results[page] = {**_summary(records), "slider": SLIDERS.get(page),
                         "values": _slider_values(at, page)}
        log(f"{page}: {results[page]}")
    return results


async def _served(url: str, page: str, values: list, runs: int, warmup: int) -> list[float]:
    """Seconds from each slider move to the page being idle again, on the real server."""
    from st_client import Session

    async with Session(url) as tab:
        await tab.open("" if page == "home" else page)
        seconds = []
        for i in range(warmup + runs):
            if values:
                run = await tab.set(SLIDERS[page], values[i % len(values)])
            else:
                run = await tab.rerun()
            if run.status != "ok" or run.exceptions:
                raise RuntimeError(f"{page}: {run.status} {run.exceptions[:1]}")
            if i >= warmup:
                seconds.append(run.seconds)
        return seconds


def measure_served(results: dict, runs: int, warmup: int, log=print) -> None:
    """Add served_median_ms / served_p95_ms: the same moves sent to `streamlit run app.py` over
    its websocket. A slider inside a fragment reruns only that fragment there (AppTest reruns
    the whole page), so this is what a student waits for, Streamlit's cleanup included."""
    import asyncio
    import tempfile

    from app_server import running_app

    with tempfile.TemporaryFile("w") as server_log, running_app(server_log) as (url, _):
        for page, figures in results.items():
            ms = np.array(asyncio.run(_served(url, page, figures["values"], runs, warmup))) * 1000
            figures["served_median_ms"] = round(float(np.median(ms)), 1)
            figures["served_p95_ms"] = round(float(np.percentile(ms, 95)), 1)
            log(f"{page} (served): median {figures['served_median_ms']} ms, "
                f"p95 {figures['served_p95_ms']} ms")


def _block_tensorflow() -> None:
    """Make `import tensorflow` / `import keras` fail: pages that train then raise and are skipped."""
    for name in ("tensorflow", "keras"):
        sys.modules[name] = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-tensorflow", action="store_true",
                        help="measure only the pages that run without TensorFlow")
    parser.add_argument("--pages", nargs="+", metavar="PAGE",
                        help="only these pages (default: every page of app.py)")
    parser.add_argument("--no-freeze", action="store_true",
                        help="keep the app from freezing long-lived objects (see above)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    pages = [p for p in pages_in_app() if not args.pages or p in args.pages]
    if args.no_freeze:
        from lib.ui import heap

        heap.freeze_after_imports = lambda: False
    log = lambda text: print(text, file=sys.stderr if args.no_tensorflow else sys.stdout,
                             flush=True)

    if args.no_tensorflow:
        _block_tensorflow()
        _instrument()
        print(json.dumps(measure(pages, args.runs, args.warmup, log)))
        return

    cold = subprocess.run([sys.executable, __file__, "--no-tensorflow", "--runs", str(args.runs),
                           "--warmup", str(args.warmup)] + ["--no-freeze"] * args.no_freeze
                          + (["--pages", *args.pages] if args.pages else []),
                          capture_output=True, text=True, cwd=ROOT)
    for line in cold.stderr.splitlines():
        if re.match(r"^[a-z0-9_]+: ", line):
            log(f"(without TensorFlow) {line}")
    cold_results = json.loads(cold.stdout.strip().splitlines()[-1]) if cold.returncode == 0 \
        else {}
    _instrument()
    results = measure(pages, args.runs, args.warmup, log)
    measure_served(results, args.runs, args.warmup, log)
    for figures in results.values():
        del figures["values"]
    for page, figures in cold_results.items():
        if page in results:
            results[page]["no_tf_median_ms"] = figures["median_ms"]
            results[page]["no_tf_p95_ms"] = figures["p95_ms"]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
