"""The linear multiclass classifier: softmax, cross-entropy, regions and boundaries against plain
numpy references; data and CSV parsing; the engine against Keras' own Dense(K, softmax) fit."""
import numpy as np
import pytest

from lib.figures import multiclass as charts_multiclass
from lib.figures import base as figures
from lib.core import multiclass
from lib.engine import multiclass as multiclass_engine
from lib.core import multiclass_data
from lib.core.datasets import DataError
from lib.core.multiclass_data import ClassPoints

RNG = np.random.RandomState(7)
KERNEL = RNG.normal(0, 1, (2, 4))
BIAS = RNG.normal(0, 5, 4)


def _reference_softmax(f):
    e = np.exp(np.asarray(f, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)


def test_softmax_matches_the_definition_and_survives_large_values():
    f = RNG.normal(0, 3, (50, 4))
    assert np.allclose(multiclass.softmax(f), _reference_softmax(f))
    assert np.allclose(multiclass.softmax(f).sum(axis=1), 1)
    big = np.array([[1000.0, 0.0, -1000.0], [-1e6, -1e6, -1e6]])
    p = multiclass.softmax(big)
    assert np.all(np.isfinite(p)) and np.allclose(p, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]])
    # Shifting every f by the same amount changes nothing.
    assert np.allclose(multiclass.softmax(f + 123.4), multiclass.softmax(f))


def test_two_classes_are_logistic_regression():
    f = RNG.normal(0, 2, (20, 2))
    sigmoid = 1 / (1 + np.exp(-(f[:, 1] - f[:, 0])))
    assert np.allclose(multiclass.softmax(f)[:, 1], sigmoid)


def test_cross_entropy_and_accuracy_match_a_loop():
    f = RNG.normal(0, 3, (30, 4))
    c = RNG.randint(0, 4, 30)
    expected = -sum(np.log(_reference_softmax(row)[label]) for row, label in zip(f, c))
    assert multiclass.cross_entropy(f, c) == pytest.approx(expected)
    assert multiclass.cross_entropy(f, c, "mean") == pytest.approx(expected / 30)
    assert multiclass.accuracy(f, c) == pytest.approx(np.mean([row.argmax() == label
                                                               for row, label in zip(f, c)]))
    # Exact for logits whose probabilities round to 0 in float64.
    assert multiclass.cross_entropy([[0.0, 800.0]], [0]) == pytest.approx(800.0)


def test_curves_equal_one_epoch_at_a_time():
    kernels = RNG.normal(0, 1, (9, 2, 3))
    biases = RNG.normal(0, 1, (9, 3))
    x = RNG.normal(0, 5, (40, 2))
    c = RNG.randint(0, 3, 40)
    multiclass.CURVE_CHUNK, saved = 300, multiclass.CURVE_CHUNK  # force several blocks
    try:
        loss, acc = multiclass.curves(kernels, biases, x, c)
    finally:
        multiclass.CURVE_CHUNK = saved
    for e in range(9):
        f = multiclass.logits(kernels[e], biases[e], x)
        assert loss[e] == pytest.approx(multiclass.cross_entropy(f, c, "mean"))
        assert acc[e] == pytest.approx(multiclass.accuracy(f, c))


def test_region_grid_is_the_argmax_of_the_linear_functions():
    xs, ys = np.linspace(0, 30, 13), np.linspace(-5, 25, 11)
    predicted, probabilities = multiclass.region_grid(KERNEL, BIAS, xs, ys)
    assert predicted.shape == (11, 13) and probabilities.shape == (11, 13, 4)
    for row, y in enumerate(ys):
        for col, x in enumerate(xs):
            f = BIAS + np.array([x, y]) @ KERNEL
            assert predicted[row, col] == f.argmax()
            assert np.allclose(probabilities[row, col], _reference_softmax(f))


def _f(point):
    return BIAS + np.asarray(point) @ KERNEL


def test_boundary_segments_are_where_two_classes_tie_on_top():
    box = ((-20.0, 20.0), (-20.0, 20.0))
    segments = multiclass.boundary_segments(KERNEL, BIAS, *box)
    assert segments
    for i, j, (a, b) in segments:
        for s in np.linspace(0, 1, 7):
            p = np.asarray(a) + s * (np.asarray(b) - np.asarray(a))
            f = _f(p)
            assert f[i] == pytest.approx(f[j], abs=1e-7)
            assert f[i] >= f.max() - 1e-7
        # Just off the middle of the segment, on either side, the two classes win.
        middle = (np.asarray(a) + np.asarray(b)) / 2
        normal = KERNEL[:, i] - KERNEL[:, j]
        normal /= np.linalg.norm(normal)
        assert {_f(middle + 1e-4 * normal).argmax(), _f(middle - 1e-4 * normal).argmax()} == {i, j}


