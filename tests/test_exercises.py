"""Every exercise's check: a state that passes and states that fail, against exact references
(numpy least squares, Newton's minimum of E, closed-form parameter counts, a breadth-first
search of the grid) computed here, independently of the checks."""
import itertools
import math
from collections import deque
from types import SimpleNamespace

import numpy as np
import pytest

from lib.core import datasets, home as kinds, maths
from lib.core.exercises import ALL, LESSONS
from lib.core.exercises import base
from lib.core.exercises.base import Attempt
from lib.core import mnist as mnist_core
from lib.core import regression as regression_core
from lib.core import regression_data

BOOK = datasets.textbook_points()
OPTIMUM, _ = maths.logistic_optimum(BOOK.x, BOOK.t)
SALES = regression_data.generated(20, 3.0, 10.0, 3.0, 1)


def check(exercise_id, state=None, answer=None, variant=None, **context):
    exercise = ALL[exercise_id]
    variant = exercise.variant_for("seed") if variant is None else variant
    return exercise.check(Attempt(state or {}, context, answer, variant))


def w_state(w):
    return dict(w0=float(w[0]), w1=float(w[1]), w2=float(w[2]))


def e_of(w, points=BOOK):
    f = w[0] + points.x @ np.asarray(w[1:])
    return float(np.sum(np.logaddexp(0, -f) * points.t + np.logaddexp(0, f) * (1 - points.t)))


# --- logistic ---------------------------------------------------------------------------------

def test_classify_29_of_35():
    right = int(np.sum((OPTIMUM[0] + BOOK.x @ OPTIMUM[1:] > 0) == (BOOK.t == 1)))
    assert right == 29  # the exact minimum of E itself gets 29 of 35
    assert check("logistic.classify", w_state(OPTIMUM), points=BOOK).solved
    assert check("logistic.classify", w_state(-OPTIMUM), points=BOOK).code == "flipped"
    nearly = check("logistic.classify", w_state([-6.0, 0.2, 0.05]), points=BOOK)
    assert nearly.code == "few" and nearly.values["n"] < 29
    other = datasets.generated_points(20, 12.0, 4.5, 1)
    assert check("logistic.classify", w_state(OPTIMUM), points=other).code == "not_textbook"


def test_bring_e_below_12():
    assert abs(e_of(OPTIMUM) - 10.53) < 0.005
    assert check("logistic.below12", w_state(OPTIMUM), points=BOOK).solved
    soft = check("logistic.below12", w_state(0.4 * OPTIMUM), points=BOOK)
    assert soft.code == "sharper" and e_of(0.4 * OPTIMUM) >= 12 and soft.values["scale"] > 1
    steep = check("logistic.below12", w_state(5 * OPTIMUM), points=BOOK)
    assert steep.code == "softer" and steep.values["scale"] < 1
    assert check("logistic.below12", w_state([0, 0, 0]), points=BOOK).code == "line"


def test_sgd_with_learning_rate_100_jumps():
    choice, values = ALL["logistic.sgd100"].truth(Attempt(context={"points": BOOK}))
    assert choice == "jumps"
    assert values["start"] == pytest.approx(35 * math.log(2))
    assert values["low"] > 10 * values["start"] and values["high"] > values["low"]
    assert check("logistic.sgd100", answer="jumps", points=BOOK).solved
    assert check("logistic.sgd100", answer="faster", points=BOOK).code == "faster"


@pytest.mark.parametrize("seed", ["seed", "0123456789abcdef", "fedcba9876543210"])
def test_probability_at_a_point(seed):
    v = ALL["logistic.probability"].variant_for(seed)
    f = v["w0"] + v["w1"] * v["x"] + v["w2"] * v["y"]
    p = 1 / (1 + math.exp(-f))
    assert check("logistic.probability", answer=round(p, 3), variant=v).solved
    assert check("logistic.probability", answer=f, variant=v).code == "gave_f"
    assert check("logistic.probability", answer=1 - p, variant=v).code == "complement"
    assert check("logistic.probability", answer=None, variant=v).code == "missing"


