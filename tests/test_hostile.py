"""The hostile-class benchmark in its small size: a real server, three ordinary students and
three hostile sessions that replay every attack (crafted canvas values, near-limit images,
upload floods, training floods, crafted widget values) for 20 s.

Only outcomes are asserted: no traceback anywhere (in any session or in the server's log), no
error in the ordinary sessions, every attack tried, no upload under an invented id kept, and
the server's memory bounded (peak RSS under the issue's 2000 MB). Latencies are the
benchmark's to print, not a timed assertion.
"""
import json
import subprocess
import sys

from conftest import ROOT

KEYS = {"normal_sessions", "hostile_sessions", "minutes", "peak_rss_mb", "rss_end_mb",
        "errors_normal", "tracebacks", "p95_normal_no_training_ms", "p95_normal_training_ms"}


def test_a_small_hostile_class_leaves_no_traceback_and_bounded_memory():
    done = subprocess.run(
        [sys.executable, "bench/hostile.py", "--normal", "3", "--hostile", "3",
         "--minutes", "0.34"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert KEYS <= set(result)
    assert (result["normal_sessions"], result["hostile_sessions"]) == (3, 3)
    assert result["tracebacks"] == 0, lines[:-1]
    assert result["errors_normal"] == 0, lines[:-1]
    assert all(n >= 3 for n in result["attacks"].values()), result["attacks"]
    assert result["uploads"]["invented_kept"] == 0
    assert result["uploads"]["invented_refused"] >= 3 * 60
    assert 0 < result["rss_start_mb"] <= result["peak_rss_mb"] < 2000
