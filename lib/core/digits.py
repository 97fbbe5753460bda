"""A drawn or uploaded digit turned into a 28×28 MNIST-style input (no Streamlit).

MNIST was made this way (LeCun et al.): each digit's bounding box was scaled to fit a 20×20
box, keeping its aspect ratio (anti-aliasing leaves grey levels), then placed in a 28×28
field so that its centre of mass sits at the centre. The real digits' centres of mass average
(14.0, 14.0) in pixel indices (rows and columns counted from 0), so that is the target here.
The shift is a whole number of pixels, as in MNIST, so the strokes stay sharp: the centre of
mass lands within half a pixel of the target.

Inputs are untrusted: an upload may be any file. Only raster formats that carry pixels and
nothing else are opened (never PostScript/EPS, which Pillow would run through Ghostscript),
the pixel count is checked before decoding, and every failure becomes an ImageProblem with a
code the page translates.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps

FIELD = 28
BOX = 20
CENTRE = 14.0  # where MNIST puts the centre of mass (mean of the real digits, see above)
ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # checked before decoding: a small file can claim a huge image
WORK_SIDE = 560  # larger images are scaled down first: plenty for a 20×20 result
INK_THRESHOLD = 0.1  # ink (0..1, after the contrast stretch) that counts for the bounding box
MIN_CONTRAST = 0.15  # below this difference between strokes and background: nothing drawn


class ImageProblem(ValueError):
    """An input that cannot become a digit; `code` names the message the page shows."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def read_image(data: bytes) -> np.ndarray:
    """Decode an uploaded file to grey levels (h, w) in 0..1 (1 = white), transparency on white.

    Raises ImageProblem("empty_file" | "too_big" | "not_image" | "too_many_pixels").
    """
    if not data:
        raise ImageProblem("empty_file")
    if len(data) > MAX_BYTES:
        raise ImageProblem("too_big")
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError as error:  # Pillow's own pixel limit, met on opening
        raise ImageProblem("too_many_pixels") from error
    except Exception as error:  # UnidentifiedImageError, truncated headers, bombs, …
        raise ImageProblem("not_image") from error
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageProblem("too_many_pixels")
    try:
        image.seek(0)  # animated GIF/WebP: the first frame
        image = ImageOps.exif_transpose(image)  # photos taken sideways
        image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.LANCZOS)
        return _to_grey(image)
    except ImageProblem:
        raise
    except Exception as error:  # a damaged file whose header looked fine
        raise ImageProblem("not_image") from error


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


def from_canvas(rgba: np.ndarray | None) -> np.ndarray | None:
    """The canvas's pixels → 28×28 input, None when nothing (or only white) is drawn."""
    if rgba is None:
        return None
    return to_mnist(ink(canvas_grey(rgba)))
