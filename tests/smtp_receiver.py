"""A tiny SMTP server for tests (the stdlib smtpd is deprecated): accepts mail on a local port and keeps it."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes
from email.message import Message


class SmtpReceiver:
    """Speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, QUIT) to receive messages from smtplib."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.messages: list[Message] = []
        self.received = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> SmtpReceiver:
        """Accept connections in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self._listener.close()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with connection, connection.makefile("rb") as reader:
                self._session(connection, reader)

    def _session(self, connection: socket.socket, reader) -> None:
        connection.sendall(b"220 test SMTP\r\n")
        for line in reader:
            command = line.strip().upper()
            if command == b"DATA":
                connection.sendall(b"354 end with .\r\n")
                body = []
                for data_line in reader:
                    if data_line.rstrip(b"\r\n") == b".":
                        break
                    body.append(data_line)
                self.messages.append(message_from_bytes(b"".join(body)))
                self.received.set()
                connection.sendall(b"250 queued\r\n")
            elif command == b"QUIT":
                connection.sendall(b"221 bye\r\n")
                return
            else:
                connection.sendall(b"250 ok\r\n")
