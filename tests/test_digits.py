"""Preprocessing of drawn and uploaded digits, against hand-made images with known geometry."""
import io

import numpy as np
import pytest
from PIL import Image

from lib.core import digits


def white_page(height=200, width=200):
    return np.ones((height, width), np.float32)  # grey levels: 1 = white paper


def png(array, mode=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(array)
    if mode:
        image = image.convert(mode)
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_centre_of_mass_of_hand_made_images():
    image = np.zeros((5, 7))
    image[1, 2] = 1.0
    image[3, 6] = 3.0
    # rows: (1*1 + 3*3) / 4, columns: (2*1 + 6*3) / 4
    assert digits.centre_of_mass(image) == pytest.approx((2.5, 5.0))


def test_a_filled_square_fills_the_20_box_centred_in_28():
    grey = white_page()
    grey[150:190, 10:50] = 0.0  # a black 40×40 square near a corner
    x = digits.to_mnist(digits.ink(grey))
    assert x.shape == (28, 28) and x.dtype == np.float32
    ink_rows = np.flatnonzero(x.max(axis=1) > 0.5)
    ink_cols = np.flatnonzero(x.max(axis=0) > 0.5)
    assert (ink_rows[0], ink_rows[-1]) == (4, 23)  # 20 rows, symmetric around 13.5..14
    assert (ink_cols[0], ink_cols[-1]) == (4, 23)
    cy, cx = digits.centre_of_mass(x)
    assert abs(cy - digits.CENTRE) <= 0.5 and abs(cx - digits.CENTRE) <= 0.5


def test_an_l_shape_is_moved_so_its_centre_of_mass_is_at_14():
    # An "L" of 20×20 pixels after scaling: a bar of 20×4 on the left, a bar of 4×16 at the
    # bottom. Its centre of mass is off the box centre, at a position known by hand.
    grey = white_page(300, 300)
    grey[50:250, 50:90] = 0.0  # 200 × 40
    grey[210:250, 90:250] = 0.0  # 40 × 160  → bounding box 200 × 200, scale 1/10
    box = np.zeros((20, 20))
    box[0:20, 0:4] = 1
    box[16:20, 4:20] = 1
    cy, cx = digits.centre_of_mass(box)  # (80*9.5 + 64*17.5) / 144, (80*1.5 + 64*11.5) / 144
    assert (cy, cx) == pytest.approx(((80 * 9.5 + 64 * 17.5) / 144, (80 * 1.5 + 64 * 11.5) / 144))
    x = digits.to_mnist(digits.ink(grey))
    got_y, got_x = digits.centre_of_mass(x)
    assert abs(got_y - digits.CENTRE) <= 0.5 and abs(got_x - digits.CENTRE) <= 0.5
    # whole-pixel shift: the box's top-left corner is where the known centre of mass says
    top, left = round(digits.CENTRE - cy), round(digits.CENTRE - cx)
    assert x[top:top + 20, left:left + 20].sum() == pytest.approx(x.sum(), rel=1e-6)
    assert x[top + 2, left + 1] > 0.9 and x[top + 2, left + 10] < 0.1


def test_aspect_ratio_is_kept_longer_side_20():
    grey = white_page()
    grey[20:180, 90:110] = 0.0  # a tall bar 160 × 20 → 20 × 2.5
    x = digits.to_mnist(digits.ink(grey))
    rows = np.flatnonzero(x.max(axis=1) > 0.1)
    cols = np.flatnonzero(x.max(axis=0) > 0.1)
    assert rows[-1] - rows[0] + 1 == 20
    assert cols[-1] - cols[0] + 1 <= 4


def test_white_on_black_gives_the_same_digit_as_black_on_white():
    grey = white_page()
    grey[40:160, 60:80] = 0.0
    grey[40:60, 60:140] = 0.0
    dark_on_light = digits.to_mnist(digits.ink(grey))
    light_on_dark = digits.to_mnist(digits.ink(1.0 - grey))
    np.testing.assert_allclose(dark_on_light, light_on_dark, atol=1e-6)


def test_empty_and_all_white_and_flat_pictures_give_none():
    assert digits.to_mnist(digits.ink(white_page())) is None
    assert digits.to_mnist(digits.ink(np.zeros((50, 50), np.float32))) is None
    assert digits.to_mnist(digits.ink(np.full((50, 50), 0.5, np.float32))) is None
    faint = white_page()
    faint[50:100, 50:60] = 0.95  # barely visible: below the contrast needed
    assert digits.to_mnist(digits.ink(faint)) is None
    assert digits.from_canvas(None) is None


def test_canvas_rgba_transparent_background_counts_as_white():
    rgba = np.zeros((280, 280, 4), np.uint8)  # fully transparent
    assert digits.from_canvas(rgba) is None
    rgba[60:220, 130:150] = (0, 0, 0, 255)  # one black stroke
    x = digits.from_canvas(rgba)
    assert x is not None and x.max() == pytest.approx(1.0)
    opaque = np.full((280, 280, 4), 255, np.uint8)
    opaque[60:220, 130:150, :3] = 0
    np.testing.assert_allclose(digits.from_canvas(opaque), x, atol=1e-6)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "P", "LA", "1", "I;16"])
