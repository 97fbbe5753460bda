"""A small client that speaks Streamlit's own websocket protocol, as a browser tab does.

It connects to `/_stcore/stream`, asks for script runs with `BackMsg.rerun_script` (the page,
the URL's query string and the widget values, as the frontend sends them) and reads the
`ForwardMsg`s back until the run has finished: the page's elements by their delta path, the
widgets by their key, the query string the page wrote, the app's pages from the navigation
message, and any exception the page showed. It uses the protobuf classes shipped in the
`streamlit` package, so it follows the server's version.

    async with Session(url) as tab:
        run = await tab.open("logistic", "lang=en")
        await tab.set("logistic.w0", -3.5)        # moves a slider: reruns its fragment
        print(tab.metric("w0"), tab.query)

Only loopback servers are accepted; every wait has a timeout.
"""
from __future__ import annotations

import asyncio
import ipaddress
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile_error",
}


class ProtocolError(RuntimeError):
    """The server did not answer as a Streamlit server does (or not in time)."""


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"only loopback servers are driven, not {host!r}")


@dataclass
class Element:
    kind: str  # the Element oneof: "slider", "metric", "plotly_chart", "exception", ...
    proto: object  # that oneof's message
    fragment_id: str

    @property
    def key(self) -> str | None:
        """The user key of a keyed widget or chart (its id ends with "-<key>")."""
        wid = getattr(self.proto, "id", "")
        if not isinstance(wid, str) or not wid.startswith("$$ID-") or wid.endswith("-None"):
            return None
        parts = wid.split("-", 2)
        return parts[2] if len(parts) == 3 else None


@dataclass
class Run:
    """What one action brought back."""

    status: str = "running"
    seconds: float = 0.0
    exceptions: list[str] = field(default_factory=list)
    progress: bool = False  # a progress bar was drawn: the run may have trained
    messages: int = 0
    largest: int = 0  # bytes of the largest message the server sent
    page_not_found: bool = False


