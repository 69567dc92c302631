"""A journey's browser reaches the company's allow-listed hosts and nothing else, in a real
Chromium: a host by name or by address, listed or not, and nothing is sent to one that is not."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from journeys.channels.base import allow_list_proxy


class _Server(http.server.ThreadingHTTPServer):
    hosts_seen: list[str]


class _Page(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.hosts_seen.append(self.headers.get("Host", ""))
        body = b"<html><body>the company</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def company_site() -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Page)
    server.hosts_seen = []
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    yield server
    server.shutdown()
    server.server_close()


FETCH = "url => fetch(url).then(answer => String(answer.status), error => 'blocked')"


@pytest.mark.parametrize(("allowed", "refused"), [("localhost", "127.0.0.1"), ("127.0.0.1", "localhost")])
def test_only_the_listed_host_is_reached(
    browser: Browser, company_site: _Server, allowed: str, refused: str
) -> None:
    port = company_site.server_address[1]
    context = browser.new_context(proxy=allow_list_proxy([allowed]))  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(f"http://{allowed}:{port}/")
        assert page.inner_text("body") == "the company"
        assert page.evaluate(FETCH, f"http://{allowed}:{port}/again") == "200"
        assert page.evaluate(FETCH, f"http://{refused}:{port}/") == "blocked"
        assert page.evaluate(FETCH, "http://shop.example/") == "blocked"
        with pytest.raises(Exception, match="ERR_PROXY_CONNECTION_FAILED"):
            page.goto(f"http://{refused}:{port}/")
    finally:
        context.close()
    assert set(company_site.hosts_seen) == {f"{allowed}:{port}"}  # (and its favicon): nothing else


def test_an_ipv6_address_is_listed_in_brackets() -> None:
    assert allow_list_proxy(["::1", "shop.example"])["bypass"] == "<-loopback>,[::1],shop.example"
