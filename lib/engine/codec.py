"""Tasks, results and messages as bytes that carry no code: JSON for the structure, numpy's
npz (allow_pickle=False) for the arrays.

What travels between the app and its workers (a local socket pair, or Redis, which other
machines reach) is decoded into the engine's own types only: the request and result
dataclasses named in TYPES, tuples, lists, dicts, numbers, strings and arrays. Nothing is
unpickled, so a tampered message cannot run code.
"""
from __future__ import annotations

import io
import json
from dataclasses import fields, is_dataclass

import numpy as np

from lib.core.mnist import Digits
from lib.core.requests import MnistSettings, TrainSpec


def _types() -> dict:
    from lib.engine.mnist import Run
    from lib.engine.tasks import DenseTask, MnistTask
    from lib.engine.training import TrainResult

    return {cls.__name__: cls for cls in (TrainSpec, MnistSettings, Digits, TrainResult, Run,
                                          DenseTask, MnistTask)}


def encode(value) -> bytes:
    arrays: list[np.ndarray] = []
    types = _types()

    def walk(item):
        if isinstance(item, np.ndarray):
            arrays.append(item)
            return {"__array__": len(arrays) - 1}
        if isinstance(item, np.generic):
            return item.item()
        if item is None or isinstance(item, (bool, int, float, str)):
            return item
        if isinstance(item, tuple):
            return {"__tuple__": [walk(x) for x in item]}
        if isinstance(item, list):
            return [walk(x) for x in item]
        if isinstance(item, dict):
            return {"__dict__": [[walk(k), walk(v)] for k, v in item.items()]}
        name = type(item).__name__
        if is_dataclass(item) and types.get(name) is type(item):
            state = item.__getstate__() if name == "MnistTask" else \
                {f.name: getattr(item, f.name) for f in fields(item)
                 if f.name != "memo"}  # memo: what this process computed from a result
            return {"__type__": name, "fields": {k: walk(v) for k, v in state.items()}}
        raise TypeError(f"cannot encode {name}")

    document = json.dumps(walk(value)).encode()
    buffer = io.BytesIO()
    np.savez(buffer, document=np.frombuffer(document, np.uint8),
             **{f"a{i}": array for i, array in enumerate(arrays)})
    return buffer.getvalue()


def decode(raw: bytes):
    types = _types()
    with np.load(io.BytesIO(raw), allow_pickle=False) as found:
        document = json.loads(bytes(found["document"]).decode())
        arrays = {name: found[name] for name in found.files if name != "document"}

    def build(item):
        if isinstance(item, list):
            return [build(x) for x in item]
        if not isinstance(item, dict):
            return item
        if "__array__" in item:
            return arrays[f"a{int(item['__array__'])}"]
        if "__tuple__" in item:
            return tuple(build(x) for x in item["__tuple__"])
        if "__dict__" in item:
            return {_hashable(build(k)): build(v) for k, v in item["__dict__"]}
        cls = types.get(item.get("__type__"))
        if cls is None:
            raise ValueError(f"unknown type in a message: {item.get('__type__')!r}")
        return cls(**{k: build(v) for k, v in item["fields"].items()})

    return build(document)


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


def nbytes(value) -> int:
    """The bytes of the numpy arrays in a result (dataclasses, tuples, lists, dicts)."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if is_dataclass(value) and not isinstance(value, type):
        return sum(nbytes(getattr(value, f.name)) for f in fields(value) if f.name != "memo")
    if isinstance(value, (tuple, list)):
        return sum(nbytes(item) for item in value)
    if isinstance(value, dict):
        return sum(nbytes(item) for item in value.values())
    return 0
