"""A class with hostile students in it: ordinary sessions beside sessions that attack the server.

    python bench/hostile.py [--normal 20] [--hostile 10] [--minutes 3] [--workers 1]

Starts the app as Community Cloud does (`streamlit run app.py`, one process, which starts one
training worker in a 2.7 GB container; its RSS counts in the memory figures) and drives it over
its real websocket (bench/st_client.py). N ordinary students run the lecture benchmark's mix
(bench/lecture_load.py: sliders, their own trainings, page visits) while H hostile sessions
replay every attack in a loop, with a short pause between attacks:
  canvas    crafted drawing-canvas values: a 9000 × 9000 PNG data URL (435 kB), garbage, an EPS
            file, a drawing of the wrong shape, and a PNG at the canvas's pixel limit;
  images    near-limit uploads to the MNIST page: a 6300 × 6300 WebP of 1.6 kB, an 8-megapixel
            RGBA PNG, a 12-megapixel JPEG (uploaded over HTTP, then named in the widget's value);
  uploads   upload floods: 60 files of (just under) 5 MB under invented ids, then 10 under ids
            the server issued;
  training  training-queue floods: the MNIST page's heaviest settings (two hidden layers of 256,
            batch 16, 30 epochs) with a new seed each time, from two tabs left at once and a
            third that waits;
  widgets   crafted widget values: NaN to an integer number input, a number to a select
            slider, text to a slider, an option that does not exist.
The last line is one JSON object:
  {"normal_sessions", "hostile_sessions", "minutes", "peak_rss_mb", "rss_end_mb",
   "errors_normal", "tracebacks", "p95_normal_no_training_ms", "p95_normal_training_ms", …}
tracebacks counts the tracebacks in the server's log, where Streamlit logs every exception a
session is shown and every error outside a script run (the extra keys say which sessions were
shown how many); errors_normal counts the ordinary sessions' errors (lecture_load's
Record). Targets on two cores: peak RSS under 2000 MB, no errors and no tracebacks in ordinary
sessions, p95 under 3 s for their actions that train nothing and under 20 s for trainings.
A smoke run: python bench/hostile.py --normal 3 --hostile 3 --minutes 0.34
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import math
import random
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
from PIL import Image, ImageDraw
from streamlit.proto.WidgetStates_pb2 import WidgetState

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_server import running_app  # noqa: E402
from lecture_load import Record, ms, percentile, rss_mb, sample_memory, student  # noqa: E402
from st_client import ProtocolError, Session, put_file  # noqa: E402

ATTACKS = ("canvas", "images", "uploads", "training", "widgets")
ACTION_TIMEOUT = 300  # seconds for one script run
HEAVY = "layers=2&width=256&batch=16&epochs=30&size=0"  # the MNIST page's heaviest training
FLOOD_FILES = 60
# Just under server.maxUploadSize (5 MB), which Streamlit compares with the whole request.
FLOOD_BYTES = 5 * 1024 * 1024 - 4096
PAUSE = (0.2, 0.6)  # seconds between two attacks of a hostile session


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _with_stroke(mode: str, size: tuple[int, int], paper, ink) -> Image.Image:
    image = Image.new(mode, size, paper)
    w, h = size
    ImageDraw.Draw(image).rectangle((w * 2 // 5, h // 5, w * 3 // 5, h * 4 // 5), fill=ink)
    return image


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def payloads() -> dict:
    """Every crafted payload, made once: canvas values (drawing dicts) and image files."""
    white = (255, 255, 255, 255)
    canvas = {
        "png_9000": _data_url(_encoded(Image.new("RGBA", (9000, 9000), white), "PNG",
                                       compress_level=9)),
        "at_limit": _data_url(_encoded(_with_stroke("RGBA", (2000, 2000), white,
                                                    (0, 0, 0, 255)), "PNG")),
        "garbage": "data:image/png;base64," + base64.b64encode(b"\0" * 4000).decode(),
        "eps": "data:application/postscript;base64," + base64.b64encode(
            b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n").decode(),
    }
    drawings = [{"drawing": {"raw": {"objects": [{"type": "path"}]}, "data": url},
                 "backgroundFit": None} for url in canvas.values()]
    drawings.append({"drawing": "not a drawing", "backgroundFit": {"scaleX": "x"}})
    images = {
        "webp_6300.webp": _encoded(Image.new("RGB", (6300, 6300), "white"), "WEBP",
                                   lossless=True),
        "rgba_8mp.png": _encoded(_with_stroke("RGBA", (2800, 2800), white, (0, 0, 0, 255)),
                                 "PNG"),
        "photo_12mp.jpg": _encoded(_with_stroke("RGB", (4032, 3024), "white", "black"),
                                   "JPEG", quality=85),
    }
    return {"drawings": drawings, "images": images}


class Ordinary(Record):
    """lecture_load's Record, counting the exceptions the ordinary sessions were shown."""

    def __init__(self):
        super().__init__()
        self.shown = 0

    def add(self, kind, run, page=None) -> None:
        self.shown += len(run.exceptions)
        super().add(kind, run, page)


