"""Static checks: nothing from a user is loaded as code, and the server keeps its protections.

The app's own code (lib/ and views/, every file, whoever adds it) is read as Python syntax
trees: no pickle, HDF5, Keras/Torch model files, joblib, eval/exec, and no HTML or script
rendering of anything but fixed markup. `.streamlit/config.toml` keeps XSRF protection and a
small upload limit.
"""
import ast
import tomllib

import pytest

from conftest import ROOT

SCANNED = sorted([*ROOT.glob("lib/**/*.py"), *ROOT.glob("views/**/*.py"), ROOT / "app.py"])
# Modules that load (or exist to load) code-carrying formats.
FORBIDDEN_MODULES = {"pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve",
                     "marshal", "h5py", "tables", "torch"}
# Calls that load code-carrying formats or run text as code, by their last attribute names.
FORBIDDEN_CALLS = {"read_pickle", "read_hdf", "HDFStore", "load_model", "load_weights",
                   "model_from_json", "model_from_yaml", "saved_model.load", "torch.load",
                   "yaml.load", "yaml.unsafe_load", "yaml.full_load", "import_module", "loads"}
BUILTINS = {"eval", "exec", "compile", "__import__"}  # as bare names (not re.compile)
MAX_UPLOAD_MB = 50  # a sane ceiling for a shared server; the app needs a few MB


def dotted(node) -> str:
    """'np.load' for np.load, 'eval' for eval; '' for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return ""


def is_fixed_markup(node) -> bool:
    """A string literal, a module constant (UPPER_CASE) or such a constant's .format(...)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Name):
        return node.id.lstrip("_").isupper()
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        return is_fixed_markup(node.func.value)
    return False


def problems(source: str, name: str = "<source>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module \
                and node.module.split(".")[0] in FORBIDDEN_MODULES:
            found.append(f"{where}: from {node.module} import ...")
        elif isinstance(node, ast.Call):
            call = dotted(node.func)
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            if call in BUILTINS or any(call == c or call.endswith("." + c)
                                       for c in FORBIDDEN_CALLS):
                if call.endswith("loads") and call.split(".")[0] not in FORBIDDEN_MODULES:
                    pass  # json.loads, tomllib.loads: data only
                else:
                    found.append(f"{where}: {call}(...)")
            if call.endswith("load") and "allow_pickle" in keywords and not (
                    isinstance(keywords["allow_pickle"], ast.Constant)
                    and keywords["allow_pickle"].value is False):
                found.append(f"{where}: {call}(allow_pickle=...)")
            renders_markup = call.endswith(("st.html", "components.html")) or any(
                isinstance(keywords.get(k), ast.Constant) and keywords[k].value is True
                for k in ("unsafe_allow_html", "unsafe_allow_javascript"))
            if renders_markup and not (node.args and is_fixed_markup(node.args[0])):
                found.append(f"{where}: {call}(...) renders markup that is not fixed")
    return found


def test_the_scanner_sees_what_it_looks_for():
    bad = """
import pickle
from joblib import load
import numpy as np, pandas as pd, keras, torch, yaml
pickle.loads(data)
np.load(file, allow_pickle=True)
pd.read_pickle(file); pd.read_hdf(file)
keras.models.load_model(path); model.load_weights(path)
torch.load(file); yaml.load(text)
eval(text); exec(text)
st.markdown(f"<b>{name}</b>", unsafe_allow_html=True)
st.html(user_text)
"""
    found = problems(bad)
    assert len(found) == 15, found
    fine = """
import json, re, numpy as np
re.compile(pattern); model.compile(optimizer="adam"); json.loads(text)
np.load(file); np.load(file, allow_pickle=False)
st.markdown(_CSS, unsafe_allow_html=True)
st.html(_BUTTON.format(label=quoted(t("x"))), unsafe_allow_javascript=True)
st.markdown(user_text)
"""
    assert problems(fine) == []


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_carrying_format_and_no_markup_from_users(path):
    assert problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


def test_server_config_keeps_xsrf_and_a_small_upload_limit():
    with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
        server = tomllib.load(handle).get("server", {})
    assert server.get("enableXsrfProtection") is True
    assert server.get("enableCORS", True) is True
    limit = server.get("maxUploadSize")
    assert isinstance(limit, int) and 1 <= limit <= MAX_UPLOAD_MB


def test_upload_limits_agree_with_the_server_and_the_readme():
    """Every upload widget's limit is the server's; the app's own limits (a CSV's 1 MB, an
    image's bytes) lie at or under it, so a file between the two gets the app's message in the
    user's language; the README names the server's figure."""
    import re

    from lib.core import digits
    from lib.ui import points_panel

    with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
        limit = tomllib.load(handle)["server"]["maxUploadSize"]
    assert points_panel.WIDGET_UPLOAD_MB == limit
    assert points_panel.MAX_UPLOAD_MB < limit
    assert digits.MAX_BYTES <= limit * 1024 * 1024
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.findall(r"`server\.maxUploadSize` \((\d+) MB\)", readme)
    assert stated and {int(n) for n in stated} == {limit}


def test_server_config_watches_no_files_and_collects_once_per_run():
    """Under a class's load the file watcher (every module's path, walked on the event loop
    after each run) stalled all sessions; Keras' clear_session already collects after a run."""
    from streamlit import config

    with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
        settings = tomllib.load(handle)
    assert settings["server"]["fileWatcherType"] == "none"
    assert settings["runner"]["postScriptGC"] is False
    assert settings["runner"]["magicEnabled"] is False  # its ast.parse races (cpython#106905)
    # All are options this Streamlit knows (a misspelt one would be ignored silently).
    for option in ("server.fileWatcherType", "runner.postScriptGC", "runner.magicEnabled"):
        assert option in config.get_config_options()
