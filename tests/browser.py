"""Real-browser tests: Playwright (from PyPI) driving Debian's chromium.

`playwright install` cannot download browsers here, so Playwright launches the system
chromium (`make browser` / scripts/install-browser.sh installs it with a CJK font; without
one, Chinese renders as boxes). Generic: nothing here knows about any page of the project.

    with launch_browser() as browser:
        page = new_page(browser)
        ...
        screenshot(page, "something.png")   # var/results/something.png
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "var" / "results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The system chromium (`CHROMIUM` overrides), or None."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def has_cjk_font() -> bool:
    try:
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(fonts.strip())


@contextlib.contextmanager
def launch_browser(headless: bool = True) -> Iterator[playwright.sync_api.Browser]:  # noqa: F821
    """A headless chromium for the duration of the block."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if not executable:
        raise RuntimeError("No chromium: run `make browser` (scripts/install-browser.sh).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=headless, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int = 420, height: int = 780, locale: str = "zh-CN", **context_options):
    """A page in a fresh context (own localStorage and cookies), phone-sized by default."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale=locale, **context_options
    )
    return context.new_page()


def screenshot(page, name: str, **options) -> Path:
    """Saves a screenshot under var/results/ (git-ignored) and returns its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    page.screenshot(path=str(path), **options)
    return path
