"""What the tests share: AppTest runs of a page (apptest), the real app in headless Chromium
(browser), the pages the app registers (pages). tests/conftest.py turns these into fixtures and
re-exports the helpers, so a test imports them from `conftest` or from here, never from another
test file."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
