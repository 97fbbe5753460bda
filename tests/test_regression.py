"""The regression maths and data against numpy: least squares, features, errors, CSV tables."""
import numpy as np
import pandas as pd
import pytest

from lib.core import regression
from lib.engine import regression as regression_engine
from lib.core.datasets import DataError
from lib.core.regression import Sales, Scaling


def _data(n=20, seed=1):
    return regression.generated(n, 3.0, 10.0, 3.0, seed)


def test_generated_data_are_reproducible_and_leave_the_global_seed_alone():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    first, second = _data(), _data()
    assert np.random.random() == before  # the generator did not draw from the global stream
    assert np.array_equal(first.x, second.x) and np.array_equal(first.y, second.y)
    assert not np.array_equal(first.x, _data(seed=2).x)
    assert len(first) == 20 and np.all((first.x >= 0.5) & (first.x <= 10))
    assert np.array_equal(first.x, np.round(first.x, 2))


def test_noise_free_data_lie_on_the_true_line():
    data = regression.generated(30, 2.5, -4.0, 0.0, 3)
    assert np.allclose(data.y, np.round(2.5 * data.x - 4.0, 2))


@pytest.mark.parametrize("degree", range(1, 10))
def test_least_squares_matches_numpy_polyfit(degree):
    data = _data(25)
    fit = regression.least_squares(data.x, data.y, degree)
    reference = np.polyfit(data.x, data.y, degree)
    grid = np.linspace(0.5, 10, 50)
    assert fit.unique
    assert np.allclose(fit(grid), np.polyval(reference, grid), rtol=1e-6, atol=1e-6)


def test_least_squares_line_matches_lstsq():
    data = _data()
    fit = regression.least_squares(data.x, data.y, 1)
    design = np.column_stack([data.x, np.ones(len(data))])
    (slope, intercept), *_ = np.linalg.lstsq(design, data.y, rcond=None)
    assert regression.line_of(fit.coef, fit.scaling) == pytest.approx((slope, intercept),
                                                                       rel=1e-10)


def test_degree_nine_on_five_points_is_not_unique_but_passes_every_point():
    data = _data(5)
    fit = regression.least_squares(data.x, data.y, 9)
    assert not fit.unique and fit.rank == 5
    assert np.allclose(fit(data.x), data.y, atol=1e-8)
    # lstsq's answer: the smallest coefficients among the exact fits.
    design = np.column_stack([np.ones(5), regression.features(data.x, 9, fit.scaling)])
    expected, *_ = np.linalg.lstsq(design, data.y, rcond=None)
    assert np.allclose(fit.coef, expected)


def test_features_scaling_and_evaluation_agree():
    x = np.array([2.0, 4.0, 10.0])
    scaling = Scaling.of(x)
    assert scaling == Scaling(6.0, 4.0)
    assert np.allclose(scaling.apply(x), [-1.0, -0.5, 1.0])
    assert np.allclose(regression.features(x, 3, scaling),
                       np.column_stack([scaling.apply(x) ** k for k in (1, 2, 3)]))
    assert np.array_equal(regression.features(x, 2, Scaling.of(x, on=False)),
                          np.column_stack([x, x ** 2]))
    coef = np.array([1.0, -2.0, 0.5])
    u = scaling.apply(x)
    assert np.allclose(regression.evaluate(coef, x, scaling), 1 - 2 * u + 0.5 * u ** 2)
    many = regression.evaluate_many(np.vstack([coef, 2 * coef]), x, scaling)
    assert np.allclose(many, [regression.evaluate(coef, x, scaling),
                              regression.evaluate(2 * coef, x, scaling)])
    assert Scaling.of(np.array([3.0, 3.0])) == Scaling(3.0, 1.0)  # no range: no division by 0


def test_line_of_converts_scaled_weights_back_to_spend():
    scaling = Scaling(5.0, 2.0)
    b, w = 7.0, 4.0  # y = 7 + 4 (x − 5) / 2 = 2x − 3
    assert regression.line_of([b, w], scaling) == pytest.approx((2.0, -3.0))


def test_mse_is_numpy_mean_of_squares():
    y, prediction = np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])
    assert regression.mse(prediction, y) == pytest.approx(np.mean((prediction - y) ** 2))
    assert np.allclose(regression.mse_many(np.vstack([prediction, y]), y),
                       [np.mean((prediction - y) ** 2), 0.0])
    assert np.isnan(regression.mse([], []))


