"""A drawn or uploaded digit turned into a 28×28 MNIST-style input (no Streamlit).

MNIST was made this way (LeCun et al.): each digit's bounding box was scaled to fit a 20×20
box, keeping its aspect ratio (anti-aliasing leaves grey levels), then placed in a 28×28
field so that its centre of mass sits at the centre. The real digits' centres of mass average
(14.0, 14.0) in pixel indices (rows and columns counted from 0), so that is the target here.
The shift is a whole number of pixels, as in MNIST, so the strokes stay sharp: the centre of
mass lands within half a pixel of the target.

Inputs are untrusted: an upload may be any file, and the drawing canvas's value is whatever
the client sends (a data URL), so both go through one guarded decoder, `read_image`:
  - formats on an allow-list, given to Pillow itself (`Image.open(formats=…)`), so no other
    plugin ever runs (never PostScript/EPS, which Pillow hands to Ghostscript);
  - the pixel count read from the header and checked before any pixel is decoded (Image.open
    is lazy), with Pillow's own limit set to the same number;
  - decoding at reduced size where the format allows (JPEG's DCT scaling, `draft`); other
    formats decode at full size, so the decoded bytes (pixels × bytes per pixel) are bounded;
  - every failure an ImageProblem with a code (and figures) that the page translates.
"""
from __future__ import annotations

import base64
import binascii
import io
import threading
import warnings

import numpy as np
from PIL import Image, ImageOps

FIELD = 28
BOX = 20
CENTRE = 14.0  # where MNIST puts the centre of mass (mean of the real digits, see above)
UPLOAD_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
CANVAS_FORMATS = ("PNG",)  # the canvas sends PNG only
# An upload's file: server.maxUploadSize (5 MB), which the upload widget enforces; a crafted
# request may carry up to 1 MB more past the server, and is refused here.
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # checked before decoding: a small file can claim a huge image
# What decoding and scaling one image may allocate at the size it decodes to: 64 MB is an
# 8-megapixel RGBA PNG, a 16-megapixel RGB one or a 40-megapixel grey one; a large JPEG
# decodes at 1/8 of its size.
MAX_DECODED_BYTES = 64 * 1024 * 1024
CANVAS_PREFIX = "data:image/png;base64,"
CANVAS_MAX_BYTES = 2 * 1024 * 1024  # a 280 × 280 drawing is a few tens of kB
CANVAS_MAX_PIXELS = 4_000_000  # the canvas at any device pixel ratio a screen has
WORK_SIDE = 560  # larger images are scaled down first: plenty for a 20×20 result
INK_THRESHOLD = 0.1  # ink (0..1, after the contrast stretch) that counts for the bounding box
MIN_CONTRAST = 0.15  # below this difference between strokes and background: nothing drawn

# Pillow's own guard, process-wide: past this many pixels Image.open warns (and past twice
# as many it refuses); the warning becomes an error, so no caller decodes such an image.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
# Full-size decodes at once, process-wide: with the bound per decode, this bounds what every
# session decoding together can hold.
_DECODING = threading.BoundedSemaphore(2)