# --- regression -------------------------------------------------------------------------------

def test_hand_fit_within_ten_percent():
    slope, intercept = np.polyfit(SALES.x, SALES.y, 1)
    best = np.mean((slope * SALES.x + intercept - SALES.y) ** 2)
    assert check("regression.hand_fit", dict(slope=slope, icpt=intercept), data=SALES).solved
    shifted = check("regression.hand_fit", dict(slope=slope, icpt=intercept + 3), data=SALES)
    assert shifted.code == "shift" and shifted.values["best"] == pytest.approx(best)
    # Turned about the centre of the data: the mean residual stays 0.
    turned = dict(slope=slope + 1, icpt=intercept - SALES.x.mean())
    assert check("regression.hand_fit", turned, data=SALES).code == "turn"
    # Just inside and just outside the 10 % margin (a shift d adds d² to the error).
    for d, solved in ((math.sqrt(0.099 * best), True), (math.sqrt(0.101 * best), False)):
        verdict = check("regression.hand_fit", dict(slope=slope, icpt=intercept + d), data=SALES)
        assert verdict.solved is solved


def test_budget_prediction():
    slope, intercept = np.polyfit(SALES.x, SALES.y, 1)
    variant = {"budget": 8.0}
    exact = slope * 8 + intercept
    assert check("regression.budget", answer=exact * 1.005, variant=variant, data=SALES).solved
    assert check("regression.budget", answer=slope * 8, variant=variant,
                 data=SALES).code == "no_intercept"
    assert check("regression.budget", answer=intercept * 8 + slope, variant=variant,
                 data=SALES).code == "swapped"
    assert check("regression.budget", answer=exact * 1.05, variant=variant,
                 data=SALES).code == "wrong"


def test_overfitting_truth_is_the_pages_degree_chart():
    train, test = regression_core.split(SALES, 0.3, 1)
    _, test_errors = regression_core.errors_by_degree(train, test)
    choice, values = ALL["regression.overfit"].truth(Attempt({"iseed": 1}, {"data": SALES}))
    assert values["high"] == pytest.approx(test_errors[8], rel=1e-6)
    assert values["line"] == pytest.approx(test_errors[0], rel=1e-6)
    assert choice == "above" and test_errors[8] > test_errors[0]
    assert check("regression.overfit", {"iseed": 1}, "above", data=SALES).solved
    assert check("regression.overfit", {"iseed": 1}, "below", data=SALES).code == "below"


def test_polynomial_parameters():
    variant = {"degree": 9}
    assert check("regression.parameters", answer=10, variant=variant).solved
    assert check("regression.parameters", answer=9, variant=variant).code == "no_bias"
    assert check("regression.parameters", answer=81, variant=variant).code == "squared"


# --- home ---------------------------------------------------------------------------------------

def test_kmeans_until_the_centres_stop():
    history = kinds.kmeans_history(kinds.cluster_points(), 3, 9)
    first = next(s for s in range(9) if np.array_equal(history[s][0], history[s + 1][0]))
    assert check("home.kmeans", dict(k=3, kstep=first)).solved
    assert check("home.kmeans", dict(k=3, kstep=first - 1)).code == "moving"
    assert check("home.kmeans", dict(k=2, kstep=8)).code == "k"


def _shortest_moves(grid):
    """Breadth-first search over the grid (walls block, pits end the walk)."""
    queue, seen = deque([(grid.start, 0)]), {grid.start}
    while queue:
        cell, moves = queue.popleft()
        if cell == grid.goal:
            return moves
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            nxt = (cell[0] + dr, cell[1] + dc)
            if (0 <= nxt[0] < grid.rows and 0 <= nxt[1] < grid.cols and nxt not in grid.walls
                    and nxt not in grid.pits and nxt not in seen):
                seen.add(nxt)
                queue.append((nxt, moves + 1))


