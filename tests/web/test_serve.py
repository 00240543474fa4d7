"""web/serve.py without a browser: what it serves, what it refuses, and the headers that keep
message content from running or reaching the internet."""

from __future__ import annotations

from typing import Iterator

import pytest
import requests

from tests.servers import free_port
from tests.web.chat_site import serve_chat_page
from web.serve import socket_origin

RASA_URL = "http://rasa.example.test:5005"


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    with serve_chat_page(RASA_URL, free_port()) as url:
        yield url


def test_config_points_the_widget_at_rasa_url(page_url: str) -> None:
    config = requests.get(f"{page_url}config.js", timeout=10)
    assert config.ok
    assert '"socketUrl": "http://rasa.example.test:5005"' in config.text


def test_widget_bundle_is_served_without_remote_fonts(page_url: str) -> None:
    bundle = requests.get(f"{page_url}vendor/rasa-webchat.js", timeout=10)
    assert bundle.ok and bundle.headers["Content-Type"].startswith("text/javascript")
    assert "WebChat" in bundle.text[:1000]
    assert "fonts.googleapis.com" not in bundle.text


def test_every_response_carries_a_strict_content_security_policy(page_url: str) -> None:
    policy = requests.get(page_url, timeout=10).headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "img-src 'self' data:;" in policy
    assert "connect-src 'self' http://rasa.example.test:5005 ws://rasa.example.test:5005;" in policy


@pytest.mark.parametrize("path", ["serve.py", "../Makefile", "%2e%2e/Makefile", "../node_modules/rasa-webchat/package.json"])
def test_only_page_assets_are_served(page_url: str, path: str) -> None:
    assert requests.get(f"{page_url}{path}", timeout=10).status_code == 404


def test_without_rasa_url_the_socket_uses_the_page_host() -> None:
    assert socket_origin(None, "5005", "192.168.1.20:8080") == "http://192.168.1.20:5005"
    assert socket_origin(None, "5005", "evil.test\r\nX: y") == "http://localhost:5005"
    assert socket_origin("https://bot.example.org/", "5005", "localhost:8080") == "https://bot.example.org"
    with pytest.raises(ValueError):
        socket_origin("javascript:alert(1)", "5005", "localhost")
