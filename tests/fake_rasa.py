"""A stand-in for Rasa's REST channel: records every message and answers with its own name."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeRasa:
    """A REST channel on a free local port that records what it received and answers with its own name."""

    def __init__(self, name: str) -> None:
        self.name, self.received = name, []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                body = json.dumps([{"recipient_id": "x", "text": fake.name}]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
