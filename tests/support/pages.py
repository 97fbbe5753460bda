"""The pages the app registers (lib/ui/pages.py), in its order: name -> URL path ("" for the
default page)."""
from __future__ import annotations

from lib.ui import pages

PATHS = {page.name: page.url_path for page in pages.PAGES}
PAGES = list(PATHS)