class ImageProblem(ValueError):
    """An input that cannot become a digit; `code` names the message the page shows, and
    `details` are the figures that message quotes (limits)."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def _bytes_per_pixel(mode: str) -> int:
    """Bytes per pixel that decoding and scaling take at full size in Pillow's memory: one
    band is 1 byte, more bands 4 (RGB too), and a mode with alpha twice that, for Pillow
    scales it through a premultiplied copy."""
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 8 if mode in ("LA", "PA", "RGBA") else 4


def read_image(data: bytes, formats: tuple[str, ...] = UPLOAD_FORMATS,
               max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Decode an image file to grey levels (h, w) in 0..1 (1 = white), transparency on white.

    Raises ImageProblem("empty_file" | "too_big" | "not_image" | "too_many_pixels").
    """
    if not data:
        raise ImageProblem("empty_file")
    if len(data) > max_bytes:
        raise ImageProblem("too_big", mb=max_bytes // (1024 * 1024))
    too_many = ImageProblem("too_many_pixels", mp=max_pixels // 1_000_000)
    try:
        image = Image.open(io.BytesIO(data), formats=formats)  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many from error
    except Exception as error:  # UnidentifiedImageError, truncated headers, …
        raise ImageProblem("not_image") from error
    width, height = image.size
    if width * height > max_pixels:
        raise too_many
    try:
        if image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 of the size: no full image
            image.draft(image.mode if image.mode in ("L", "RGB") else None,
                        (WORK_SIDE, WORK_SIDE))
        decoded = image.size[0] * image.size[1] * _bytes_per_pixel(image.mode)
        if decoded > MAX_DECODED_BYTES:
            raise ImageProblem("too_many_pixels", mp=_decodable_mp(image.mode))
        with _DECODING:
            image.seek(0)  # animated GIF/WebP: the first frame
            image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.LANCZOS)
        image = ImageOps.exif_transpose(image)  # photos taken sideways (on the small copy)
        return _to_grey(image)
    except ImageProblem:
        raise
    except Exception as error:  # a damaged file whose header looked fine
        raise ImageProblem("not_image") from error


def _decodable_mp(mode: str) -> int:
    return MAX_DECODED_BYTES // _bytes_per_pixel(mode) // 1_000_000


def _to_grey(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        values = np.asarray(image, dtype=np.float64)
        top = max(float(values.max()), 1.0)
        return np.clip(values / (65535.0 if top > 255 else 255.0), 0, 1).astype(np.float32)
    if image.mode == "F":
        values = np.asarray(image, dtype=np.float64)
        return np.clip(np.nan_to_num(values), 0, 1).astype(np.float32)
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(white, rgba).convert("L")
    return np.asarray(grey, dtype=np.float32) / 255.0


def canvas_grey(rgba: np.ndarray) -> np.ndarray:
    """The drawing canvas's RGBA pixels (h, w, 4) as grey levels, transparent parts white."""
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] not in (3, 4) or rgba.size == 0:
        raise ImageProblem("not_image")
    image = Image.fromarray(np.ascontiguousarray(rgba, dtype=np.uint8))
    return _to_grey(image)


def ink(grey: np.ndarray) -> np.ndarray:
    """How much ink each pixel holds, 0..1, whatever the polarity of the picture.

    MNIST digits are light strokes on black; drawings and scans are dark strokes on white.
    The background is told by the picture's border (its median grey): on a light background
    the grey levels are inverted. The contrast is then stretched so that the background is 0
    and the darkest stroke 1. A picture without enough contrast has no ink at all.
    """
    grey = np.asarray(grey, dtype=np.float32)
    if grey.ndim != 2 or grey.size == 0:
        raise ImageProblem("not_image")
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    background = float(np.median(border))
    values = grey if background < 0.5 else 1.0 - grey
    floor = min(background, 1.0 - background)
    peak = float(values.max())
    if peak - floor < MIN_CONTRAST:
        return np.zeros_like(values)
    return np.clip((values - floor) / (peak - floor), 0.0, 1.0)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the intensity-weighted mean position; pixel indices from 0."""
    image = np.asarray(image, dtype=np.float64)
    total = image.sum()
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def to_mnist(ink_image: np.ndarray) -> np.ndarray | None:
    """The 28×28 MNIST-style input (float32, 0..1, 1 = ink), or None when nothing is drawn.

    Bounding box of the ink → scaled so its longer side is 20 pixels (aspect kept, anti-aliased)
    → placed in 28×28 with its centre of mass at (14, 14), moved by whole pixels and kept
    inside the field.
    """
    ink_image = np.asarray(ink_image, dtype=np.float32)
    mask = ink_image > INK_THRESHOLD
    if not mask.any():
        return None
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    crop = ink_image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    height, width = crop.shape
    scale = BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))  # PIL: (w, h)
    small = Image.fromarray(np.ascontiguousarray(crop)).resize(size, Image.Resampling.LANCZOS)
    box = np.clip(np.asarray(small, dtype=np.float32), 0.0, 1.0)
    if box.max() <= 0:
        return None
    box = box / box.max()
    cy, cx = centre_of_mass(box)
    h, w = box.shape
    top = int(np.clip(round(CENTRE - cy), 0, FIELD - h))
    left = int(np.clip(round(CENTRE - cx), 0, FIELD - w))
    field = np.zeros((FIELD, FIELD), np.float32)
    field[top:top + h, left:left + w] = box
    return field


def from_upload(data: bytes) -> np.ndarray | None:
    """An uploaded file → 28×28 input, None when the picture is blank; ImageProblem if unusable."""
    return to_mnist(ink(read_image(data)))


def canvas_data_url(state: object) -> object:
    """The drawing's data URL in the canvas component's state ({"drawing": {"data": …}}), as
    the client sent it: any shape may arrive, so only a path of dicts is followed."""
    drawing = state.get("drawing") if hasattr(state, "get") else None
    return drawing.get("data") if isinstance(drawing, dict) else None


def from_data_url(url: object) -> np.ndarray | None:
    """The drawing canvas's value (a PNG data URL) → 28×28 input; None when nothing is drawn.

    The value comes from the client, so it is checked as text first (PNG data URL, bounded
    length) and decoded by the same guard as an upload, with the canvas's own limits.
    """
    if url is None:
        return None
    if not isinstance(url, str) or not url.startswith(CANVAS_PREFIX):
        raise ImageProblem("not_image")
    encoded = url[len(CANVAS_PREFIX):]
    if len(encoded) > (CANVAS_MAX_BYTES + 2) // 3 * 4:
        raise ImageProblem("too_big", mb=CANVAS_MAX_BYTES // (1024 * 1024))
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImageProblem("not_image") from error
    grey = read_image(data, CANVAS_FORMATS, CANVAS_MAX_BYTES, CANVAS_MAX_PIXELS)
    return to_mnist(ink(grey))


def from_canvas(rgba: np.ndarray | None) -> np.ndarray | None:
    """The canvas's pixels → 28×28 input, None when nothing (or only white) is drawn."""
    if rgba is None:
        return None
    return to_mnist(ink(canvas_grey(rgba)))