def test_boundary_segments_cover_every_change_of_class_on_a_grid():
    """Brute force: wherever two neighbouring grid cells disagree, a segment passes between."""
    box = ((0.0, 30.0), (0.0, 30.0))
    kernel = np.array([[0.3, -0.2, 0.1], [0.1, 0.25, -0.3]])
    bias = np.array([-4.0, 1.0, 2.5])
    segments = multiclass.boundary_segments(kernel, bias, *box)
    xs = ys = np.linspace(0, 30, 61)
    predicted, _ = multiclass.region_grid(kernel, bias, xs, ys)

    def distance_to_segments(p):
        best = np.inf
        for _, _, (a, b) in segments:
            a, b = np.asarray(a), np.asarray(b)
            s = np.clip((p - a) @ (b - a) / ((b - a) @ (b - a)), 0, 1)
            best = min(best, np.linalg.norm(a + s * (b - a) - p))
        return best

    step = xs[1] - xs[0]
    changes = 0
    for row in range(len(ys)):
        for col in range(len(xs) - 1):
            if predicted[row, col] != predicted[row, col + 1]:
                changes += 1
                middle = np.array([(xs[col] + xs[col + 1]) / 2, ys[row]])
                assert distance_to_segments(middle) <= step
    assert changes > 20
    # All three pairs meet here, at one point where the three functions are equal.
    assert len(segments) == 3


def test_tie_lines_are_the_whole_lines():
    lines = multiclass.tie_lines(KERNEL, BIAS, (-50.0, 50.0), (-50.0, 50.0))
    assert len(lines) == 6
    for i, j, (a, b) in lines:
        for p in (a, b):
            f = _f(p)
            assert f[i] == pytest.approx(f[j], abs=1e-6)


def test_a_class_that_wins_nowhere_has_no_boundary():
    kernel = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    bias = np.array([0.0, 0.0, -100.0])  # class 2 loses everywhere in the box
    segments = multiclass.boundary_segments(kernel, bias, (-10.0, 10.0), (-10.0, 10.0))
    assert [(i, j) for i, j, _ in segments] == [(0, 1)]
    grid = np.linspace(-10, 10, 21)
    predicted, _ = multiclass.region_grid(kernel, bias, grid, grid)
    centres = multiclass.region_centres(predicted, grid, grid, 3)
    assert centres[2] is None
    assert centres[0][0] > 0 > centres[1][0]  # f_0 = x wins on the right, f_1 = -x on the left


def test_clip_polygon_keeps_the_half_plane():
    square = np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]])
    half = multiclass.clip_polygon(square, np.array([-1.0, 1.0, 0.0]))  # x >= 1
    assert sorted(map(tuple, half.round(9))) == [(1, 0), (1, 2), (2, 0), (2, 2)]
    assert len(multiclass.clip_polygon(square, np.array([-5.0, 1.0, 0.0]))) == 0


def test_plane_in_box_lies_in_the_plane_and_the_box():
    box = ((0.0, 30.0), (0.0, 30.0), (0.0, 30.0))
    g = np.array([-40.0, 1.0, 2.0, -0.5])
    polygon = multiclass.plane_in_box(g, box)
    assert len(polygon) >= 3
    assert np.allclose(g[0] + polygon @ g[1:], 0, atol=1e-8)
    assert polygon.min() >= -1e-9 and polygon.max() <= 30 + 1e-9
    assert len(multiclass.plane_in_box(np.array([-1000.0, 1.0, 0.0, 0.0]), box)) == 0


def test_boundary_faces_are_where_two_classes_tie_on_top():
    kernel = RNG.normal(0, 1, (3, 4))
    bias = RNG.normal(0, 3, 4)
    box = ((-10.0, 10.0),) * 3
    faces = multiclass.boundary_faces(kernel, bias, box)
    assert faces
    for i, j, polygon in faces:
        # Every vertex and the middle of the face: i and j tie, nobody beats them.
        for p in list(polygon) + [polygon.mean(axis=0)]:
            f = bias + p @ kernel
            assert f[i] == pytest.approx(f[j], abs=1e-7)
            assert f[i] >= f.max() - 1e-7
    # Points drawn in the box on the two sides of a face's middle are classified i and j.
    i, j, polygon = faces[0]
    middle = polygon.mean(axis=0)
    normal = kernel[:, i] - kernel[:, j]
    normal /= np.linalg.norm(normal)
    sides = {int((bias + (middle + s * 1e-4 * normal) @ kernel).argmax()) for s in (1, -1)}
    assert sides == {i, j}


def test_two_classes_in_space_give_one_face_the_whole_cut():
    kernel = np.array([[1.0, -1.0], [0.0, 0.0], [0.0, 0.0]])
    bias = np.array([-15.0, 15.0])  # f_0 = f_1 where x = 15
    faces = multiclass.boundary_faces(kernel, bias, ((0.0, 30.0),) * 3)
    assert len(faces) == 1
    assert np.allclose(faces[0][2][:, 0], 15)
    assert multiclass._area(faces[0][2]) == pytest.approx(900)


