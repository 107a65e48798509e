"""The server's pages in a real headless Chromium (Debian's), driven by Playwright.

Playwright's own browser download is never used (``playwright install`` is not run): the
tests launch /usr/bin/chromium, which .ci/services.sh installs, and skip only without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import sync_playwright

from zjkg.server import make_server

if TYPE_CHECKING:
    from zjkg.server.app import ZjkgServer

CHROMIUM = os.environ.get("ZJKG_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).is_file():
    pytest.skip(f"no Chromium at {CHROMIUM}: .ci/services.sh installs Debian's chromium",
                allow_module_level=True)


@pytest.fixture(scope="module")
def server() -> Iterator[ZjkgServer]:
    instance = make_server(port=0, workers=1)
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium with a new, empty profile, its network flags off."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield context
        context.close()


@pytest.fixture
def page(browser: Any, server: ZjkgServer) -> Iterator[Any]:
    tab = browser.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    yield tab
    tab.close()
    outside = [url for url in requests if not url.startswith(server.url)]
    assert not outside, f"the page asked for something off this server: {outside}"


def test_query_page_runs_a_query_and_shows_a_table(page: Any, server: ZjkgServer) -> None:
    page.goto(server.url + "/query")
    editor = page.locator("#query")
    before = editor.input_value()
    page.select_option("#examples", "programs-in-place")
    chosen = editor.input_value()
    assert chosen != before and "dcterms:spatial" in chosen  # the script filled the editor
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert page.locator("#results thead th").first.inner_text() == "program"
    assert page.locator("#results tbody tr").count() > 0
    assert page.locator("#query").input_value().strip() == chosen.strip()


def test_ctrl_enter_runs_a_typed_query(page: Any, server: ZjkgServer) -> None:
    page.goto(server.url + "/query")
    page.fill("#query", "PREFIX schema: <https://schema.org/>\n"
                        "SELECT ?place WHERE { ?place a schema:Place } ORDER BY ?place LIMIT 3")
    page.focus("#query")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results tbody tr")
    assert page.locator("#results tbody tr").count() == 3


def test_entity_page_and_following_a_link(page: Any, server: ZjkgServer) -> None:
    page.goto(server.url + "/place/hangzhou")
    assert page.locator("h1").inner_text() == "Hangzhou"
    assert "IRI mapping" in page.locator("footer").inner_text()
    page.click("text=Zhejiang Province")
    page.wait_for_url(server.url + "/place/zhejiang")
    assert page.locator("h1").inner_text() == "Zhejiang Province"
    page.locator("#facts a", has_text="in the text").first.click()
    page.wait_for_url("**/report/zhejiang-2021/text#char=*")
    fragment = page.url.split("#", 1)[1]
    assert page.locator(f'[id="{fragment}"] blockquote').count() == 1


def test_ontology_documentation_opens(page: Any, server: ZjkgServer) -> None:
    page.goto(server.url + "/ontology#Quote")
    assert page.locator("#Quote h3").inner_text().startswith("quote")
