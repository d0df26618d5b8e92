"""A reverse proxy in its own process, doing what deploy/nginx.conf does: pass the request on with
the client's Host and set X-Forwarded-For to the address of the peer that connected to it.

    python -m tests.security.forwarding_proxy <listen-port> <upstream-url>
"""

import http.client
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"}


def handler_for(upstream: str):
    target = urlsplit(upstream)

    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers = {k: v for k, v in headers.items() if k.lower() != "x-forwarded-for"}
            headers["X-Forwarded-For"] = self.client_address[0]  # nginx: $remote_addr
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
                self.send_response(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP | {"content-length"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            finally:
                connection.close()

        do_GET = do_POST = do_HEAD = forward

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            sys.stderr.write(f"{self.client_address[0]} {format % args}\n")

    return Forward


if __name__ == "__main__":
    port, upstream = int(sys.argv[1]), sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", port), handler_for(upstream)).serve_forever()
