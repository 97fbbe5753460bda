"""The classroom benchmark in its small size: a real server, a lecturer and five students.

Only the outcome is asserted: every follower landed on the lecturer's view, every answer sent
was counted once, no errors, the JSON line complete. The delays it prints are for the
benchmark's reader, not for a timed assertion.
"""
import json

KEYS = {"students", "minutes", "follow_delay_p50_ms", "follow_delay_p95_ms", "answers_sent",
        "answers_counted", "errors", "p95_no_training_ms", "rss_growth_mb"}


def test_small_run_of_the_classroom_benchmark(run_python):
    done = run_python("bench/classroom.py", "--students", "5", "--minutes", "0.34",
                      timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert KEYS <= set(result)
    assert result["errors"] == 0, lines[:-1]  # includes followers that missed a view
    assert result["answers_sent"] == result["answers_counted"] == 5 * 3  # 3 questions each
    # The two page switches reached every student (slider moves too, unless the machine is slow).
    assert result["follows_measured"] >= 5 * 2
    assert result["follow_delay_p95_ms"] is not None