class Hostile:
    """What the hostile sessions did and what they were shown."""

    def __init__(self):
        self.attacks = {name: 0 for name in ATTACKS}
        self.shown: list[str] = []  # exceptions shown to a hostile session
        self.errors: list[str] = []  # protocol failures (a hostile client may be cut off)
        self.refused = {"invented_kept": 0, "invented_refused": 0, "issued_statuses": {}}

    def run(self, what: str, run) -> None:
        self.shown += [f"{what}: {e}" for e in run.exceptions]


async def attack_canvas(url: str, data: dict, record: Hostile, rng: random.Random):
    async with Session(url, timeout=ACTION_TIMEOUT) as tab:
        record.run("canvas open", await tab.open("mnist", "input=canvas&lang=en"))
        for drawing in data["drawings"]:
            state = WidgetState(json_value=json.dumps(drawing))
            record.run("canvas", await tab.send_state("mnist.canvas", state))
            await asyncio.sleep(rng.uniform(0.05, 0.2))


async def attack_images(url: str, data: dict, record: Hostile, rng: random.Random):
    async with Session(url, timeout=ACTION_TIMEOUT) as tab:
        record.run("images open", await tab.open("mnist", "input=upload&lang=en"))
        for name, content in data["images"].items():
            urls = (await tab.upload_urls([name]))[0]
            status = await asyncio.to_thread(put_file, url, tab.session_id, urls.file_id, name,
                                             content)
            if status != 204:
                record.errors.append(f"image {name}: upload status {status}")
                continue
            state = WidgetState()
            info = state.file_uploader_state_value.uploaded_file_info.add()
            info.file_id, info.name, info.size = urls.file_id, name, len(content)
            info.file_urls.CopyFrom(urls)
            record.run(f"image {name}", await tab.send_state("mnist.upload", state))
            await asyncio.sleep(rng.uniform(0.05, 0.2))


async def attack_uploads(url: str, data: dict, record: Hostile, rng: random.Random):
    body = b"\0" * FLOOD_BYTES
    async with Session(url, timeout=ACTION_TIMEOUT) as tab:
        record.run("uploads open", await tab.open("", "lang=en"))
        for _ in range(FLOOD_FILES):
            status = await asyncio.to_thread(put_file, url, tab.session_id, str(uuid.uuid4()),
                                             "x.csv", body)
            key = "invented_kept" if status == 204 else "invented_refused"
            record.refused[key] += 1
        for urls in await tab.upload_urls([f"f{i}.csv" for i in range(10)]):
            status = await asyncio.to_thread(put_file, url, tab.session_id, urls.file_id,
                                             "x.csv", body)
            statuses = record.refused["issued_statuses"]
            statuses[str(status)] = statuses.get(str(status), 0) + 1


async def attack_training(url: str, data: dict, record: Hostile, rng: random.Random):
    async def heavy(wait: bool):
        seed = rng.randint(0, 99_999)
        async with Session(url, timeout=ACTION_TIMEOUT) as tab:
            opening = tab.open("mnist", f"{HEAVY}&iseed={seed}&lang=en")
            if wait:
                record.run("training", await opening)
                return
            try:  # a tab closed while its training waits or runs
                record.run("training", await asyncio.wait_for(opening, 2.0))
            except asyncio.TimeoutError:
                pass

    await asyncio.gather(heavy(False), heavy(False))
    await heavy(True)


async def attack_widgets(url: str, data: dict, record: Hostile, rng: random.Random):
    crafted = [
        ("mnist", "mnist.idx", WidgetState(double_value=math.nan)),  # NaN to an int input
        ("mnist", "mnist.iseed", WidgetState(double_value=math.inf)),
        ("logistic", "logistic.lr", None),  # a number to a select slider, filled in below
        ("logistic", "logistic.w0", None),  # text to a slider
        ("logistic", "logistic.opt", WidgetState(string_value="rmsprop; DROP TABLE")),
    ]
    async with Session(url, timeout=ACTION_TIMEOUT) as tab:
        page = None
        for path, key, state in crafted:
            if path != page:
                record.run("widgets open", await tab.open(path, "lang=en"))
                page = path
            if state is None and key == "logistic.lr":
                state = WidgetState()
                state.double_array_value.data.extend([0.5])
            elif state is None:
                state = WidgetState()
                state.string_array_value.data.extend(["not a number"])
            try:
                record.run(f"widget {key}", await tab.send_state(key, state))
            except KeyError:  # the widget is not on the page as drawn
                record.errors.append(f"widget {key}: not on the page")
            await asyncio.sleep(rng.uniform(0.05, 0.2))


ATTACK_STEPS = {"canvas": attack_canvas, "images": attack_images, "uploads": attack_uploads,
                "training": attack_training, "widgets": attack_widgets}


