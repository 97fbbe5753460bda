"""What a session keeps uploaded is bounded (lib/ui/uploads.py).

The manager's rules on their own (issued ids only, per-session count and bytes, the total,
release of unreferenced files), then the real upload endpoint over HTTP against a running
server: 60 files under invented ids, and a flood under ids the server issued. What the
server holds is read from Streamlit's own metrics endpoint (cache_memory_bytes of the
UploadedFileManager), not from the manager under test.
"""
import asyncio
import re
import sys
import time
import urllib.request
import uuid

import pytest
from starlette.exceptions import HTTPException
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from conftest import ROOT, run_async
from lib.ui import uploads

sys.path.insert(0, str(ROOT / "bench"))
from st_client import Session, put_file  # noqa: E402

MB = 1024 * 1024


def _manager() -> uploads.BoundedUploads:
    manager = uploads.BoundedUploads("/_stcore/upload_file")
    manager._setup_bounds()
    return manager


def _issue(manager, session, n=1) -> list[str]:
    return [i.file_id for i in manager.get_upload_urls(session, [f"f{k}" for k in range(n)])]


def _file(file_id, size) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name="a.csv", type="text/csv", data=b"1" * size)


def _stored(manager, session, ids) -> list[str]:
    return [r.file_id for r in manager.get_files(session, ids)]


def test_a_file_under_an_id_the_server_did_not_issue_is_refused():
    manager = _manager()
    with pytest.raises(HTTPException) as caught:
        manager.add_file("s1", _file(str(uuid.uuid4()), 10))
    assert caught.value.status_code == 400
    other = _issue(manager, "s2")[0]  # issued to another session
    with pytest.raises(HTTPException):
        manager.add_file("s1", _file(other, 10))
    assert manager.held("s1") == (0, 0)


def test_a_session_keeps_at_most_its_count_and_bytes_least_recently_used_out():
    manager = _manager()
    ids = _issue(manager, "s", 10)
    for file_id in ids[:uploads.MAX_FILES]:
        manager.add_file("s", _file(file_id, 100))
        time.sleep(0.002)
    manager.get_files("s", [ids[0]])  # the first file is still in use: it stays
    manager.add_file("s", _file(ids[uploads.MAX_FILES], 100))
    kept = _stored(manager, "s", ids)
    assert len(kept) == uploads.MAX_FILES and ids[0] in kept and ids[1] not in kept
    # Bytes: two files of 5 MB leave room for no third beside them under 12 MB.
    manager.add_file("s", _file(ids[6], 5 * MB))
    manager.add_file("s", _file(ids[7], 5 * MB))
    files, size = manager.held("s")
    assert size <= uploads.MAX_SESSION_BYTES and files <= uploads.MAX_FILES
    assert ids[6] in _stored(manager, "s", ids) and ids[7] in _stored(manager, "s", ids)
    # The parent's own bookkeeping (Streamlit's stats) agrees with the bound.
    assert manager._total_bytes == size and manager._file_count == files


