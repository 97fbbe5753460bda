"""Memory that one image from a user costs the server: the MNIST page's guarded decoder.

    python bench/image_guard.py

Each payload is decoded in a fresh Python process (lib.core.digits, as the MNIST page calls
it: `from_data_url` for the drawing canvas's value, `from_upload` for a file), and the figure
is that process's peak RSS above its peak before the call (VmHWM, Linux), with the outcome (the
digit was read, or the message code the page shows) and the time taken. The payloads are the
crafted ones a hostile student sends (a 9000 × 9000 PNG as a canvas data URL, a 6300 × 6300
WebP of 1.6 kB, a large PNG of a few hundred kB, garbage, PostScript) and honest images near
the limits (a 12-megapixel JPEG photo, an 8-megapixel RGBA PNG, a 16-megapixel RGB
PNG, a 40-megapixel grey PNG).
Last line, one JSON object: payload name -> {"bytes", "outcome", "peak_extra_mb", "seconds"}.
"""
from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys, time
sys.path.insert(0, sys.argv[1])

def high_water_kb():  # VmHWM: this process's peak RSS (ru_maxrss would carry the parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

from lib.core import digits
kind, path = sys.argv[2], sys.argv[3]
data = open(path, "rb").read()
before = high_water_kb()
started = time.perf_counter()
try:
    x = digits.from_data_url(data.decode()) if kind == "canvas" else digits.from_upload(data)
    outcome = "blank" if x is None else "digit"
except digits.ImageProblem as problem:
    outcome = problem.code
seconds = time.perf_counter() - started
peak = high_water_kb()
print(outcome, (peak - before) / 1024, seconds)
"""


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def with_stroke(mode: str, size: tuple[int, int], paper, ink) -> Image.Image:
    image = Image.new(mode, size, paper)
    w, h = size
    ImageDraw.Draw(image).rectangle((w * 2 // 5, h // 5, w * 3 // 5, h * 4 // 5), fill=ink)
    return image


def payloads() -> dict[str, tuple[str, bytes]]:
    """name -> (kind, bytes): kind "canvas" (a data URL's text) or "upload" (a file)."""
    huge = encoded(Image.new("RGBA", (9000, 9000), (255, 255, 255, 255)), "PNG",
                   compress_level=9)
    drawing = encoded(with_stroke("RGBA", (280, 280), (255, 255, 255, 255),
                                  (0, 0, 0, 255)), "PNG")
    return {
        "canvas_drawing_280": ("canvas", b"data:image/png;base64," + base64.b64encode(drawing)),
        "canvas_png_9000": ("canvas", b"data:image/png;base64," + base64.b64encode(huge)),
        "canvas_garbage": ("canvas", b"data:image/png;base64," + base64.b64encode(b"\0" * 999)),
        "canvas_eps": ("canvas", b"data:image/png;base64," + base64.b64encode(
            b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n")),
        "upload_webp_6300": ("upload", encoded(Image.new("RGB", (6300, 6300), "white"), "WEBP",
                                               lossless=True)),
        "upload_png_6300_rgb": ("upload", encoded(
            with_stroke("RGB", (6300, 6300), "white", "black"), "PNG", compress_level=9)),
        "upload_eps": ("upload", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"),
        "near_limit_jpeg_4032x3024": ("upload", encoded(
            with_stroke("RGB", (4032, 3024), "white", "black"), "JPEG", quality=85)),
        "near_limit_png_2800_rgba": ("upload", encoded(
            with_stroke("RGBA", (2800, 2800), (255, 255, 255, 255), (0, 0, 0, 255)), "PNG")),
        "near_limit_png_4000_rgb": ("upload", encoded(
            with_stroke("RGB", (4000, 4000), "white", "black"), "PNG")),
        "near_limit_png_6300_grey": ("upload", encoded(
            with_stroke("L", (6300, 6300), 255, 0), "PNG", compress_level=9)),
    }


def measure(kind: str, path: Path) -> tuple[str, float, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), kind, str(path)],
                         capture_output=True, text=True, timeout=300, check=True)
    outcome, extra, seconds = out.stdout.split()[-3:]
    return outcome, float(extra), float(seconds)


def main() -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (kind, data) in payloads().items():
            path = Path(folder) / name
            path.write_bytes(data)
            outcome, extra, seconds = measure(kind, path)
            results[name] = {"bytes": len(data), "outcome": outcome,
                             "peak_extra_mb": round(extra, 1), "seconds": round(seconds, 3)}
            print(f"{name:>28}: {len(data):>9} bytes -> {outcome:<16} "
                  f"+{extra:7.1f} MB  {seconds:6.3f} s")
    print(json.dumps(results))
    return results


if __name__ == "__main__":
    main()
