"""The websocket takes messages no larger than the app needs, and a larger one is refused.

Streamlit's default `server.maxMessageSize` is 200 MB: one crafted message of that size costs
the shared server hundreds of MB before any check of ours runs. `.streamlit/config.toml` sets
a small bound, above the largest message the app itself sends or receives
(`python bench/message_size.py` measures both: the drawing canvas's value, the largest page).
Against the running app: a drawing as large as the heaviest real one is taken, a message over
the bound closes only the sender's connection, and the server goes on serving.
"""
import base64
import io
import json
import sys
import tomllib

import pytest
from PIL import Image, ImageDraw
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.exceptions import ConnectionClosed

from conftest import ROOT, run_async

sys.path.insert(0, str(ROOT / "bench"))
from st_client import ProtocolError, Session  # noqa: E402

CANVAS_SIZE = 280  # views/mnist.py
MB = 1_000_000  # Streamlit counts these limits in 10^6 bytes
# Measured by bench/message_size.py: the largest canvas value a tab sent (a long scribble over
# the whole canvas at device pixel ratio 3) and the largest message a page sent.
CANVAS_WORST_BYTES = 309_434
PAGE_WORST_BYTES = 1_669_176
MARGIN = 2  # the bound is at least twice the largest measured message
CEILING_MB = 16  # and far below Streamlit's default


def server_config() -> dict:
    with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
        return tomllib.load(handle).get("server", {})


def test_message_bounds_are_small_and_leave_room_for_the_app():
    server = server_config()
    message, widgets = server.get("maxMessageSize"), server.get("maxWidgetStateSize")
    assert isinstance(message, int) and isinstance(widgets, int)
    assert MARGIN * PAGE_WORST_BYTES <= message * MB <= CEILING_MB * MB
    # A tab's messages meet the smaller of the two: the canvas must fit under both.
    assert MARGIN * CANVAS_WORST_BYTES <= min(message, widgets) * MB
    assert widgets <= message


def drawing_of_size(size: int) -> WidgetState:
    """A canvas value of about `size` bytes, shaped as the component sends it: the canvas's
    picture (a stroke on white, as a PNG data URL) and a stroke whose points fill the rest."""
    picture = Image.new("RGBA", (CANVAS_SIZE, CANVAS_SIZE), (255, 255, 255, 255))
    ImageDraw.Draw(picture).line((140, 40, 140, 240), fill=(0, 0, 0, 255), width=20)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    png = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    points = []
    drawing = {"drawing": {"raw": {"objects": [{"type": "path", "path": points}]}, "data": png},
               "backgroundFit": None}
    base = len(json.dumps(drawing))
    point = ["L", 140.25, 139.75]
    points.extend(point for _ in range((size - base) // (len(json.dumps(point)) + 2)))
    return WidgetState(json_value=json.dumps(drawing))


async def _send_drawing(url: str, size: int):
    """A drawing of `size` bytes from one tab; then (run or refusal, close code, a new tab's
    first run): the server must go on serving."""
    async with Session(url, timeout=300) as tab:
        await tab.open("mnist", "lang=en&tab=draw&input=canvas")
        try:
            outcome = await tab.send_state("mnist.canvas", drawing_of_size(size))
        except (ProtocolError, ConnectionClosed) as error:  # refused while reading or sending
            outcome = error
        close_code = tab.ws.close_code
    async with Session(url, timeout=300) as other:
        after = await other.open("mnist", "lang=en&tab=draw")
    return outcome, close_code, after


def test_the_heaviest_real_drawing_is_taken(app_url):
    run, close_code, _ = run_async(_send_drawing(app_url, CANVAS_WORST_BYTES))
    assert not isinstance(run, Exception), run
    assert run.status == "ok" and not run.exceptions and close_code is None


@pytest.mark.parametrize("bound", ["maxWidgetStateSize", "maxMessageSize"])
def test_a_message_over_a_bound_closes_only_its_connection(app_url, bound):
    assert server_config()[bound] <= CEILING_MB  # never send hundreds of MB here
    size = server_config()[bound] * MB + 100_000
    refused, close_code, after = run_async(_send_drawing(app_url, size))
    assert isinstance(refused, Exception), "a message over the bound was taken"
    assert close_code == 1009  # "message too big"
    assert after.status == "ok" and not after.exceptions