def test_all_sessions_together_stop_at_the_total(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_TOTAL_BYTES", 3 * MB)
    manager = _manager()
    for session in ("a", "b", "c"):
        manager.add_file(session, _file(_issue(manager, session)[0], MB))
    with pytest.raises(HTTPException) as caught:
        manager.add_file("d", _file(_issue(manager, "d")[0], MB))
    assert caught.value.status_code == 503
    manager.remove_session_files("a")  # a session ends: room again
    manager.add_file("d", _file(_issue(manager, "d")[0], MB))


def test_unreferenced_files_are_released_after_the_grace():
    manager = _manager()
    kept, dropped, fresh = _issue(manager, "s", 3)
    for file_id in (kept, dropped):
        manager.add_file("s", _file(file_id, 10))
    manager.release("s", {kept}, grace=0.0)
    assert _stored(manager, "s", [kept, dropped]) == [kept]
    manager.add_file("s", _file(fresh, 10))
    manager.release("s", {kept})  # just uploaded, its rerun may be on its way: kept
    assert _stored(manager, "s", [kept, fresh]) == [kept, fresh]
    manager.remove_session_files("s")
    assert manager.held("s") == (0, 0) and manager._total_bytes == 0


def _held_bytes(url: str) -> int:
    """The UploadedFileManager's bytes from Streamlit's metrics (0 when it holds nothing)."""
    time.sleep(5.5)  # the endpoint caches memory figures for 5 s
    with urllib.request.urlopen(url + "/_stcore/metrics?families=cache_memory_bytes",
                                timeout=30) as response:
        text = response.read().decode()
    found = re.findall(r'cache_type="UploadedFileManager".*?\}\s+(\d+)', text)
    return sum(int(v) for v in found)


def test_the_upload_endpoint_keeps_no_invented_ids_and_a_bounded_flood(app_url):
    async def flood():
        async with Session(app_url, timeout=300) as tab:
            run = await tab.open("mnist", "input=upload&lang=en")
            assert run.status == "ok" and not run.exceptions
            data = b"\0" * MB
            invented = [await asyncio.to_thread(put_file, app_url, tab.session_id,
                                                str(uuid.uuid4()), "x.png", data)
                        for _ in range(60)]
            after_invented = _held_bytes(app_url)
            ids = [f.file_id for f in await tab.upload_urls([f"f{i}.png" for i in range(10)])]
            issued = [await asyncio.to_thread(put_file, app_url, tab.session_id, file_id,
                                              "x.png", data) for file_id in ids]
            return invented, after_invented, issued, _held_bytes(app_url)

    invented, after_invented, issued, after_issued = run_async(flood())
    assert set(invented) == {400} and after_invented == 0
    assert issued == [204] * 10  # accepted, but the oldest make way
    assert 0 < after_issued <= uploads.MAX_FILES * MB <= uploads.MAX_SESSION_BYTES


@pytest.fixture
def proxy_url(app_url):
    """deploy/haproxy.cfg in front of the app, on a free port."""
    import os
    import shutil
    import socket
    import subprocess

    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not os.path.exists(haproxy):
        if os.environ.get("CI"):
            pytest.fail("haproxy is missing (apt-get install haproxy)")
        pytest.skip("haproxy is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, APP_SERVER=app_url.removeprefix("http://"), APP_REPLICAS="1",
               LB_BIND=f"127.0.0.1:{port}", COOKIE_KEY="test")
    proxy = subprocess.Popen([haproxy, "-db", "-f", str(ROOT / "deploy/haproxy.cfg")],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or proxy.poll() is not None:
                proxy.kill()
                pytest.fail("haproxy did not start")
            time.sleep(0.2)
    yield url
    proxy.terminate()
    proxy.wait(timeout=10)


def _status_of_headers_only(url: str, path: str, length: int) -> int:
    """Send an upload's request line and headers, no body: what answers before the body."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall((f"PUT {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                      f"Content-Type: multipart/form-data; boundary=x\r\n"
                      f"Content-Length: {length}\r\n\r\n").encode())
        return int(sock.recv(200).split()[1])


def test_the_proxy_refuses_large_and_rapid_uploads_before_the_app(proxy_url):
    session = str(uuid.uuid4())
    path = f"/_stcore/upload_file/{session}/{uuid.uuid4()}"
    assert _status_of_headers_only(proxy_url, path, 7 * MB) == 413

    async def rapid():
        async with Session(proxy_url, timeout=300) as tab:  # the websocket passes the proxy
            run = await tab.open("", "lang=en")
            assert run.status == "ok" and not run.exceptions
            return [await asyncio.to_thread(put_file, proxy_url, tab.session_id,
                                            str(uuid.uuid4()), "x.csv", b"1,2\n")
                    for _ in range(14)]

    statuses = run_async(rapid())
    assert statuses[:10] == [400] * 10  # the app's own answer: ids it never issued
    assert statuses[10:] == [429] * 4  # the proxy's: 10 uploads per 10 s per session
