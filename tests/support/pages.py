"""The pages app.py registers, in its order: view name -> URL path ("" for the default page)."""
from __future__ import annotations

import re

from . import ROOT


def registered() -> dict[str, str]:
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    pages = {}
    for view, rest in re.findall(r"""st\.Page\(\s*["']views/([\w/]+)\.py["']([^\n]*)""", source):
        path = re.search(r"""url_path=["']([^"']*)["']""", rest)
        pages[view] = "" if "default=True" in rest else (path.group(1) if path else view)
    return pages


PATHS = registered()
PAGES = list(PATHS)
