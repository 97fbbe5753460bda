"""The lecture benchmark in its smoke size: a real server, three students, every kind of action.

Only the outcome is asserted (no errors, every action tried, the JSON line complete); the
latencies and memory it prints are for the benchmark's reader, not for a timed assertion.
"""
import json

KEYS = {"sessions", "minutes", "actions", "errors", "p50_ms", "p95_ms", "p95_no_training_ms",
        "rss_start_mb", "rss_peak_mb", "rss_after_first_minute_mb", "rss_end_mb"}


def test_smoke_run_of_the_lecture_benchmark(run_python):
    done = run_python("bench/lecture_load.py", "--sessions", "3", "--minutes", "0.2",
                      "--think", "0.2", "0.5", timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert KEYS <= set(result)
    assert result["sessions"] == 3 and result["errors"] == 0, lines[:-1]
    kinds = result["by_kind"]
    assert kinds["open"]["n"] == 3
    for kind in ("slider", "train", "visit", "back"):
        assert kinds[kind]["n"] >= 3, kind  # every student did a whole round at least
    assert result["p95_no_training_ms"] is not None
    assert 0 < result["rss_start_mb"] <= result["rss_peak_mb"]