def test_uploads_in_any_colour_mode(mode):
    array = np.full((90, 60), 255, np.uint8)
    array[10:80, 25:35] = 0
    if mode == "I;16":
        data = png(array.astype(np.uint16) * 257)
    else:
        data = png(array, mode)
    x = digits.from_upload(data)
    assert x is not None and x.shape == (28, 28)
    cy, cx = digits.centre_of_mass(x)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5


def test_uploads_jpeg_gif_bmp_webp_and_large_sizes():
    array = np.full((1200, 900, 3), 250, np.uint8)
    array[200:1000, 400:500] = (20, 20, 200)  # a blue stroke on almost-white paper
    for fmt in ("JPEG", "GIF", "BMP", "WEBP"):
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, fmt)
        x = digits.from_upload(buffer.getvalue())
        assert x is not None, fmt


def test_bad_uploads_raise_problems_with_codes():
    with pytest.raises(digits.ImageProblem) as caught:
        digits.from_upload(b"")
    assert caught.value.code == "empty_file"
    with pytest.raises(digits.ImageProblem) as caught:
        digits.from_upload(b"x,y,t\n1,2,0\n")
    assert caught.value.code == "not_image"
    with pytest.raises(digits.ImageProblem) as caught:
        digits.from_upload(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n")
    assert caught.value.code == "not_image"  # PostScript is never handed to Ghostscript
    with pytest.raises(digits.ImageProblem) as caught:
        digits.from_upload(png(np.zeros((10, 10), np.uint8))[:40])  # truncated PNG
    assert caught.value.code == "not_image"
    with pytest.raises(digits.ImageProblem) as caught:
        digits.from_upload(b"\0" * (digits.MAX_BYTES + 1))
    assert caught.value.code == "too_big"


def test_a_huge_pixel_count_is_refused_before_decoding():
    # A valid PNG header claiming 20000 × 20000 pixels; the data would never be decoded.
    big = Image.new("1", (20_000, 20_000), 1)
    buffer = io.BytesIO()
    big.save(buffer, "PNG")
    assert len(buffer.getvalue()) < digits.MAX_BYTES
    with pytest.raises(digits.ImageProblem) as caught:
        digits.from_upload(buffer.getvalue())
    assert caught.value.code == "too_many_pixels"


def test_an_mnist_digit_passes_through_almost_unchanged():
    from lib.core import mnist

    data = mnist.load_offline()
    for i in range(20):
        image = data.image(i).astype(np.float32) / 255.0
        x = digits.to_mnist(digits.ink(1.0 - image))  # as if drawn dark on white
        # The real digit's own centre of mass is near (14, 14); ours within half a pixel.
        cy, cx = digits.centre_of_mass(x)
        assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5
        assert np.abs(x - image).mean() < 0.08