def test_learnt_path_and_untrained_agent():
    shortest = _shortest_moves(kinds.Grid())
    assert check("home.steps", answer=shortest).solved
    assert check("home.steps", answer=shortest + 1).code == "cells"
    choice, values = ALL["home.untrained"].truth(Attempt())
    assert choice == "stuck" and (values["row"], values["col"]) == (0, 0)
    assert check("home.untrained", answer="stuck").solved
    assert check("home.untrained", answer="goal").code == "goal"


def test_kind_of_learning_follows_the_variant():
    for scenario, kind in (("amount", "regression"), ("spam", "classification"),
                           ("groups", "clustering")):
        assert check("home.kind", answer=kind, variant={"scenario": scenario}).solved
        other = next(k for k in ("classification", "regression", "clustering") if k != kind)
        assert check("home.kind", answer=other, variant={"scenario": scenario}).code == other


# --- sigmoid ----------------------------------------------------------------------------------

def test_sigmoid_numbers():
    assert check("sigmoid.zero", answer=float(maths.sigmoid(np.array([0.0]))[0])).solved
    assert check("sigmoid.zero", answer=0).code == "zero"
    assert check("sigmoid.zero", answer=1).code == "one"
    for p in (0.7, 0.9, 0.99):
        a = math.log(p / (1 - p))
        assert 1 / (1 + math.exp(-a)) == pytest.approx(p)
        assert check("sigmoid.inverse", answer=round(a, 2), variant={"p": p}).solved
        assert check("sigmoid.inverse", answer=-a, variant={"p": p}).code == "sign"
        assert check("sigmoid.inverse", answer=p, variant={"p": p}).code == "gave_p"


def test_scaling_keeps_the_line_and_narrows_the_band():
    state = dict(w0=-6.0, w1=0.2, w2=0.2)
    choice, values = ALL["sigmoid.scale"].truth(Attempt(state))
    assert choice == "same_narrower"
    assert values["before"] == pytest.approx(2 * math.log(9) / math.hypot(0.2, 0.2))
    assert values["after"] == pytest.approx(values["before"] / 5)
    assert check("sigmoid.scale", state, "moves").code == "moves"
    demo = ALL["sigmoid.scale"].demo_settings(state)
    assert demo == {"sigmoid.w0": -30.0, "sigmoid.w1": 1.0, "sigmoid.w2": 1.0}


def test_decided_at_the_cloud_centres():
    good = dict(w0=-25.15, w1=0.8, w2=0.9)
    assert 1 / (1 + math.exp(-(-25.15 + 0.8 * 18 + 0.9 * 20))) >= 0.9
    assert check("sigmoid.sharp", good).solved
    assert check("sigmoid.sharp", {k: -v for k, v in good.items()}).code == "reversed"
    assert check("sigmoid.sharp", dict(w0=-6.0, w1=0.2, w2=0.2)).code == "soft"
    assert check("sigmoid.sharp", dict(w0=0.0, w1=0.2, w2=0.2)).code == "line"


# --- cross-entropy ------------------------------------------------------------------------------

def test_one_points_cost():
    for p in (0.1, 0.4):
        v = {"p": p}
        assert check("cross_entropy.cost", answer=-math.log(p), variant=v).solved
        assert check("cross_entropy.cost", answer=-math.log10(p), variant=v).code == "log10"
        assert check("cross_entropy.cost", answer=math.log(p), variant=v).code == "sign"
        assert check("cross_entropy.cost", answer=-math.log(1 - p), variant=v).code == "cross"


