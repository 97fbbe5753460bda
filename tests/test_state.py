"""URL values are untrusted: every one parses to a usable value, with a problem named."""
import pytest
from hypothesis import given, strategies as st

from lib.ui.state import MAX_RAW_LENGTH, Param

EPOCHS = Param("epochs", 5000, "int", choices=(1, 10, 100, 1000, 5000, 20000))
RATE = Param("lr", 0.001, "float", choices=(0.0001, 0.001, 0.01, 0.1))
W0 = Param("w0", -6.0, "float", -30.0, 30.0)
SEED = Param("iseed", 1, "int", 0, 99_999)
SOURCE = Param("src", "textbook", "choice", choices=("textbook", "generated", "upload"))
LECTURE = Param("lecture", False, "bool")
ALL = (EPOCHS, RATE, W0, SEED, SOURCE, LECTURE)


@pytest.mark.parametrize("param, raw, value, problem", [
    (W0, "-3.5", -3.5, None),
    (W0, "1e9", 30.0, "clamped"),
    (W0, "-inf", -6.0, "invalid"),
    (W0, "nan", -6.0, "invalid"),
    (W0, "abc", -6.0, "invalid"),
    (W0, "", -6.0, "invalid"),
    (SEED, "42", 42, None),
    (SEED, "-5", 0, "clamped"),
    (SEED, "7.6", 8, "clamped"),
    (SEED, "1" * 400, 1, "invalid"),
    (EPOCHS, "5000", 5000, None),
    (EPOCHS, "4000", 5000, "clamped"),
    (EPOCHS, "0", 1, "clamped"),
    (RATE, "0.002", 0.001, "clamped"),
    (RATE, "100", 0.1, "clamped"),
    (SOURCE, "generated", "generated", None),
    (SOURCE, "<script>alert(1)</script>", "textbook", "invalid"),
    (LECTURE, "1", True, None),
    (LECTURE, "maybe", False, "invalid"),
])
def test_parse(param, raw, value, problem):
    assert param.parse(raw) == (value, problem)


@given(st.text(max_size=200))
def test_any_text_gives_a_valid_value(raw):
    for param in ALL:
        value, problem = param.parse(raw)
        assert problem in (None, "clamped", "invalid")
        if param.choices:
            assert value in param.choices
        if param.lo is not None:
            assert param.lo <= value <= param.hi
        if len(raw.strip()) > MAX_RAW_LENGTH:
            assert problem == "invalid"


def test_format_round_trips():
    for param, value in ((W0, -3.45), (RATE, 0.0001), (SEED, 123), (LECTURE, True)):
        assert param.parse(param.format_value(value)) == (value, None)


def test_settings_widgets_are_built_from_their_declaration():
    """No view or panel draws a setting's widget by hand (key=STATE.key(...)) or keeps a list
    of names to save: PageState.widget writes every setting it draws to the URL."""
    import ast

    from conftest import ROOT

    found = []
    for path in sorted([*ROOT.glob("views/*.py"), *ROOT.glob("lib/ui/*.py")]):
        if path.name == "state.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            owner = func.value if isinstance(func, ast.Attribute) else None
            if func_is_save := (isinstance(func, ast.Attribute) and func.attr == "save"):
                # A PageState's save (STATE, state, DATA_STATE...), not a picture's or a file's.
                func_is_save = isinstance(owner, ast.Name) and "state" in owner.id.lower()
            if func_is_save:
                found.append(f"{path.name}:{node.lineno} .save(...)")
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "key" and isinstance(value, ast.Call) and (
                        isinstance(value.func, ast.Attribute) and value.func.attr == "key"
                        or isinstance(value.func, ast.Name) and value.func.id == "key"):
                    found.append(f"{path.name}:{node.lineno} key={ast.unparse(value)}")
    assert found == []


def test_a_declared_widget_holds_only_its_values():
    assert SEED.holds(5) and not SEED.holds(5.5) and not SEED.holds(True)
    assert not SEED.holds(float("nan")) and not SEED.holds(-1) and not SEED.holds("5")
    assert RATE.holds(0.001) and not RATE.holds(0.002) and not RATE.holds("0.001")
    assert SOURCE.holds("upload") and not SOURCE.holds("x") and not SOURCE.holds(None)
    assert LECTURE.holds(False) and not LECTURE.holds(0)
    assert W0.holds(-30.0) and W0.holds(3) and not W0.holds(31.0)
    assert not W0.holds(float("inf"))


def test_widget_options_come_from_the_declaration():
    from lib.ui.i18n import t

    lr = Param("lr", 0.001, "float", choices=(0.0001, 0.001), widget="select_slider",
               label="train.learning_rate", format="%g")
    options = lr.widget_options(t)
    assert options["options"] == (0.0001, 0.001) and options["format_func"](0.0001) == "0.0001"
    assert options["label"] == t("train.learning_rate")
    seed = Param("iseed", 1, "int", 0, 99_999, widget="number_input", step=1)
    assert seed.widget_options(t) == {"label": "iseed", "min_value": 0, "max_value": 99_999,
                                      "step": 1}
