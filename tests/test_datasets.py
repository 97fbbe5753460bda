"""The textbook data, the generator and every kind of bad CSV."""
import numpy as np
import pytest

from lib.core import datasets
from lib.core.datasets import DataError


def test_textbook_points_are_the_authors():
    points = datasets.textbook_points()
    assert len(points) == 35 and points.t.sum() == 15
    assert points.x[0] == pytest.approx([3.9776, 7.2030], abs=1e-4)
    assert (points.t[:20] == 0).all() and (points.t[20:] == 1).all()


def test_generator_is_deterministic_per_seed_and_uses_no_global_state():
    np.random.seed(0)
    a = datasets.generated_points(30, 10, 3, seed=7)
    np.random.seed(123)
    b = datasets.generated_points(30, 10, 3, seed=7)
    c = datasets.generated_points(30, 10, 3, seed=8)
    assert np.array_equal(a.x, b.x) and not np.array_equal(a.x, c.x)
    assert len(a) == 60 and a.t.sum() == 30
    centres = [a.x[a.t == k].mean(axis=0) for k in (0, 1)]
    assert np.linalg.norm(centres[1] - centres[0]) == pytest.approx(10, abs=2.5)


def test_csv_round_trip_and_template():
    points = datasets.textbook_points()
    again = datasets.parse_points_csv(points.to_csv().encode())
    assert np.allclose(again.x, points.x, atol=1e-4) and np.array_equal(again.t, points.t)
    template = datasets.parse_points_csv(datasets.template_csv().encode())
    assert len(template) == 4


def test_csv_accepts_semicolons_spaces_bom_and_upper_case_headers():
    raw = "\ufeffX; Y; T\n1; 2; 0\n3; 4; 1\n".encode("utf-8")
    points = datasets.parse_points_csv(raw)
    assert points.x.tolist() == [[1, 2], [3, 4]] and points.t.tolist() == [0, 1]


@pytest.mark.parametrize("raw, code", [
    (b"", "csv_empty"),
    (b"   \n  ", "csv_empty"),
    (b"x,y,t\n", "csv_empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "csv_binary"),
    (b"\xff\xfe\xfa\xfb not utf8", "csv_encoding"),
    (b"a,b\n1,2\n", "csv_columns"),
    (b"x,y\n1,2\n", "csv_columns"),
    (b"x,y,t\n1,abc,0\n2,3,1\n", "csv_not_number"),
    (b"x,y,t\n1,,0\n2,3,1\n", "csv_not_number"),
    (b"x,y,t\n1,nan,0\n2,3,1\n", "csv_not_number"),
    (b"x,y,t\n1,inf,0\n2,3,1\n", "csv_not_finite"),
    (b"x,y,t\n1,1e300,0\n2,3,1\n", "csv_too_large"),
    (b"x,y,t\n1,2,0.5\n2,3,1\n", "csv_labels"),
    (b"x,y,t\n1,2,0\n", "csv_too_few"),
    (b"x,y,t\n1,2,1\n2,3,1\n", "csv_one_class"),
    (b"x,y,t\n1,2,0\n\"unclosed,3,1\n", "csv_unreadable"),
])
def test_bad_csv_says_what_is_wrong(raw, code):
    with pytest.raises(DataError) as caught:
        datasets.parse_points_csv(raw)
    assert caught.value.code == code


def test_csv_with_100000_rows_is_refused():
    rows = "\n".join(f"{i % 30},{i % 17},{i % 2}" for i in range(100_000))
    with pytest.raises(DataError) as caught:
        datasets.parse_points_csv(("x,y,t\n" + rows).encode())
    assert caught.value.code == "csv_too_many"
    assert caught.value.detail["rows"] == 100_000


def test_split_keeps_two_training_points_and_is_seeded():
    train, test = datasets.train_test_split(35, 0.3, seed=1)
    assert len(test) == 10 and len(train) == 25 and not set(train) & set(test)
    assert np.array_equal(datasets.train_test_split(35, 0.3, seed=1)[1], test)
    assert len(datasets.train_test_split(3, 0.5, seed=1)[0]) == 2
    assert len(datasets.train_test_split(35, 0.0, seed=1)[1]) == 0