def test_the_point_that_costs_most():
    w = np.array([-6.0, 0.2, 0.2])
    f = w[0] + BOOK.x @ w[1:]
    terms = np.where(BOOK.t == 1, -np.log(1 / (1 + np.exp(-f))), -np.log(1 - 1 / (1 + np.exp(-f))))
    order = np.argsort(terms)[::-1]
    state = w_state(w)
    assert check("cross_entropy.biggest", state, int(order[0]), points=BOOK).solved
    right_side = int(np.argmin(terms))
    assert check("cross_entropy.biggest", state, right_side, points=BOOK).code == "right_side"
    assert terms[order[1]] > math.log(2)
    assert check("cross_entropy.biggest", state, int(order[1]), points=BOOK).code == "smaller"
    assert check("cross_entropy.biggest", state, 99, points=BOOK).code == "missing"


def test_separable_data_have_no_minimum():
    choice, values = ALL["cross_entropy.separable"].truth(Attempt())
    assert choice == "infinity" and values["e1"] > values["e2"] > values["e3"]
    points = datasets.generated_points(20, 30.0, 2.0, 1)
    assert not maths.logistic_optimum(points.x, points.t)[1]
    assert check("cross_entropy.separable", answer="at_line").code == "at_line"


def test_far_on_the_wrong_side_only_the_cross_entropy_slopes():
    choice, values = ALL["cross_entropy.flat"].truth(Attempt({"w0": -6.0}, {"points": BOOK}))
    assert choice == "xent" and values["mse"] < 1e-4 < values["xent"]
    assert check("cross_entropy.flat", {"w0": -6.0}, "xent", points=BOOK).solved


# --- multiclass -------------------------------------------------------------------------------

def test_multiclass_counts():
    v = {"k": 4, "d": 2}
    assert check("multiclass.parameters", answer=4 * 2 + 4, variant=v).solved
    assert check("multiclass.parameters", answer=8, variant=v).code == "no_bias"
    assert check("multiclass.parameters", answer=3, variant=v).code == "one_function"
    for k in (3, 4, 5, 6):
        pairs = len(list(itertools.combinations(range(k), 2)))
        assert check("multiclass.pairs", answer=pairs, variant={"k": k}).solved
        assert check("multiclass.pairs", answer=k * (k - 1), variant={"k": k}).code == "ordered"


def test_softmax_ignores_a_common_shift():
    choice, values = ALL["multiclass.shift"].truth(Attempt())
    assert choice == "same" and values["change"] < 1e-12
    assert check("multiclass.shift", answer="changes").code == "changes"


# --- MNIST --------------------------------------------------------------------------------------

@pytest.mark.parametrize("hidden", [0, 16, 128])
def test_mnist_parameters_against_the_engines_count(hidden):
    from lib.core.exercises.mnist import model_variant

    settings = mnist_core.Settings(hidden=(hidden,) if hidden else ())
    v = model_variant(hidden)
    assert check("mnist.parameters", answer=settings.parameters(), variant=v).solved
    assert check("mnist.parameters", answer=settings.parameters() - 10 - hidden,
                 variant=v).code == "no_bias"
    if hidden == 0:
        assert settings.parameters() == 7850
    else:
        assert check("mnist.parameters", answer=7850, variant=v).code == "no_hidden"
    assert check("mnist.pixels", answer=784).solved
    assert check("mnist.pixels", answer=28).code == "side"


def _fake_run(seed=0):
    rng = np.random.RandomState(seed)
    test_y = rng.randint(0, 10, 500)
    test_pred = test_y.copy()
    test_pred[:40] = 7  # a planted most frequent mistake among true labels of the first 40
    test_y[:40] = 1
    test_pred[40:50] = 3
    test_y[40:50] = 5
    run = SimpleNamespace(weights=[(rng.normal(size=(784, 10)), np.zeros(10))],
                          test_pred=test_pred)
    return run, SimpleNamespace(test_y=test_y)