class Session:
    """One browser tab: a websocket, the page shown, its widgets and its URL."""

    def __init__(self, base_url: str, timeout: float = 180.0, cookie: str = ""):
        check_loopback(base_url)
        self.cookie = cookie  # sent with the websocket's handshake (a proxy's sticky cookie)
        parts = urlsplit(base_url)
        self.ws_url = f"ws://{parts.netloc}/_stcore/stream"
        self.timeout = timeout
        self.ws = None
        self.query = ""  # the query string as the address bar shows it
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> script hash
        self.page_hash = ""
        self.elements: dict[tuple, Element] = {}  # delta path -> element, as on screen
        self.states: dict[str, WidgetState] = {}  # widget id -> the value this tab holds
        self.session_id = ""  # the server's id of this tab's session (its first message says)
        self.timers: dict[str, float] = {}  # fragment id -> seconds: st.fragment(run_every=...)
        self.base_url = base_url.rstrip("/")

    async def __aenter__(self):
        from websockets.asyncio.client import connect

        self.ws = await asyncio.wait_for(
            # No keepalive pings: a browser does not send them either, and a busy test
            # process must not lose its tabs while it computes.
            connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                    open_timeout=self.timeout, ping_interval=None,
                    additional_headers={"Cookie": self.cookie} if self.cookie else None),
            self.timeout)
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def close(self):
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    # -- actions -----------------------------------------------------------------------------

    async def open(self, path: str = "", query: str = "") -> Run:
        """Open a link: the page at url path `path` ("logistic"), with a query string."""
        self.query = query
        self.states.clear()
        return await self._rerun(page_name=path)

    async def goto(self, path: str) -> Run:
        """Follow the sidebar navigation to another page (the query string is left behind)."""
        if path not in self.pages:
            raise ProtocolError(f"no page {path!r} in the navigation: {sorted(self.pages)}")
        self.query = ""
        self.states = {wid: s for wid, s in self.states.items() if self._in_sidebar(wid)}
        return await self._rerun(page_hash=self.pages[path], page_name=path)

    async def set(self, key: str, value) -> Run:
        """Give a widget a new value, as a user's hand does; reruns its fragment or the page."""
        element = self.widget(key)
        state = widget_state(element, value)
        self.states[state.id] = state
        return await self._rerun(page_hash=self.page_hash, fragment_id=element.fragment_id)

    async def choose(self, key: str, index: int) -> Run:
        """Pick a select slider's, selectbox's or radio's option by its position."""
        return await self.set(key, self.options(key)[index])

    async def click(self, key: str) -> Run:
        element = self.widget(key)
        trigger = WidgetState(id=element.proto.id, trigger_value=True)
        return await self._rerun(page_hash=self.page_hash, fragment_id=element.fragment_id,
                                 extra=[trigger])

    async def send_state(self, key: str, state: WidgetState) -> Run:
        """Send any value for a widget, as a crafted client can (`state.id` is filled in)."""
        element = self.widget(key)
        state.id = element.proto.id
        self.states[state.id] = state
        return await self._rerun(page_hash=self.page_hash, fragment_id=element.fragment_id)

    async def upload_urls(self, names: list[str]) -> list:
        """Ask the server for upload ids, as the file uploader does before it uploads: one
        FileURLs (file_id, upload_url, delete_url) per name."""
        message = BackMsg()
        request = message.file_urls_request
        request.request_id = f"r{time.monotonic_ns()}"
        request.session_id = self.session_id
        request.file_names.extend(names)
        await self.ws.send(message.SerializeToString())
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            data = await asyncio.wait_for(self.ws.recv(), deadline - time.monotonic())
            forward = ForwardMsg()
            forward.ParseFromString(data)
            if forward.WhichOneof("type") == "file_urls_response" \
                    and forward.file_urls_response.response_id == request.request_id:
                return list(forward.file_urls_response.file_urls)
        raise ProtocolError("no upload URLs within the timeout")

    async def tick(self) -> list[Run]:
        """Run the page's timed fragments once each, as the browser does on their timers."""
        return [await self._rerun(page_hash=self.page_hash, fragment_id=fragment, timer=True)
                for fragment in list(self.timers)]

    async def click_label(self, label: str) -> Run:
        """Press the button with this label (a form's submit button has no key)."""
        element = next((e for e in self.of_kind("button") if e.proto.label == label), None)
        if element is None:
            raise KeyError(f"no button {label!r} on the page")
        trigger = WidgetState(id=element.proto.id, trigger_value=True)
        return await self._rerun(page_hash=self.page_hash, fragment_id=element.fragment_id,
                                 extra=[trigger])

    async def rerun(self) -> Run:
        """Rerun the whole page with the current widget values (the 'R' key)."""
        return await self._rerun(page_hash=self.page_hash)

    # -- what the page shows -----------------------------------------------------------------

    def widget(self, key: str) -> Element:
        for element in self.elements.values():
            if element.key == key:
                return element
        raise KeyError(f"no widget with key {key!r} on the page")

    def options(self, key: str) -> list[str]:
        """The option labels of a select slider, selectbox or radio, as the page shows them."""
        return list(self.widget(key).proto.options)

    def value(self, key: str):
        """A widget's value as this tab holds it (option widgets: the option's label)."""
        state = self.states.get(self.widget(key).proto.id)
        if state is None:
            raise KeyError(f"the widget {key!r} holds no value")
        kind = state.WhichOneof("value")
        if kind in ("double_array_value", "string_array_value"):
            return getattr(state, kind).data[0]
        return getattr(state, kind)

    def widget_keys(self) -> list[str]:
        return [e.key for e in self.ordered() if e.key]

    def ordered(self) -> list[Element]:
        return [self.elements[path] for path in sorted(self.elements)]

    def of_kind(self, kind: str) -> list[Element]:
        return [e for e in self.ordered() if e.kind == kind]

    def metric(self, label: str) -> str:
        for element in self.of_kind("metric"):
            if element.proto.label == label:
                return element.proto.body
        raise KeyError(f"no metric {label!r}")

    def texts(self, kind: str) -> list[str]:
        """The bodies of the page's alerts ("alert") or markdown and captions ("markdown")."""
        return [e.proto.body for e in self.of_kind(kind)]

    # -- the protocol ------------------------------------------------------------------------

    def _in_sidebar(self, widget_id: str) -> bool:
        return any(path[0] == 1 and getattr(e.proto, "id", None) == widget_id
                   for path, e in self.elements.items())

    async def _rerun(self, page_hash: str = "", page_name: str = "", fragment_id: str = "",
                     extra: list[WidgetState] = (), timer: bool = False) -> Run:
        if self.ws is None:
            raise ProtocolError("not connected")
        message = BackMsg()
        client = message.rerun_script
        client.query_string = self.query
        client.page_script_hash = page_hash
        client.page_name = page_name
        client.fragment_id = fragment_id
        client.is_auto_rerun = timer  # a timer's run of a fragment gone since is skipped
        client.widget_states.widgets.extend(list(self.states.values()) + list(extra))
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        run = Run()
        full_run = not fragment_id
        if full_run:
            seen: set[tuple] = set()
            self.timers.clear()  # the run registers its timed fragments anew
        else:
            self.elements = {p: e for p, e in self.elements.items()
                             if e.fragment_id != fragment_id}
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError(f"no end of the script run within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), left)
            except asyncio.TimeoutError:
                raise ProtocolError(f"no end of the script run within {self.timeout:.0f} s") \
                    from None
            except Exception as error:  # the connection closed or broke
                raise ProtocolError(f"websocket: {error!r}") from error
            if isinstance(data, str):
                raise ProtocolError("a text frame; Streamlit speaks binary protobuf")
            forward = ForwardMsg()
            forward.ParseFromString(data)
            run.messages += 1
            run.largest = max(run.largest, len(data))
            kind = forward.WhichOneof("type")
            if kind == "delta":
                self._on_delta(forward, run)
                if full_run:
                    seen.add(tuple(forward.metadata.delta_path))
            elif kind == "navigation":  # a full run (st.navigation) began, perhaps from a fragment
                self.timers.clear()  # its timed fragments register anew
                self.pages = {p.url_pathname: p.page_script_hash
                              for p in forward.navigation.app_pages}
                self.page_hash = forward.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = forward.page_info_changed.query_string
            elif kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id or self.session_id
            elif kind == "auto_rerun":
                self.timers[forward.auto_rerun.fragment_id] = forward.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for fragment in forward.stop_auto_rerun.fragment_ids:
                    self.timers.pop(fragment, None)
            elif kind == "page_not_found":
                run.page_not_found = True
            elif kind == "session_event":
                event = forward.session_event.WhichOneof("type")
                if event == "script_compilation_exception":
                    run.exceptions.append(str(forward.session_event.script_compilation_exception))
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # a callback asked for another run: the page is not idle yet
                run.status = FINISHED.get(status, f"status {status}")
                break
            elif kind == "ref_hash":
                raise ProtocolError("a cached-message reference; this client caches nothing")
        run.seconds = time.perf_counter() - started
        if full_run:
            # Elements not drawn in this run leave the screen, and their widgets' values too.
            self.elements = {p: e for p, e in self.elements.items() if p in seen}
            live = {getattr(e.proto, "id", None) for e in self.elements.values()}
            self.states = {wid: s for wid, s in self.states.items() if wid in live}
        if run.status == "compile_error":
            run.exceptions.append("the script did not compile")
        return run

    def _on_delta(self, forward: ForwardMsg, run: Run) -> None:
        delta = forward.delta
        path = tuple(forward.metadata.delta_path)
        if delta.WhichOneof("type") != "new_element":
            return
        kind = delta.new_element.WhichOneof("type")
        proto = getattr(delta.new_element, kind)
        # A new element replaces whatever was at its path and below it.
        for old in [p for p in self.elements if p[:len(path)] == path and p != path]:
            del self.elements[old]
        self.elements[path] = Element(kind, proto, delta.fragment_id)
        # As the frontend does: a widget takes the value the server sets, else keeps the one
        # this tab holds, else starts from its default.
        wid = getattr(proto, "id", None)
        if isinstance(wid, str) and (getattr(proto, "set_value", False)
                                     or wid not in self.states):
            state = shown_state(kind, proto)
            if state is not None:
                self.states[wid] = state
        if kind == "exception":
            run.exceptions.append(f"{proto.type}: {proto.message}")
        elif kind == "progress":
            run.progress = True


def put_file(base_url: str, session_id: str, file_id: str, name: str, data: bytes,
             timeout: float = 60.0) -> int:
    """PUT one file to Streamlit's upload endpoint as the frontend does (multipart, with the
    XSRF cookie (the health endpoint sets it) and header); the HTTP status. Blocking: use a
    thread."""
    import urllib.error
    import urllib.request

    check_loopback(base_url)
    with urllib.request.urlopen(base_url + "/_stcore/health", timeout=timeout) as response:
        cookie = next((c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []
                       if c.startswith("_streamlit_xsrf=")), "")
    token = cookie.partition("=")[2]
    boundary = f"----st{time.monotonic_ns()}"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{file_id}\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        f"{base_url}/_stcore/upload_file/{session_id}/{file_id}", data=body, method="PUT",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                 "X-Xsrftoken": token, "Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def widget_state(element: Element, value) -> WidgetState:
    """The WidgetState the frontend sends for `value` (options are matched by their label)."""
    proto, state = element.proto, WidgetState(id=element.proto.id)
    kind = element.kind
    if kind == "slider" and len(proto.options):
        values = value if isinstance(value, (list, tuple)) else [value]
        state.string_array_value.data.extend([_option(proto, v) for v in values])
    elif kind == "slider":
        values = value if isinstance(value, (list, tuple)) else [value]
        state.double_array_value.data.extend([float(v) for v in values])
    elif kind in ("selectbox", "radio"):
        state.string_value = _option(proto, value)
    elif kind == "number_input":
        state.double_value = float(value)
    elif kind == "checkbox":
        state.bool_value = bool(value)
    elif kind in ("text_input", "text_area"):
        state.string_value = str(value)
    else:
        raise ValueError(f"setting a {kind} is not supported")
    return state


def shown_state(kind: str, proto) -> WidgetState | None:
    """The WidgetState of a widget as the server draws it (its set value, else its default)."""
    state, use_value = WidgetState(id=proto.id), getattr(proto, "set_value", False)
    if kind == "slider" and len(proto.options):
        labels = (list(proto.raw_value) if use_value and len(proto.raw_value)
                  else [proto.options[int(i)] for i in proto.default])
        state.string_array_value.data.extend(labels)
    elif kind == "slider":
        state.double_array_value.data.extend(
            proto.value if use_value and len(proto.value) else proto.default)
    elif kind in ("selectbox", "radio"):
        if use_value and proto.raw_value:
            state.string_value = proto.raw_value
        elif proto.HasField("default") and 0 <= proto.default < len(proto.options):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "number_input":
        if use_value:
            state.double_value = proto.value
        elif proto.HasField("default"):
            state.double_value = proto.default
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = proto.value if use_value else proto.default
    else:
        return None  # buttons are triggers; uploads and charts hold no value here
    return state


def _option(proto, value) -> str:
    """The label of `value` among the widget's options: the label itself, or str(value)."""
    options = list(proto.options)
    for label in (value, str(value), f"{value:g}" if isinstance(value, float) else None):
        if label in options:
            return label
    raise ValueError(f"{value!r} is not one of {options}")
