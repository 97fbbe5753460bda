"""The home page's live examples against numpy references, and the page itself."""
import numpy as np
import pytest

from conftest import app_test, assert_clean, plotly_specs
from lib import kinds, lecture_map
from lib.i18n import catalog


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