def test_template_of_the_zero():
    run, data = _fake_run()
    variant = ALL["mnist.zero"].variant_for("someone")
    assert sorted(variant["order"]) == list(range(10))
    letter = "ABCDEFGHIJ"[variant["order"].index(0)]
    assert check("mnist.zero", answer=letter, variant=variant, run=run, data=data).solved
    other = next(c for c in "ABCDEFGHIJ" if c != letter)
    verdict = check("mnist.zero", answer=other, variant=variant, run=run, data=data)
    assert verdict.code == "other" and verdict.values["digit"] != 0
    deep = SimpleNamespace(weights=run.weights * 2, test_pred=run.test_pred)
    assert check("mnist.zero", answer=letter, variant=variant, run=deep, data=data).code == "deep"
    assert check("mnist.zero", answer=letter, variant=variant).code == "no_model"


def test_most_frequent_mistake():
    run, data = _fake_run()
    counts = np.zeros((10, 10), int)
    for true, pred in zip(data.test_y, run.test_pred):
        counts[true, pred] += 1
    assert counts[1, 7] == 40
    assert check("mnist.confused", dict(true=1, pred=7), run=run, data=data).solved
    assert check("mnist.confused", dict(true=5, pred=3), run=run, data=data).code == "not_most"
    assert check("mnist.confused", dict(true=2, pred=2), run=run, data=data).code == "diagonal"
    assert check("mnist.confused", dict(true=1, pred=7)).code == "no_model"


# --- variants and progress --------------------------------------------------------------------

def test_variants_are_per_seed_and_stable():
    exercise = ALL["cross_entropy.cost"]
    assert exercise.variant_for("a1") == exercise.variant_for("a1")
    seen = {exercise.variant_for(f"{i:016x}")["p"] for i in range(40)}
    assert len(seen) >= 4  # neighbours get different numbers
    assert ALL["sigmoid.zero"].variant_for("x") == {}


def test_progress_round_trip_and_rules():
    progress = {}
    progress = base.record(progress, ALL["sigmoid.zero"], base.TRIED)
    progress = base.record(progress, ALL["sigmoid.zero"], base.SOLVED)
    progress = base.record(progress, ALL["sigmoid.zero"], base.SEEN)  # solved stays solved
    progress = base.record(progress, ALL["sigmoid.inverse"], base.SEEN)
    progress = base.record(progress, ALL["sigmoid.inverse"], base.SOLVED)  # seen stays seen
    progress = base.record(progress, ALL["sigmoid.scale"], base.TRIED, "moves")
    assert progress == {"sigmoid.zero": ("solved", ""), "sigmoid.inverse": ("seen", ""),
                        "sigmoid.scale": ("tried", "moves")}
    text = base.encode(progress)
    assert all(c.isalnum() or c in "-_" for c in text)
    assert base.decode(text, ALL) == progress


@pytest.mark.parametrize("rows", [
    {"nope.nothing": "solved"}, {"sigmoid.zero": "owned"}, {"sigmoid.zero": ["solved", 3]},
    {"sigmoid.zero": ["solved", "x", "y"]}, {"sigmoid.zero": {"a": 1}}, [1, 2, 3], "solved",
])
def test_progress_from_a_browser_is_validated(rows):
    import base64
    import json

    text = base64.urlsafe_b64encode(json.dumps(rows).encode()).decode()
    assert base.decode(text, ALL) == {}


def test_progress_garbage_and_foreign_choices():
    for text in (None, "", "%%%", "not base64!", "e30" * 2000, 12):
        assert base.decode(text, ALL) == {}
    import base64
    import json

    raw = json.dumps({"sigmoid.scale": ["tried", "<script>"], "sigmoid.zero": "solved"})
    decoded = base.decode(base64.urlsafe_b64encode(raw.encode()).decode(), ALL)
    assert decoded == {"sigmoid.scale": ("tried", ""), "sigmoid.zero": ("solved", "")}
    assert base.valid_browser_id("0123456789abcdef")
    for bad in ("0123456789ABCDEF", "0123", "0123456789abcdeg", None, "0123456789abcdef0"):
        assert not base.valid_browser_id(bad)