# --------------------------------------------------------------------------------------------
# Data.


def test_generated_points_are_reproducible_and_balanced():
    a = multiclass_data.generated_points(4, 25, 2.0, 11)
    b = multiclass_data.generated_points(4, 25, 2.0, 11)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.c, b.c)
    assert a.k == 4 and list(a.counts()) == [25] * 4 and a.x.shape == (100, 2)
    space = multiclass_data.generated_points(3, 10, 2.0, 1, dim=3)
    assert space.x.shape == (30, 3) and space.dim == 3
    # Each cloud sits around its own centre.
    for k, centre in enumerate(multiclass_data.class_centres(4)):
        assert np.linalg.norm(a.x[a.c == k].mean(axis=0) - centre) < 1.5
    assert np.allclose(a.onehot().sum(axis=1), 1) and a.onehot()[a.c == 2][0, 2] == 1


def test_csv_round_trip_and_template():
    points = multiclass_data.generated_points(3, 5, 2.0, 3)
    back = multiclass_data.parse_classes_csv(points.to_csv().encode())
    assert np.allclose(back.x, points.x, atol=1e-4) and np.array_equal(back.c, points.c)
    template = multiclass_data.parse_classes_csv(multiclass_data.template_csv().encode())
    assert template.k == 3 and len(template) == 6


@pytest.mark.parametrize("raw, code", [
    (b"", "csv_empty"),
    (b"\x00\x01\x02", "csv_binary"),
    ("x,y,class\n1,2,0\n".encode("utf-16"), "csv_binary"),
    (b"\xff\xfe\xfa", "csv_encoding"),
    (b"x,y,t\n1,2,0\n3,4,1\n", "csv_columns"),
    (b"x,y,class\n1,2,0\n3,,1\n", "csv_not_number"),
    (b"x,y,class\n1,2,0\n3,inf,1\n", "csv_not_finite"),
    (b"x,y,class\n1,2e9,0\n3,4,1\n", "csv_too_large"),
    (b"x,y,class\n1,2,0\n3,4,1.5\n", "csv_labels"),
    (b"x,y,class\n1,2,0\n3,4,-1\n", "csv_labels"),
    (b"x,y,class\n1,2,0\n3,4,6\n", "csv_labels"),
    (b"x,y,class\n1,2,0\n3,4,2\n", "csv_gap"),
    (b"x,y,class\n1,2,0\n3,4,0\n", "csv_one_class"),
    (b"x,y,class\n1,2,0\n", "csv_too_few"),
    (b"x,y,class\n" + b"1,2,0\n" * 5001, "csv_too_many"),
])
def test_bad_csv_says_what_is_wrong(raw, code):
    with pytest.raises(DataError) as caught:
        multiclass_data.parse_classes_csv(raw)
    assert caught.value.code == code


def test_csv_accepts_spaces_semicolons_and_six_classes():
    raw = "X; Y; Class\n" + "\n".join(f"{i}; {2 * i}; {i % 6}" for i in range(12))
    points = multiclass_data.parse_classes_csv(raw.encode())
    assert points.k == 6 and len(points) == 12


def test_every_class_has_its_own_marker_shape():
    shapes2d = [style[0] for style in charts_multiclass.CLASS_STYLES]
    shapes3d = [style[1] for style in charts_multiclass.CLASS_STYLES]
    glyphs = [style[2] for style in charts_multiclass.CLASS_STYLES]
    assert len(charts_multiclass.CLASS_STYLES) >= multiclass_data.MAX_CLASSES
    for values in (shapes2d, shapes3d, glyphs):
        assert len(set(values)) == len(values)


def _labels(k):
    return dict(x="x", y="y", z="z", classes=[f"class {i}" for i in range(k)],
                predicted="predicted", boundary="boundary", ties="ties", region="{glyph} {k}",
                face="{a} | {b}")


