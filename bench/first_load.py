"""Every page, opened once on a fresh server, the way a deployment is checked by hand.

    python bench/first_load.py

Starts the app (`streamlit run app.py` on a free loopback port), asks /_stcore/health, then
opens each page the app's navigation lists in a new session over the websocket
(bench/st_client.py), in the navigation's order, and reports how long its first run took,
how many elements it drew, and any exception it showed. Needs only requirements.txt.
Last line: {"pages": N, "errors": E, "first_load_ms": {"PAGE": ms, ...}}
"""
from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_server import running_app  # noqa: E402
from st_client import ProtocolError, Session  # noqa: E402


async def visit_all(url: str) -> dict:
    async with Session(url) as tab:  # the entry page tells the navigation
        await tab.open("")
        paths = list(tab.pages)
    report = {}
    for path in paths:
        async with Session(url) as tab:
            try:
                run = await tab.open(path)
                problems = run.exceptions + (["page not found"] if run.page_not_found else [])
                if run.status != "ok":
                    problems.append(run.status)
                report[path or "home"] = (run.seconds, len(tab.elements), problems)
            except ProtocolError as error:
                report[path or "home"] = (None, 0, [str(error)])
    return report


def main() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "streamlit.log"
        with open(log_path, "w") as log, running_app(log) as (url, _):
            report = asyncio.run(visit_all(url))
        tracebacks = log_path.read_text(errors="replace").count("Traceback")
    errors = sum(len(problems) for _, _, problems in report.values()) + tracebacks
    for page, (seconds, elements, problems) in report.items():
        shown = "-" if seconds is None else f"{seconds:6.1f} s"
        print(f"{page:>15}: {shown}, {elements:4d} elements {'; '.join(problems)}")
    result = {"pages": len(report), "errors": errors,
              "first_load_ms": {page: None if s is None else round(s * 1000)
                                for page, (s, _, _) in report.items()}}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
