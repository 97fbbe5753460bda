"""Text from users' files is shown only as literal text: markdown in a CSV's column names
(bold, links) reaches the "columns missing" and "not a number" messages of every page that
reads a CSV inside a code span, where nothing renders as markup."""
import re

import pytest

from conftest import app_test, assert_clean
from lib.core.csv_table import DataError
from lib.ui import i18n
from lib.ui.common import data_message, literal

BOLD = "**x**"
LINK = "[a](https://example.com/)"


def outside_code_spans(text: str) -> str:
    """What markdown would render as markup: the text with its `code spans` taken out."""
    return re.sub(r"`[^`]*`", "", text)


def assert_literal(text: str) -> None:
    rest = outside_code_spans(text)
    assert "**" not in rest and "](" not in rest and "<" not in rest, text


def test_every_text_value_of_a_data_message_is_literal_and_numbers_stay():
    error = DataError("csv_not_number", column=f"{BOLD} {LINK}", row=7)
    message = data_message(error)
    assert message == i18n.t("csv.csv_not_number", column=literal(f"{BOLD} {LINK}"), row=7)
    assert "7" in message
    assert_literal(message)
    # A page's own code takes the page's text, with the same literal values.
    error = DataError("csv_columns", missing="x, y, class", found=f"{BOLD}, {LINK}")
    message = data_message(error, "multiclass", ("csv_columns",))
    assert message == i18n.t("multiclass.csv_columns", missing=literal("x, y, class"),
                             found=literal(f"{BOLD}, {LINK}"))
    assert_literal(message)


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("page, key, raw, code", [
    ("logistic", "data.file", f"{BOLD},{LINK},t\n1,2,0\n".encode(), "csv_columns"),
    ("logistic", "data.file", f"x,y,t\n1,<b>2</b>,0\n".encode(), "csv_not_number"),
    ("multiclass", "multiclass.file", f"{LINK},y,class\n1,2,0\n".encode(), "csv_columns"),
])
def test_markdown_in_a_points_csv_is_shown_literally(page, key, raw, code):
    at = app_test(page, {"lang": "en", "src": "upload"})
    at.file_uploader(key=key).set_value(("points.csv", raw, "text/csv")).run()
    assert_clean(at)
    errors = _errors(at)
    assert len(errors) == 1
    assert_literal(errors[0])
    if code == "csv_columns":  # the columns found are named, inside a code span
        assert re.search(r"`[^`]*(\*\*x\*\*|\[a\]\()[^`]*`", errors[0]), errors[0]


def test_markdown_in_a_regression_column_name_is_shown_literally():
    at = app_test("regression", {"lang": "ja", "src": "upload"})
    raw = f"spend,{BOLD} {LINK}\n1,2\n2,abc\n3,4\n".encode()
    at.file_uploader(key="regression.file").set_value(("sales.csv", raw, "text/csv")).run()
    assert_clean(at)
    errors = _errors(at)
    assert len(errors) == 1
    expected = i18n.t("csv.csv_not_number", lang="ja", column=literal(f"{BOLD} {LINK}"), row=3)
    assert errors[0].startswith(expected)
    assert_literal(errors[0])
