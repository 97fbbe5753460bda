"""The home page's live examples against numpy references, and the page itself."""
import numpy as np
import pytest

from conftest import app_test, assert_clean, plotly_specs
from lib.figures import home as charts_home
from lib.figures import base as figures
from lib.core import home as kinds
from lib.core import lecture_map
from lib.ui.i18n import catalog


def test_least_squares_matches_lstsq():
    spend, sales, beats, target = kinds.supervised_points()
    slope, intercept = kinds.least_squares_line(spend, sales)
    design = np.column_stack([spend, np.ones_like(spend)])
    assert np.allclose([slope, intercept], np.linalg.lstsq(design, sales, rcond=None)[0])
    assert np.array_equal(beats, sales > target)


def test_kmeans_finds_the_three_groups_and_never_raises_the_cost():
    points = kinds.cluster_points()
    history = kinds.kmeans_history(points, 3, 8)

    def cost(centres, labels):
        return ((points - centres[labels]) ** 2).sum()

    costs = [cost(c, l) for c, l in history]
    assert all(b <= a + 1e-9 for a, b in zip(costs, costs[1:]))
    found = history[-1][0]
    for true_centre in ([3.0, 3.0], [8.0, 4.0], [5.0, 8.5]):  # where the groups were drawn
        assert np.min(np.linalg.norm(found - true_centre, axis=1)) < 0.7


def test_q_learning_learns_the_way_to_the_goal():
    grid = kinds.Grid()
    q, returns = kinds.q_learning(grid, 300)
    path = kinds.greedy_path(grid, q)
    assert tuple(map(int, path[-1])) == grid.goal
    assert not any(tuple(map(int, cell)) in grid.pits for cell in path)
    assert np.mean(returns[-20:]) > np.mean(returns[:20])


LABELS = {key: key for key in ("ai", "ml", "dl", "classification", "regression", "above", "below",
                               "spend", "sales", "fitted", "goal", "pit", "start", "value", "path")}
LABELS.update(cluster="cluster {number}", centre="centre")


def test_home_figures_are_valid():
    boxes = charts_home.FIELDS_HTML.format(**charts_home.field_texts(
        {**LABELS, "dl": "deep<br><b>&"}))
    # AI holds ML, which holds DL: each box opens before the one it holds and closes after it.
    opens = [boxes.index(f'class="field-{name}"') for name in ("ai", "ml", "dl")]
    assert opens == sorted(opens) and boxes.count("<div") == boxes.count("</div>")
    assert "deep<br>&lt;b&gt;&amp;" in boxes  # line breaks kept, everything else escaped

    spend, sales, beats, target = kinds.supervised_points()
    fig = charts_home.supervised_figure(spend, sales, beats, target, LABELS)
    figures.validate(fig)
    data = fig.spec["data"]
    assert [(tr["name"], tr["xaxis"]) for tr in data] == [
        ("above", "x"), ("below", "x"), ("sales", "x2"), ("fitted", "x2")]
    assert [tr["marker"]["symbol"] for tr in data[:2]] == ["circle-open", "x-thin-open"]
    slope, intercept = kinds.least_squares_line(spend, sales)
    border = fig.spec["layout"]["shapes"][0]["x0"]
    assert slope * border + intercept == pytest.approx(target)

    points = kinds.cluster_points()
    centres, assignment = kinds.kmeans_history(points, 4, 3)[-1]
    fig = charts_home.kmeans_figure(points, centres, assignment, LABELS)
    figures.validate(fig)
    stars = [tr for tr in fig.spec["data"] if tr["marker"]["symbol"] == "star"]
    assert len(stars) == 4 and [tr["showlegend"] for tr in stars] == [True, False, False, False]
    assert sum(len(tr["x"]) for tr in fig.spec["data"] if tr not in stars) == len(points)

    grid = kinds.Grid()
    q, _ = kinds.q_learning(grid, 100)
    fig = charts_home.grid_figure(grid, q, kinds.greedy_path(grid, q), LABELS)
    figures.validate(fig)
    heatmap = fig.spec["data"][0]
    assert np.isnan(heatmap["z"][grid.walls[0]]) and heatmap["text"][0][4] == "goal"
    assert heatmap["colorscale"][0] == [0.0, "rgb(255,255,255)"]  # white: worth nothing yet
    # Black arrows on a light shade only, and the shade explained by a colour bar.
    assert heatmap["colorscale"][-1] == [1.0, "rgb(150,150,150)"] and heatmap["showscale"]
    assert heatmap["colorbar"]["title"]["text"] == "value"
    path = fig.spec["data"][1]  # beside the cells' centres, where S, G and the arrows are
    offsets = np.r_[path["x"], path["y"]] % 1
    assert np.allclose(offsets, charts_home.PATH_OFFSET)


def test_every_lecture_item_has_text_in_both_languages():
    numbers = [item.number for item in lecture_map.PART1 + lecture_map.PART2]
    assert numbers == list(range(1, 22))
    for lang in ("ja", "en"):
        for n in numbers:
            assert catalog(lang)[f"home.map.i{n}"] and catalog(lang)[f"home.map.i{n}_text"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_home_widgets(lang):
    at = app_test(query={"lang": lang})
    assert_clean(at)
    assert len(at.get("page_link")) >= 15  # the map links to the pages that show each item
    at.slider(key="home.k").set_value(4)
    at.slider(key="home.kstep").set_value(5)
    at.slider(key="home.episodes").set_value(200)
    at.run()
    assert_clean(at)
    assert at.query_params["k"] == "4" and at.query_params["episodes"] == "200"
    kmeans = next(s for s in plotly_specs(at) if any("★" in str(tr.get("name")) for tr in s["data"]))
    assert sum(1 for tr in kmeans["data"] if tr["marker"]["symbol"] == "star") == 4


def test_home_with_a_hostile_url():
    at = app_test(query={"k": "99", "episodes": "<b>x</b>", "kstep": "-3"})
    assert_clean(at)
    assert at.warning
