"""The layers of lib/ as a test, over every import of every module (inside functions too):
core imports neither streamlit nor TensorFlow/Keras; figures and scripts import no engine;
only the engine imports TensorFlow/Keras; nothing in lib imports a view.

Generated script text may name tensorflow or keras in strings: only import statements count.
"""
import ast

import pytest

from conftest import ROOT

TENSORFLOW = ("tensorflow", "keras", "tf_keras")


def imports(path) -> set[str]:
    """Every module a file imports, dotted, relative imports resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ((base,) if base else ()))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def files(*folders):
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _is(module: str, *roots) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def broken(paths, *roots) -> list[str]:
    return sorted(f"{path.relative_to(ROOT)}: {module}" for path in paths
                  for module in imports(path) if _is(module, *roots))


def offenders(paths, *roots) -> set[str]:
    return {line.split(":")[0] for line in broken(paths, *roots)}


def test_the_scan_sees_imports_inside_functions():
    sample = ROOT / "lib" / "core" / "_layers_probe.py"
    assert not sample.exists()
    sample.write_text("import numpy\nfrom . import maths\n"
                      "def f():\n    import tensorflow as tf\n    from keras import layers\n"
                      "text = 'import streamlit'\n", encoding="utf-8")
    try:
        assert imports(sample) >= {"numpy", "lib.core.maths", "tensorflow", "keras.layers"}
        assert "streamlit" not in imports(sample)  # a string is no import
        assert offenders([sample], *TENSORFLOW) == {"lib/core/_layers_probe.py"}
    finally:
        sample.unlink()


def test_core_imports_neither_streamlit_nor_tensorflow():
    assert broken(files("lib/core"), "streamlit", *TENSORFLOW) == []


@pytest.mark.parametrize("layer", ["lib/figures", "lib/scripts"])
def test_figures_and_scripts_import_no_engine(layer):
    assert broken(files(layer), "lib.engine", *TENSORFLOW) == []


def test_only_the_engine_imports_tensorflow():
    outside = [p for p in files("lib", "views") if "engine" not in p.relative_to(ROOT).parts]
    assert broken(outside + [ROOT / "app.py"], *TENSORFLOW) == []


def test_nothing_in_lib_imports_a_view():
    assert broken(files("lib"), "views") == []
