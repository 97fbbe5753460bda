"""How large the app's websocket messages are: what `server.maxMessageSize` must let through.

    python bench/message_size.py [--skip-browser]

Streamlit applies `server.maxMessageSize` to both directions of the websocket: a larger message
from a tab closes its connection (uploads go over HTTP, not here), and a larger one to a tab is
replaced by an error. Both directions are measured on the running app:
  sent      the largest message a tab sends is the drawing canvas's value: its picture as a PNG
            data URL and every stroke as JSON. Headless Chromium scribbles over the whole canvas
            for long (STROKES strokes of POINTS mouse moves each: far more ink than a digit),
            at device pixel ratios 1, 2 and 3 (a phone or a zoomed projector renders the PNG at
            two or three times the canvas's pixels); every frame the tab sends is counted.
  received  every page over the protocol client (bench/st_client.py): its defaults and its
            heaviest settings, plain and in lecture mode, and with the largest CSV an upload may
            hold (5000 rows) on the pages that read one.
The last line is one JSON object: {"sent_max_bytes": {dpr: bytes}, "received_max_bytes":
{case: bytes}, "largest_sent", "largest_received", "limit_mb", "widget_state_limit_mb"}.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np
from streamlit.proto.WidgetStates_pb2 import WidgetState

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_server import ROOT, running_app  # noqa: E402
from st_client import Session, put_file  # noqa: E402

STROKES = 60
POINTS = 120  # mouse moves per stroke: a long zig-zag across the canvas
PIXEL_RATIOS = (1, 2, 3)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]
HEAVY = "epochs=20000&test=0.5"  # the most epochs: the longest curves; a test split beside
PAGES = {  # case -> (url path, query string)
    "home": ("", "k=4&kstep=8&episodes=500"),
    "logistic manual": ("logistic", "src=generated&n=500"),
    "logistic training": ("logistic", f"src=generated&n=500&tab=training&clip=true&{HEAVY}"),
    "sigmoid": ("sigmoid", "src=generated&n=500"),
    "cross_entropy shares": ("cross_entropy", "src=generated&n=500&path=true"),
    "cross_entropy surface": ("cross_entropy", "src=generated&n=500&path=true&view=surface"),
    "cross_entropy compare": ("cross_entropy", "src=generated&n=500&path=true&view=compare"),
    "multiclass": ("multiclass", f"n=200&k=4&{HEAVY}"),
    "regression hand": ("regression", "n=200&deg=9&ls=true"),
    "regression training": ("regression", f"n=200&deg=9&tab=training&{HEAVY}"),
    "mnist digit": ("mnist", "tab=digit"),
    "mnist training": ("mnist", "tab=training&size=0&layers=2&width=256&epochs=30"),
    "mnist draw": ("mnist", "tab=draw"),
    "glossary": ("glossary", ""),
}
UPLOADS = {  # case -> (url path, query string, uploader key, CSV header, label values)
    "logistic upload": ("logistic", f"src=upload&tab=training&clip=true&{HEAVY}", "data.file",
                        "x,y,t", 2),
    "cross_entropy upload": ("cross_entropy", "src=upload&path=true&view=surface", "data.file",
                             "x,y,t", 2),
    "multiclass upload": ("multiclass", f"src=upload&{HEAVY}", "multiclass.file", "x,y,class",
                          6),
    "regression upload": ("regression", f"src=upload&tab=training&{HEAVY}", "regression.file",
                          "spend,sales", 0),
}
ROWS = 5000  # the most rows an uploaded CSV may have (lib/core/datasets.py MAX_POINTS)


def limits() -> tuple[float, float]:
    with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
        server = tomllib.load(handle).get("server", {})
    return server.get("maxMessageSize", 200), server.get("maxWidgetStateSize", 25)


def big_csv(header: str, classes: int) -> bytes:
    rng = np.random.RandomState(0)
    x = rng.uniform(0, 30, size=(ROWS, 2))
    if classes:
        labels = np.arange(ROWS) % classes
        rows = [f"{a:.6f},{b:.6f},{c}" for (a, b), c in zip(x, labels)]
    else:
        rows = [f"{a:.6f},{3 * a + 10 + b:.6f}" for a, b in x]
    return (header + "\n" + "\n".join(rows) + "\n").encode()


async def received(url: str) -> dict:
    sizes = {}
    for lecture in (False, True):
        mode = "&lecture=true" if lecture else ""
        suffix = " lecture" if lecture else ""
        for case, (path, query) in PAGES.items():
            async with Session(url, timeout=600) as tab:
                run = await tab.open(path, f"lang=en{mode}&{query}".rstrip("&"))
                assert run.status == "ok" and not run.exceptions, (case, run)
                sizes[case + suffix] = run.largest
        for case, (path, query, key, header, classes) in UPLOADS.items():
            async with Session(url, timeout=600) as tab:
                await tab.open(path, f"lang=en{mode}&{query}")
                content = big_csv(header, classes)
                urls = (await tab.upload_urls(["data.csv"]))[0]
                status = await asyncio.to_thread(put_file, url, tab.session_id, urls.file_id,
                                                 "data.csv", content)
                assert status == 204, (case, status)
                state = WidgetState()
                info = state.file_uploader_state_value.uploaded_file_info.add()
                info.file_id, info.name, info.size = urls.file_id, "data.csv", len(content)
                info.file_urls.CopyFrom(urls)
                run = await tab.send_state(key, state)
                assert run.status == "ok" and not run.exceptions, (case, run)
                sizes[case + suffix] = run.largest
        print(json.dumps({k: v for k, v in sizes.items() if k.endswith(suffix)}), flush=True)
    return sizes


def scribble(page) -> None:
    """STROKES long zig-zag strokes across the whole canvas, each left to be sent."""
    canvas = page.locator(".st-key-mnist-canvas canvas").last
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    rng = np.random.RandomState(1)
    for _ in range(STROKES):
        page.mouse.move(box["x"] + 5, box["y"] + 5)
        page.mouse.down()
        for _ in range(POINTS):
            page.mouse.move(box["x"] + rng.uniform(2, box["width"] - 2),
                            box["y"] + rng.uniform(2, box["height"] - 2))
        page.mouse.up()
        page.wait_for_timeout(250)  # the component sends a drawing 200 ms after its change


def sent(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    sizes = {}
    with sync_playwright() as p:
        chromium = shutil.which("chromium-headless-shell") or shutil.which("chromium")
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for ratio in PIXEL_RATIOS:
            context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                          device_scale_factor=ratio)
            page = context.new_page()
            frames = []
            page.on("websocket", lambda ws: ws.on(
                "framesent", lambda payload: frames.append(len(payload))))
            page.goto(f"{url}/mnist?lang=en&tab=draw", timeout=600_000)
            page.locator(".st-key-mnist-canvas canvas").last.wait_for(timeout=600_000)
            scribble(page)
            page.wait_for_timeout(2000)
            page.wait_for_function(
                "document.querySelector('[data-testid=stApp]')"
                "?.getAttribute('data-test-script-state') === 'notRunning'", timeout=600_000)
            sizes[str(ratio)] = max(frames)
            print(json.dumps({"ratio": ratio, "frames": len(frames), "largest": max(frames)}),
                  flush=True)
            context.close()
        browser.close()
    return sizes


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args(argv)
    limit, widget_limit = limits()
    with tempfile.TemporaryDirectory() as folder, \
            open(Path(folder) / "streamlit.log", "w") as log, running_app(log) as (url, _server):
        sent_sizes = {} if args.skip_browser else sent(url)
        received_sizes = asyncio.run(received(url))
    result = {"sent_max_bytes": sent_sizes, "received_max_bytes": received_sizes,
              "largest_sent": max(sent_sizes.values(), default=0),
              "largest_received": max(received_sizes.values()),
              "limit_mb": limit, "widget_state_limit_mb": widget_limit}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
