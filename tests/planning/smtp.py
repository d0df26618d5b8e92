"""A tiny real SMTP server on loopback that records each message the moment it is accepted,
and can hold a message mid-send (before its "250 OK") so a test can kill the sender then."""

import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class MailServer:
    delivered: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        server = self

        class Session(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())

            def handle(self) -> None:
                self.reply("220 masthead-test ESMTP")
                while line := self.rfile.readline():
                    command = line.decode(errors="replace").strip().upper()
                    if command.startswith(("EHLO", "HELO")):
                        self.reply("250 masthead-test")
                    elif command == "DATA":
                        self.reply("354 go ahead")
                        message = self.read_message()
                        if not server.release.is_set():
                            server.held.append(message)
                            server.release.wait(timeout=60)
                            return  # the sender was killed (or gave up) before any reply
                        server.delivered.append(message)
                        self.reply("250 queued")
                    elif command == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 ok")

            def read_message(self) -> str:
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(line.decode(errors="replace"))
                return "".join(lines)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def __enter__(self) -> "MailServer":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
