"""The deployment's topology on loopback (deploy/local.py): haproxy from deploy/haproxy.cfg in
front of two app replicas, one RQ training worker and redis-server. A browser stays on the
replica its cookie names (never chosen by address), and a training done for one replica's
student is served to another replica's student from Redis, not trained again."""
import os
import shutil
import urllib.request

import pytest

from conftest import run_async
from bench.st_client import Session
from deploy.local import Topology

pytestmark = pytest.mark.processes


def _get(url: str, cookie: str = ""):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        set_cookie = response.headers.get("Set-Cookie", "")
        return response.headers["X-Lab-Replica"], set_cookie.split(";")[0]


async def _train_logistic(url: str, cookie: str):
    async with Session(url, timeout=240, cookie=cookie) as tab:
        run = await tab.open("logistic", "lang=en")
        assert run.status == "ok" and not run.exceptions, run.exceptions
        return [tab.metric(name) for name in ("w0", "w1", "w2")]


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    for tool in ("redis-server", "haproxy"):
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            if os.environ.get("CI"):
                pytest.fail(f"{tool} is missing (apt-get install {tool})")
            pytest.skip(f"{tool} is not installed")
    with Topology(replicas=2, workers=1, folder=tmp_path_factory.mktemp("deploy")) as top:
        yield top


def test_the_proxy_sticks_by_cookie_and_replicas_share_results(topology):
    from redis import Redis

    from lib.engine import queue_redis

    first, cookie_one = _get(topology.url + "/")
    second, cookie_two = _get(topology.url + "/")
    assert {first, second} == {"app1", "app2"}  # without a cookie: round robin
    assert cookie_one.startswith("lab_replica=") and cookie_one != cookie_two
    for _ in range(6):  # with a cookie: always its replica
        assert _get(topology.url + "/_stcore/health", cookie_one)[0] == first
        assert _get(topology.url + "/_stcore/health", cookie_two)[0] == second

    redis = Redis.from_url(topology.redis_url)
    trained = run_async(_train_logistic(topology.url, cookie_one))
    assert int(redis.get(queue_redis.CROSS_HITS) or 0) == 0
    again = run_async(_train_logistic(topology.url, cookie_two))
    assert again == trained and all(trained)
    assert int(redis.get(queue_redis.CROSS_HITS) or 0) == 1