def test_training_error_falls_with_the_degree_and_test_error_is_measured():
    train, test = regression.split(_data(20), 0.3, 1)
    train_errors, test_errors = regression.errors_by_degree(train, test)
    assert len(train_errors) == len(test_errors) == regression.MAX_DEGREE
    assert np.all(np.diff(train_errors) <= 1e-9 * train_errors[0])  # nested models
    fit = regression.least_squares(train.x, train.y, 9)
    assert test_errors[8] == pytest.approx(np.mean((fit(test.x) - test.y) ** 2))
    assert test_errors[8] > test_errors[0]  # the over-fitting the page shows (seed 1)
    empty = Sales(np.array([]), np.array([]))
    assert np.isnan(regression.errors_by_degree(train, empty)[1]).all()


def test_split_keeps_every_point_once():
    data = _data(20)
    train, test = regression.split(data, 0.3, 4)
    assert len(train) == 14 and len(test) == 6
    assert sorted(np.r_[train.x, test.x]) == sorted(data.x)


def test_unscaled_high_powers_of_large_spends_are_refused():
    x = np.array([1.0, 1e6])
    regression.check_features(x, 9, Scaling.of(x))  # scaled: fine
    with pytest.raises(DataError) as error:
        regression.check_features(x, 9, Scaling.of(x, on=False))
    assert error.value.code == "features_too_large" and error.value.detail == {"degree": 9}


def test_hand_slider_ranges_hold_the_least_squares_line():
    for data in (_data(), regression.generated(50, -8.0, 45.0, 15.0, 2),
                 Sales(np.array([1000.0, 2000.0, 3000.0]), np.array([5e5, 7e5, 8e5]))):
        slope_bound, intercept_bound = regression.hand_ranges(data)
        fit = regression.least_squares(data.x, data.y, 1)
        slope, intercept = regression.line_of(fit.coef, fit.scaling)
        assert abs(slope) < slope_bound and abs(intercept) < intercept_bound


def test_nice_bounds_and_slider_formats():
    assert [regression.nice_bound(v) for v in (0.7, 1.0, 1.3, 4.9, 5.1, 730)] == \
        [1.0, 1.0, 2.0, 5.0, 10.0, 1000.0]
    assert regression.slider_format(0.1) == "%.1f"
    assert regression.slider_format(0.05) == "%.2f"
    assert regression.slider_format(5.0) == "%.0f"


def test_view_ranges_follow_a_near_prediction_and_ignore_a_far_one():
    data = _data()
    (x_lo, x_hi), (y_lo, y_hi) = regression.view_ranges(data)
    near = regression.view_ranges(data, 12.0, 45.0)
    assert near[0][1] > 12.0 and near[1][1] > 45.0
    far = regression.view_ranges(data, 1e5, 1e7)
    assert far == ((x_lo, x_hi), (y_lo, y_hi))


# ---------------------------------------------------------------------------------------------
# CSV tables


def test_a_table_with_any_columns_is_read_and_the_columns_picked():
    table = regression.read_table("month,広告費,売上\n1,1.5,14\n2,3,19.5\n3,6,29\n".encode())
    assert regression.default_columns(table.columns) == ("広告費", "売上")
    data = regression.pick_columns(table, "広告費", "売上")
    assert np.array_equal(data.x, [1.5, 3, 6]) and np.array_equal(data.y, [14, 19.5, 29])
    assert regression.default_columns(["a", "b", "c"]) == ("a", "b")
    assert regression.default_columns(["sales", "spend"]) == ("spend", "sales")


def test_the_template_and_the_download_read_back():
    table = regression.read_table(regression.template_csv().encode())
    assert len(regression.pick_columns(table, *regression.default_columns(table.columns))) == 5
    data = _data()
    again = regression.read_table(data.to_csv().encode())
    back = regression.pick_columns(again, "spend", "sales")
    assert np.allclose(back.x, data.x) and np.allclose(back.y, data.y)


@pytest.mark.parametrize("raw, code", [
    (b"", "csv_empty"),
    (b"   \n  ", "csv_empty"),
    (b"\x00\x01\x02binary", "csv_binary"),
    ("spend,sales\n1,2\n".encode("utf-16"), "csv_binary"),
    (b"\xff\xfe\xfa\xfb,1\n", "csv_encoding"),
    (b"spend\n1\n2\n", "csv_two_columns"),
    (b"spend,sales\n", "csv_empty"),
    (("spend,sales\n" + "1,2\n" * 5001).encode(), "csv_too_many"),
])
def test_garbage_tables_are_refused_with_a_reason(raw, code):
    with pytest.raises(DataError) as error:
        regression.read_table(raw)
    assert error.value.code == code