async def hostile_session(number: int, url: str, deadline: float, data: dict,
                          record: Hostile) -> None:
    rng = random.Random(1000 + number)
    order = list(ATTACKS)
    rng.shuffle(order)  # the sessions do not all attack the same way at the same moment
    first_round = True
    while first_round or time.monotonic() < deadline:
        for name in order:
            if not first_round and time.monotonic() >= deadline:
                return
            try:
                await ATTACK_STEPS[name](url, data, record, rng)
            except (ProtocolError, OSError, asyncio.TimeoutError, KeyError, ValueError) as error:
                record.errors.append(f"{name}: {type(error).__name__}: {error}")
            record.attacks[name] += 1
            await asyncio.sleep(rng.uniform(*PAUSE))
        first_round = False


async def classroom(url: str, process: psutil.Process, args, data: dict, normal: Ordinary,
                    hostile: Hostile) -> dict:
    started = time.monotonic()
    deadline = started + args.minutes * 60
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(process, normal, started, stop))
    tasks = [asyncio.create_task(student(i, url, deadline, normal, (1.0, 4.0)))
             for i in range(args.normal)]
    tasks += [asyncio.create_task(hostile_session(i, url, deadline, data, hostile))
              for i in range(args.hostile)]
    done, pending = await asyncio.wait(tasks, timeout=args.minutes * 60 + ACTION_TIMEOUT * 2)
    for task in pending:
        task.cancel()
        normal.errors.append("a session did not stop in time")
    for task in done:
        if task.exception() is not None:
            normal.errors.append(f"a session failed: {task.exception()!r}")
    end_rss = rss_mb(process)
    stop.set()
    await sampler
    return {"rss_end_mb": end_rss, "seconds": time.monotonic() - started}


def summary(args, normal: Ordinary, hostile: Hostile, start_rss: float, end: dict,
            log_tracebacks: list[str]) -> dict:
    calm = [s for _, s, may_train in normal.actions if not may_train]
    trained = [s for _, s, may_train in normal.actions if may_train]
    # Every exception a session is shown is logged too: the log's count is the total.
    tracebacks = max(len(log_tracebacks), normal.shown + len(hostile.shown))
    return {
        "normal_sessions": args.normal, "hostile_sessions": args.hostile,
        "minutes": args.minutes,
        "workers": args.workers,
        "peak_rss_mb": round(max([mb for _, mb in normal.rss] + [end["rss_end_mb"]])),
        "rss_end_mb": round(end["rss_end_mb"]),
        "errors_normal": len(normal.errors),
        "tracebacks": tracebacks,
        "p95_normal_no_training_ms": ms(percentile(calm, 95)),
        "p95_normal_training_ms": ms(percentile(trained, 95)),
        "rss_start_mb": round(start_rss),
        "normal_actions": len(normal.actions),
        "tracebacks_hostile_sessions": len(hostile.shown),
        "tracebacks_server_log": len(log_tracebacks),
        "tracebacks_normal_sessions": normal.shown,
        "attacks": hostile.attacks,
        "hostile_protocol_errors": len(hostile.errors),
        "uploads": hostile.refused,
    }


def server_tracebacks(log: str) -> list[str]:
    """The tracebacks in the server's log, plain or drawn in a box (Streamlit logs both kinds,
    and every exception a session is shown): for each, its last line (type and message)."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in log.splitlines()]
    found = []
    for i, line in enumerate(lines):
        if "Traceback (most recent call last)" in line:
            tail = next((l.strip() for l in lines[i + 1:i + 200]
                         if re.match(r"^\s*[A-Za-z_.]+(Error|Exception|Warning)\b", l)), "?")
            found.append(tail)
    return found


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--normal", type=int, default=20, help="ordinary students")
    parser.add_argument("--hostile", type=int, default=10, help="hostile sessions")
    parser.add_argument("--minutes", type=float, default=3.0, help="length of the run")
    parser.add_argument("--workers", type=int, default=1,
                        help="training worker processes (1: what the app starts by itself in "
                             "Community Cloud's 2.7 GB container)")
    args = parser.parse_args(argv)
    if args.normal < 1 or args.hostile < 0 or args.minutes <= 0:
        parser.error("--normal must be at least 1, --hostile 0 or more, --minutes above 0")
    data = payloads()
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "streamlit.log"
        with open(log_path, "w") as log, running_app(
                log, env={"ML_LAB_WORKERS": str(args.workers)}) as (url, server):
            process = psutil.Process(server.pid)
            start_rss = rss_mb(process)
            normal, hostile = Ordinary(), Hostile()
            end = asyncio.run(classroom(url, process, args, data, normal, hostile))
        text = log_path.read_text(errors="replace")
    log_tracebacks = server_tracebacks(text)
    for error in normal.errors[:10]:
        print("ordinary session error:", error)
    for shown in (hostile.shown + log_tracebacks)[:10]:
        print("traceback:", shown)
    for error in hostile.errors[:10]:
        print("hostile session cut off:", error)
    result = summary(args, normal, hostile, start_rss, end, log_tracebacks)
    print(f"server RSS (MB) every 30 s: {[round(mb) for _, mb in normal.rss[::60]]}")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