def test_every_page_has_three_to_five_exercises_of_the_issue_kinds():
    assert set(LESSONS) == {"home", "regression", "logistic", "sigmoid", "cross_entropy",
                            "multiclass", "mnist"}
    for lesson, items in LESSONS.items():
        assert 3 <= len(items) <= 5, lesson
        assert all(e.lesson == lesson for e in items)
    kinds_used = {e.kind for e in ALL.values()}
    assert kinds_used == set(base.KINDS)


# --- texts --------------------------------------------------------------------------------------

def _sample_attempts(exercise, variant):
    """Many states and answers, so that most feedback codes of each exercise turn up."""
    run, fake_data = _fake_run()
    contexts = {"logistic": {"points": BOOK}, "cross_entropy": {"points": BOOK},
                "regression": {"data": SALES}, "mnist": {"run": run, "data": fake_data}}
    context = contexts.get(exercise.lesson, {})
    states = [w_state(w) for w in (OPTIMUM, -OPTIMUM, 0.4 * OPTIMUM, 5 * OPTIMUM, [0, 0, 0],
                                   [-6.0, 0.2, 0.05], [-25.15, 0.8, 0.9], [0.0, 0.2, 0.2])]
    slope, intercept = np.polyfit(SALES.x, SALES.y, 1)
    extra = [dict(slope=slope, icpt=intercept + d, k=k, kstep=s, true=tr, pred=pr, iseed=1)
             for d, k, s, tr, pr in ((0, 3, 4, 1, 7), (5, 2, 1, 2, 2), (0, 3, 1, 5, 3))]
    extra.append(dict(slope=slope + 1, icpt=intercept - SALES.x.mean(), k=3, kstep=8, true=0,
                      pred=1, iseed=1))
    answers = [None, 0, 0.5, 1, 8, 9, 28, 56, 81, 7840, 7850, *exercise.choices, *range(35)]
    for state in states:
        for more in extra:
            for answer in answers:
                yield Attempt({**state, **more}, context, answer, variant)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("exercise_id", sorted(ALL))
def test_every_text_exists_and_fills_in(exercise_id, lang):
    from lib.ui import i18n

    exercise = ALL[exercise_id]
    texts = i18n.catalog(lang)
    required = ["title", "task"] + [f"fb_{code}" for code in exercise.feedback]
    if exercise.kind == base.PREDICT:
        required += ["truth"] + [f"choice_{c}" for c in exercise.choices] \
            + [f"fb_{c}" for c in exercise.choices]
    else:
        required += ["hint", "solution"]
        if exercise.choices and exercise.kind == base.PICTURE and exercise.lesson != "mnist":
            required += [f"choice_{c}" for c in exercise.choices]
    missing = [part for part in required if exercise.key(part) not in texts]
    assert missing == []

    def fill(part, values):
        named = dict(values)
        for name, value in values.items():  # the panel's name_text words
            if isinstance(value, str) and exercise.key(f"{name}_{value}") in texts:
                named[f"{name}_text"] = texts[exercise.key(f"{name}_{value}")]
        return texts[exercise.key(part)].format(**named)

    for seed in ("seed", "0123456789abcdef"):
        variant = exercise.variant_for(seed)
        for part in ("title", "task") + (("hint",) if exercise.kind != base.PREDICT else ()):
            fill(part, variant)
        codes = set()
        for attempt in itertools.islice(_sample_attempts(exercise, variant), 0, None, 11):
            verdict = exercise.check(attempt)
            if exercise.kind == base.PREDICT:
                truth, values = exercise.truth(attempt)
                fill("truth", {**variant, **values})
            elif verdict.solved:
                fill("solution", {**variant, **exercise.solution(attempt)})
            if not verdict.solved and verdict.code in exercise.feedback + exercise.choices:
                fill(f"fb_{verdict.code}", {**variant, **verdict.values})
                codes.add(verdict.code)
        if exercise.kind != base.PREDICT:
            attempt = next(_sample_attempts(exercise, variant))
            fill("solution", {**variant, **exercise.solution(attempt)})