@pytest.mark.parametrize("text, columns, code, detail", [
    ("spend,sales\n1,2\n2,x\n", ("spend", "sales"), "csv_not_number", {"column": "sales", "row": 3}),
    ("spend,sales\n1,2\n,3\n", ("spend", "sales"), "csv_not_number", {"column": "spend", "row": 3}),
    ("spend,sales\n1,2\ninf,3\n", ("spend", "sales"), "csv_not_finite", {"column": "spend", "row": 3}),
    ("spend,sales\n1,2\n2,1e9\n", ("spend", "sales"), "csv_too_large", {"limit": "1e+06"}),
    ("spend,sales\n1,2\n", ("spend", "sales"), "csv_too_few", {}),
    ("spend,sales\n4,2\n4,3\n", ("spend", "sales"), "csv_constant_x", {}),
    ("spend,sales\n1,2\n2,3\n", ("spend", "spend"), "csv_same_column", {}),
    ("spend,sales\n1,2\n2,3\n", ("spend", "nope"), "csv_unreadable", {}),
])
def test_bad_columns_are_refused_with_a_reason(text, columns, code, detail):
    table = regression.read_table(text.encode())
    with pytest.raises(DataError) as error:
        regression.pick_columns(table, *columns)
    assert error.value.code == code and error.value.detail == detail


def test_semicolons_and_spaces_are_understood():
    table = regression.read_table(b"spend; sales\n 1,5 ; 2\n")  # not a decimal comma: text
    assert list(table.columns) == ["spend", "sales"]
    table = regression.read_table(b"spend;sales\n1;2\n3;5\n")
    assert len(regression.pick_columns(table, "spend", "sales")) == 2


def test_sales_extent_starts_at_zero_for_positive_data():
    (x_lo, x_hi), (y_lo, y_hi) = _data().extent()
    assert x_lo == 0.0 and y_lo == 0.0 and x_hi > 8.8 and y_hi > 33
    negative = Sales(np.array([-5.0, 5.0]), np.array([-100.0, -50.0]))
    (x_lo, _), (_, y_hi) = negative.extent()
    assert x_lo < -5.0 and y_hi > -50.0


def test_table_frame_is_strings_so_numbers_are_parsed_once():
    table = regression.read_table(b"a,b\n1,2\n3,4\n")
    assert isinstance(table, pd.DataFrame) and table["a"].tolist() == ["1", "3"]


# ---------------------------------------------------------------------------------------------
# Training through the engine (Keras Dense(1), loss='mse')


def test_keras_reaches_the_least_squares_line():
    run = regression_engine.run(_data(), 1, False, 0.0, "adam", 0.1, 2000, 0, 1)
    assert not run.result.diverged and run.result.epochs_done == 2000
    assert run.weights.shape == (2001, 2)
    slope, intercept = regression.line_of(run.final, run.scaling)
    exact = regression.line_of(run.exact.coef, run.exact.scaling)
    assert (slope, intercept) == pytest.approx(exact, abs=1e-3)
    assert regression.max_gap(run) < 1e-3
    assert run.curves["train"][-1] == pytest.approx(
        regression.mse(run.exact(run.train.x), run.train.y), rel=1e-5)
    assert run.curve_epochs[0] == 0 and run.curve_epochs[-1] == 2000
    assert len(run.curve_epochs) <= regression.CURVE_POINTS + 1


def test_scaled_polynomial_with_a_test_split():
    run = regression_engine.run(_data(), 3, True, 0.3, "sgd", 0.3, 2000, 4, 5)
    assert run.scaling == Scaling.of(run.train.x)
    assert len(run.train) == 14 and len(run.test) == 6 and set(run.curves) == {"train", "test"}
    # Features fed to Keras are the scaled powers of the training spend.
    assert np.allclose(run.spec.x, regression.features(run.train.x, 3, run.scaling))
    # Mini-batch SGD jitters around the least-squares curve rather than settling on it.
    assert np.allclose(run.predict(run.train.x), run.exact(run.train.x), atol=1.5)
    assert run.curves["test"][-1] == pytest.approx(
        np.mean((run.predict(run.test.x) - run.test.y) ** 2), rel=1e-4)


def test_sgd_on_unscaled_spend_diverges_and_is_detected():
    run = regression_engine.run(_data(), 1, False, 0.0, "sgd", 1.0, 500, 0, 1)
    assert run.result.diverged and run.result.epochs_done < 500
    assert np.all(np.isfinite(run.weights))
    assert regression_engine.run(_data(), 1, True, 0.0, "sgd", 0.3, 500, 0, 1).result.diverged is False
