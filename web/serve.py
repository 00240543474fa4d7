"""Serve the chat page: the files in web/, the rasa-webchat bundle and a config.js naming the Rasa server.

Why not `python -m http.server`: the widget bundle lives in node_modules and imports Google Fonts
(removed here, so the page never reaches the internet), the page must learn where Rasa runs
(RASA_URL, or RASA_PORT on the page's own host), and every response carries a Content-Security-Policy
so nothing inside a chat message can run script or load a remote image.

It also serves the charts and summaries the assistant made for a conversation, at
`/files/<owner>/<file id>.<ext>` (stores/files.py): from the page's own origin, so the CSP keeps
`img-src 'self'`; unknown, foreign or expired links answer 404; these paths are never logged.

Run from anywhere: `python web/serve.py` (WEB_PORT, default 8080; WEB_HOST, default 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import re
import sys
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

WEB_DIR = Path(__file__).resolve().parent
REPO = WEB_DIR.parent
if str(REPO) not in sys.path:  # `python web/serve.py` puts only web/ on the path
    sys.path.insert(0, str(REPO))

from stores.files import ROUTE as FILES_ROUTE, FileStore  # noqa: E402
WIDGET_BUNDLE = REPO / "node_modules" / "rasa-webchat" / "lib" / "index.js"
WIDGET_PATH = "/vendor/rasa-webchat.js"
CONFIG_PATH = "/config.js"
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
# The bundle's stylesheets start with `@import url(https://fonts.googleapis.com/...)`; our CSS
# sets a system font stack instead.
REMOTE_CSS_IMPORT = re.compile(rb"@import url\(https?://[^)]*\);")
HOSTNAME = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])$")


def load_widget_bundle(path: Path = WIDGET_BUNDLE) -> bytes:
    """The widget's standalone bundle without its remote font imports (fails loudly if it changed)."""
    if not path.is_file():
        sys.exit(f"{path} is missing: run `npm ci` in {REPO} (make run does it for you).")
    bundle = REMOTE_CSS_IMPORT.sub(b"", path.read_bytes())
    if b"fonts.googleapis.com" in bundle:
        sys.exit(f"{path} still refers to fonts.googleapis.com after patching; update web/serve.py.")
    return bundle


def socket_origin(rasa_url: Optional[str], rasa_port: str, page_host: str) -> str:
    """Where the widget connects: RASA_URL if set, else RASA_PORT on the host the page came from."""
    if rasa_url:
        parts = urlsplit(rasa_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"RASA_URL must look like http(s)://host[:port], got {rasa_url!r}")
        return f"{parts.scheme}://{parts.netloc}"
    hostname = page_host.rsplit(":", 1)[0] if not page_host.endswith("]") else page_host
    if not HOSTNAME.match(hostname):
        hostname = "localhost"
    return f"http://{hostname}:{int(rasa_port)}"


def content_security_policy(rasa_origin: str) -> str:
    """Only our own files run; the socket may reach Rasa (HTTP long-polling and WebSocket)."""
    websocket_origin = "ws" + rasa_origin[len("http"):]
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            # The widget injects its stylesheets as <style> elements and sets inline sizes.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {rasa_origin} {websocket_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


class ChatPageHandler(BaseHTTPRequestHandler):
    """GET-only handler for the page, its config and the widget bundle."""

    server_version = "InterdependenceCoachWeb"
    sys_version = ""

    def __init__(self, *args, bundle: bytes, rasa_url: Optional[str], rasa_port: str, files: FileStore, **kwargs) -> None:
        self.bundle, self.rasa_url, self.rasa_port, self.files = bundle, rasa_url, rasa_port, files
        super().__init__(*args, **kwargs)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self.do_GET(head_only=True)

    def do_GET(self, head_only: bool = False) -> None:  # noqa: N802
        rasa_origin = socket_origin(self.rasa_url, self.rasa_port, self.headers.get("Host", "localhost"))
        path = urlsplit(self.path).path
        if path == CONFIG_PATH:
            config = {"socketUrl": rasa_origin, "socketPath": "/socket.io/"}
            body = f"window.COACH_CONFIG = {json.dumps(config)};\n".encode()
            self._send(HTTPStatus.OK, STATIC_TYPES[".js"], body, rasa_origin, head_only)
        elif path == WIDGET_PATH:
            self._send(HTTPStatus.OK, STATIC_TYPES[".js"], self.bundle, rasa_origin, head_only)
        elif path.startswith(FILES_ROUTE):
            self._send_file(path, rasa_origin, head_only)
        else:
            file = self._static_file(path)
            if file is None:
                self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n", rasa_origin, head_only)
            else:
                self._send(HTTPStatus.OK, STATIC_TYPES[file.suffix], file.read_bytes(), rasa_origin, head_only)

    def _send_file(self, path: str, rasa_origin: str, head_only: bool) -> None:
        """A chart or summary of a conversation, while it lasts; never cached, PDFs downloaded."""
        found = self.files.find(path)
        if found is None:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n", rasa_origin, head_only)
            return
        stored, data = found
        disposition = "inline" if stored.content_type == "image/png" else "attachment"
        extra = {"Content-Disposition": f'{disposition}; filename="{stored.name}"', "Cache-Control": "no-store"}
        self._send(HTTPStatus.OK, stored.content_type, data, rasa_origin, head_only, extra)

    def _static_file(self, path: str) -> Optional[Path]:
        """A page asset inside web/ (never this script, never outside the folder)."""
        relative = "index.html" if path in ("", "/") else path.lstrip("/")
        candidate = (WEB_DIR / relative).resolve()
        inside = candidate.is_relative_to(WEB_DIR)
        if inside and candidate.is_file() and candidate.suffix in STATIC_TYPES:
            return candidate
        return None

    def _send(
        self, status: HTTPStatus, content_type: str, body: bytes, rasa_origin: str, head_only: bool,
        extra: Optional[dict[str, str]] = None,
    ) -> None:
        headers = {
            "Content-Type": content_type,
            "Content-Length": str(len(body)),
            "Content-Security-Policy": content_security_policy(rasa_origin),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache",
            **(extra or {}),
        }
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Only failed requests reach the log; successful ones would drown out the Rasa output.

        File links are never logged, not even when they fail: a link is as good as the file.
        """
        if isinstance(code, int) and code >= 400 and not urlsplit(self.path).path.startswith(FILES_ROUTE):
            super().log_request(code, size)


def create_server(host: str, port: int, rasa_url: Optional[str], rasa_port: str) -> ThreadingHTTPServer:
    """A ready-to-serve HTTP server for the chat page."""
    if rasa_url:
        socket_origin(rasa_url, rasa_port, "localhost")  # reject a malformed RASA_URL at start-up
    handler = partial(
        ChatPageHandler, bundle=load_widget_bundle(), rasa_url=rasa_url, rasa_port=rasa_port, files=FileStore()
    )
    return ThreadingHTTPServer((host, port), handler)


def main() -> None:
    host = os.environ.get("WEB_HOST", "127.0.0.1")
    port = int(os.environ.get("WEB_PORT", "8080"))
    server = create_server(host, port, os.environ.get("RASA_URL") or None, os.environ.get("RASA_PORT", "5005"))
    print(f"Chat page served on http://{host}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
