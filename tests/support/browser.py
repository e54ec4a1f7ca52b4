"""A real headless Chromium for page tests: Debian's ``chromium`` package (``/usr/bin/chromium``, or
``$GCM_CHROMIUM``) driven by Playwright's Python API through ``executable_path``.

Never ``playwright install``: it downloads a browser build, which CI neither needs nor can do. Playwright only
talks the DevTools protocol to the browser we give it. Each launch gets a fresh profile folder (Playwright's
persistent context over a new temporary ``user-data-dir``) and the flags below, which keep Chromium from
reaching the network on its own (updates, sync, QUIC probes).

A missing browser or library is a test *failure* with the command that fixes it, not a skip: CI must not
silently stop testing the pages.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GCM_CHROMIUM", "/usr/bin/chromium")
ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
)


def chromium_path() -> str:
    path = Path(CHROMIUM)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"the page tests need Chromium at {CHROMIUM} (Debian: apt-get update && apt-get install -y "
                    "chromium; or point GCM_CHROMIUM at another Chromium binary)", pytrace=False)
    return str(path)


def _playwright():  # noqa: ANN202
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the page tests need the Python package playwright (pip install 'playwright==1.65.2'); it drives "
                    f"the system Chromium at {CHROMIUM}: do NOT run 'playwright install'", pytrace=False)
    return sync_playwright


@dataclass
class Console:
    """Everything a page reported: console messages, uncaught errors, failed requests, and every URL it asked
    for (to prove that the pages need nothing from another origin)."""

    messages: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def errors(self) -> list[str]:
        return [f"console.{kind}: {text}" for kind, text in self.messages if kind == "error"] + \
            [f"uncaught: {e}" for e in self.page_errors] + [f"request failed: {u}" for u in self.failed]

    def clear(self) -> None:
        self.messages.clear()
        self.page_errors.clear()
        self.failed.clear()
        self.requests.clear()


@dataclass
class Browser:
    context: object  # playwright BrowserContext
    console: Console
    version: str

    def page(self, width: int = 1280, height: int = 900):  # noqa: ANN201
        """A new tab of the given viewport size whose messages go to :attr:`console`."""
        page = self.context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.on("console", lambda m: self.console.messages.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.console.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.console.failed.append(f"{r.url} ({r.failure})"))
        page.on("request", lambda r: self.console.requests.append(r.url))
        return page


@contextlib.contextmanager
def chromium(timeout_ms: float = 20_000) -> Iterator[Browser]:
    """Start Chromium headless with a fresh profile; closed and the profile removed on exit."""
    executable = chromium_path()
    sync_playwright = _playwright()
    profile = tempfile.mkdtemp(prefix="gcm-graph-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=executable, headless=True, args=list(ARGS), chromium_sandbox=False,
                accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="en-GB",
                timezone_id="UTC")
            context.set_default_timeout(timeout_ms)
            try:
                version = context.browser.version if context.browser else "?"
                yield Browser(context, Console(), version)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
