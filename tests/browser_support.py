"""Headless Debian chromium for the browser tests, launched one way everywhere.

WHY Debian's chromium and never a browser Playwright downloads: CI machines reach Debian's
archive, not Playwright's CDN, and the package is what `scripts/install-system-deps` installs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium() -> Iterator[object]:
    """Yield a Playwright browser on Debian chromium (a generator for module fixtures)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("Debian chromium is missing: run `bash scripts/install-system-deps`")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def open_page(
    browser: object,
    base_url: str,
    *,
    width: int,
    timeout_ms: int,
    console_errors: bool = False,
) -> Iterator[object]:
    """Yield a page in a fresh context (a generator for fixtures). ``page.errors`` collects the
    page's uncaught script errors, and its console errors too when ``console_errors``."""
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=base_url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if console_errors:
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    try:
        yield page
    finally:
        context.close()
