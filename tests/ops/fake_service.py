"""A stand-in for one of the service's processes in the supervisor tests (`python -m tests.ops.fake_service`).

It records each start (pid and time) in a file, answers GET with 200 on 127.0.0.1:PORT (no port: serves nothing),
takes --stop-delay seconds to stop on SIGTERM, and exits with code 3 after --lifetime seconds if given.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Healthy(BaseHTTPRequestHandler):
    """Answers every GET with an empty 200."""

    def do_GET(self) -> None:
        """200, no body."""
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        """Silent."""


def main() -> None:
    """Run until SIGTERM (slowly, if asked) or the end of the lifetime."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stop-delay", type=float, default=0.0)
    parser.add_argument("--lifetime", type=float, default=0.0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: (time.sleep(args.stop_delay), sys.exit(0)))
    if args.port:
        server = ThreadingHTTPServer(("127.0.0.1", args.port), Healthy)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    with args.starts.open("a") as starts:
        starts.write(f"{os.getpid()} {time.time()}\n")
    if args.lifetime:
        time.sleep(args.lifetime)
        sys.exit(3)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