@pytest.mark.parametrize("show_ties", [False, True])
def test_regions_figure_is_valid_and_carries_the_grid(show_ties):
    points = multiclass_data.generated_points(4, 20, 3.0, 2)
    x_range, y_range = points.extent()
    fig = charts_multiclass.regions_figure(KERNEL, BIAS, points.x, points.c, x_range, y_range,
                                           _labels(4), show_ties)
    figures.validate(fig)  # raises on any misspelt or misplaced property
    spec = fig.spec
    heatmap = spec["data"][0]
    predicted, probabilities = multiclass.region_grid(KERNEL, BIAS, heatmap["x"], heatmap["y"])
    # The grid travels as float32: the class numbers exactly, the probabilities to 3 decimals.
    assert heatmap["z"].dtype == np.float32 and np.array_equal(heatmap["z"], predicted)
    assert heatmap["customdata"].dtype == np.float32
    assert np.allclose(heatmap["customdata"], probabilities, atol=5e-4)
    assert np.array(heatmap["text"]).shape == predicted.shape
    names = [tr.get("name") for tr in spec["data"][1:]]
    assert names == (["ties"] if show_ties else []) + ["boundary"] + _labels(4)["classes"]
    marked = [tr["marker"]["symbol"] for tr in spec["data"] if tr.get("mode") == "markers"]
    assert marked == [style[0] for style in charts_multiclass.CLASS_STYLES[:4]]
    assert {a["text"] for a in spec["layout"]["annotations"]} <= {
        f"{charts_multiclass.glyph(k)} {k}" for k in range(4)}
    assert spec["layout"]["yaxis"]["scaleanchor"] == "x"


def test_space_figure_is_valid_with_a_face_per_boundary():
    points = multiclass_data.generated_points(3, 15, 2.5, 1, dim=3)
    kernel, bias = RNG.normal(0, 1, (3, 3)), RNG.normal(0, 1, 3)
    box = points.extent()
    fig = charts_multiclass.space_figure(points.x, points.c, kernel, bias, box, _labels(3))
    figures.validate(fig)
    spec = fig.spec
    faces = multiclass.boundary_faces(kernel, bias, box)
    assert sum(tr["type"] == "mesh3d" for tr in spec["data"]) == len(faces)
    marked = [tr for tr in spec["data"] if tr.get("mode") == "markers"]
    assert [tr["marker"]["symbol"] for tr in marked] == ["circle-open", "x", "square-open"]
    assert sum(len(tr["x"]) for tr in marked) == len(points)
    assert spec["layout"]["scene"]["zaxis"]["title"]["text"] == "z"


# --------------------------------------------------------------------------------------------
# Training.


def test_the_engine_trains_the_slides_softmax_model():
    """The engine (softmax inside the loss) equals Keras' Dense(K, activation='softmax') with
    loss='categorical_crossentropy' fitted by model.fit, from the same initial weights."""
    import keras

    from lib.engine import training

    points = multiclass_data.generated_points(3, 10, 3.0, 4)
    run = multiclass_engine.run(points, "adam", 0.01, 30, 0, 0.0, seed=5)
    kernel, bias = training.initial_weights(2, 3, 5)
    model = keras.Sequential([keras.Input(shape=(2,)),
                              keras.layers.Dense(3, activation="softmax")])
    model.set_weights([kernel, bias])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="categorical_crossentropy")
    x = points.x.astype("float32")
    model.fit(x, points.onehot(), batch_size=len(x), epochs=30, verbose=0)
    fitted_kernel, fitted_bias = model.get_weights()
    assert np.allclose(run.kernel, fitted_kernel, atol=1e-4)
    assert np.allclose(run.bias, fitted_bias, atol=1e-4)


def test_default_run_separates_the_clouds():
    points = multiclass_data.generated_points(4, 30, 3.0, 1)
    run = multiclass_engine.run(points, "adam", 0.01, 2000, 0, 0.25, seed=1)
    assert run.curves["train"][1][-1] >= 0.9 and run.curves["test"][1][-1] >= 0.85
    assert run.curves["train"][0][-1] < run.curves["train"][0][0]
    assert run.shown[-1] == 2000 and len(run.shown) <= 1001
    assert run.parameters().shape == (4, 3)
    assert len(run.train) + len(run.test) == 120
    # The final accuracy agrees with the numpy model at the final weights.
    f = multiclass.logits(run.kernel, run.bias, run.train.x)
    assert run.curves["train"][1][-1] == pytest.approx(multiclass.accuracy(f, run.train.c))


def test_a_cached_training_reuses_its_curves():
    """A rerun with the same training fetches the curves instead of recomputing them: the same
    read-only arrays, equal to a fresh computation."""
    points = multiclass_data.generated_points(3, 20, 3.0, 5)
    first = multiclass_engine.run(points, "adam", 0.01, 200, 0, 0.25, seed=2)
    again = multiclass_engine.run(points, "adam", 0.01, 200, 0, 0.25, seed=2)
    assert again.curves is first.curves and again.shown is first.shown
    shown, fresh = multiclass.run_curves(first.result, first.train, first.test)
    assert np.array_equal(shown, again.shown)
    for name in ("train", "test"):
        for mine, theirs in zip(again.curves[name], fresh[name]):
            assert np.array_equal(mine, theirs) and not mine.flags.writeable
    # Other test points (another split of the data) get curves of their own.
    other = multiclass_engine.run(points, "adam", 0.01, 200, 0, 0.3, seed=2)
    assert other.curves is not first.curves
