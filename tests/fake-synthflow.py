#!/usr/bin/env python3
# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
"""Fake of Synthflow's HTTP API for the shell integration tests.

Usage:
  fake-synthflow.py --port N [--port-file FILE] [--log FILE]
                    [--tls-cert CERT --tls-key KEY] [--slow-ms MS]

Binds 127.0.0.1 only.  --port 0 picks a free port; the real port is written
to --port-file (atomically) once the socket is listening.  Prints exactly one
line on stdout: "listening on 127.0.0.1:PORT".

API under test (the request the program sends and the replies it reads):
  POST /v2/prepare_inbound      recorded, then answered according to the mode

  GET  /v2/assistants/{id}      401 unless the key is --api-key (when given),
                                404 unless id is an --agent (when given)

Control endpoints (work in every mode):
  GET    /_requests             JSON array of recorded prepare_inbound requests
  DELETE /_requests             forget them (204)
  GET    /_stats                {"requests": N, "connections": M,
                                 "inbound_connections": K,
                                 "resumed_connections": R}
                                (R: TLS connections that resumed a session)
  PUT    /_mode/<mode>          set the mode (204; 400 for an unknown mode)
  GET    /_mode                 current mode as text/plain (no newline)
  PUT    /_delay/<ms>           set the delay of the "slow" mode, 0 to
                                60000 ms (204; 400 otherwise); it stays
                                until changed (--slow-ms, default 600)
  GET    /_delay                current delay in ms as text/plain
  POST   /_drop_connections     close every other open (idle keep-alive)
                                connection from the server side (204), to
                                test that the client survives a stale
                                connection

Each recorded request is an object:
  {"seq": n, "time": unix_seconds, "connection": conn_number,
   "method": "POST", "path": "/v2/prepare_inbound",
   "headers": {name as sent: value}, "headers_lower": {lower name: value},
   "body": raw body (UTF-8, invalid bytes replaced), "json": parsed or null}

Modes (for prepare_inbound only): ok hang drip reset reset_mid_body
500 502 503 504 401 429 nonjson huge failed noid id_semicolon id_lt id_amp
id_number array flaky503 echo_id close slow drop
("close" is an ok answer sent with "Connection: close", then the server
closes the connection.  "drop" reads the whole request, records it and
closes the connection (a FIN, no RST) without a byte of an answer.  "slow" waits the delay, 600 ms unless set with
/_delay or --slow-ms, then answers as "ok"; the request is recorded when it
arrives, before the wait.)

Python 3.11 standard library only.
"""

import argparse
import http.server
import json
import os
import secrets
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse

HOST = "127.0.0.1"
HANG_SECONDS = 30
SLOW_MS_DEFAULT = 600
SLOW_MS_MAX = 60000
HUGE_SIZE = 2 * 1024 * 1024
HUGE_CHUNK = 64 * 1024

MODES = (
    "ok", "hang", "drip", "reset", "reset_mid_body",
    "500", "502", "503", "504", "401", "429",
    "nonjson", "huge", "failed", "noid",
    "id_semicolon", "id_lt", "id_amp", "id_number", "array",
    "flaky503", "echo_id", "close", "slow", "drop",
)

ERROR_DETAIL = {
    401: "invalid or missing API key",
    429: "rate limit exceeded, slow down",
    500: "internal server error",
    502: "bad gateway: upstream unavailable",
    503: "service temporarily unavailable",
    504: "gateway timeout: upstream did not answer",
}

IGNORED_ERRORS = (BrokenPipeError, ConnectionResetError,
                  ConnectionAbortedError, TimeoutError, ssl.SSLError)


def new_id():
    return "sf-" + secrets.token_hex(8)


class State:
    """Everything shared between handler threads."""

    def __init__(self, log_path):
        self.lock = threading.Lock()
        self.mode = "ok"
        self.requests = []
        self.seq = 0
        self.connections = 0
        self.resumed = 0                # TLS connections with a resumed session
        self.flaky_count = 0
        self.slow_ms = SLOW_MS_DEFAULT  # the delay of the "slow" mode
        self.api_key = None             # --api-key: the only key accepted
        self.agents = set()             # --agent: the agents that exist
        self.open_conns = {}          # conn number -> socket
        self.log_file = None
        if log_path:
            self.log_file = open(log_path, "a", encoding="utf-8")

    def new_connection(self):
        with self.lock:
            self.connections += 1
            return self.connections

    def record(self, entry):
        with self.lock:
            self.seq += 1
            entry["seq"] = self.seq
            self.requests.append(entry)
            if self.log_file is not None:
                self.log_file.write(json.dumps(entry, ensure_ascii=False) + "\n")
                self.log_file.flush()
            return self.mode

    def flaky_next_is_error(self):
        with self.lock:
            self.flaky_count += 1
            return self.flaky_count % 2 == 1


def ok_object(call_id, req_json, call_status="registered", with_id=True,
              pad_to=1500):
    """A realistic ~1.5 KB answer of prepare_inbound."""
    rj = req_json if isinstance(req_json, dict) else {}
    now = time.time()
    obj = {"status": "ok", "call_status": call_status}
    if with_id:
        obj["synthflow_call_id"] = call_id
    obj["details"] = {
        "model_id": str(rj.get("model_id", "")),
        "workspace_id": str(rj.get("workspace_id", "")),
        "from_number": str(rj.get("from_number", "")),
        "to_number": str(rj.get("to_number", "")),
        "direction": "inbound",
        "agent": {
            "name": "Reception agent",
            "language": "en-US",
            "voice_id": "voice-7f3a2c",
            "llm": "gpt-4o",
            "max_duration_seconds": 1800,
            "interruptible": True,
        },
        "sip": {
            "host": "sip.synthflow.ai",
            "port": 32681,
            "transport": "udp",
            "x_ei_header": "X-EI",
        },
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                    time.gmtime(now + 300)),
        "custom_variables_count": len(rj.get("custom_variables") or {})
        if isinstance(rj.get("custom_variables"), dict) else 0,
        "request_id": "req-" + secrets.token_hex(12),
        "region": "eu-central-1",
        "api_version": "v2",
        "padding": "",
    }
    base = len(json.dumps(obj).encode())
    if pad_to > base:
        obj["details"]["padding"] = "x" * (pad_to - base)
    return obj


def encode(obj):
    return json.dumps(obj).encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSynthflow/1.0"
    sys_version = ""
    disable_nagle_algorithm = True

    # ---- connection life cycle -------------------------------------------

    def setup(self):
        self.state = self.server.state
        self.conn_no = self.state.new_connection()
        self.aborted = False
        ctx = self.server.ssl_context
        if ctx is not None:
            raw = self.request
            raw.settimeout(10)
            self.request = ctx.wrap_socket(raw, server_side=True)
            self.request.settimeout(None)
            if self.request.session_reused:
                with self.state.lock:
                    self.state.resumed += 1
        with self.state.lock:
            self.state.open_conns[self.conn_no] = self.request
        super().setup()

    def handle(self):
        try:
            super().handle()
        except IGNORED_ERRORS:
            self.close_connection = True
        except OSError:
            self.close_connection = True
        except ValueError:
            # I/O on the files closed by abort() (handle_one_request's final
            # flush); anything else is a real bug.
            if not self.aborted:
                raise

    def finish(self):
        with self.state.lock:
            self.state.open_conns.pop(self.conn_no, None)
        try:
            super().finish()
        except OSError:
            pass
        if not self.aborted:
            try:
                self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        try:
            self.connection.close()
        except OSError:
            pass

    def abort(self):
        """Close with SO_LINGER 0: the peer sees a TCP RST."""
        self.aborted = True
        self.close_connection = True
        sock = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
        except OSError:
            pass
        # Drop the makefile() references first, otherwise close() would not
        # really close the descriptor.
        for f in (self.rfile, self.wfile):
            try:
                f.close()
            except OSError:
                pass
        try:
            if isinstance(sock, ssl.SSLSocket):
                # Close the descriptor without a TLS close_notify.
                os.close(sock.detach())
            else:
                sock.close()
        except OSError:
            pass

    # ---- logging -----------------------------------------------------------

    def log_message(self, format, *args):
        pass

    def log_error(self, format, *args):
        sys.stderr.write("fake-synthflow: %s\n" % (format % args))
        sys.stderr.flush()

    # ---- helpers -----------------------------------------------------------

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ConnectionResetError("eof in chunked body")
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while True:           # trailers
                        t = self.rfile.readline(65537)
                        if not t or t in (b"\r\n", b"\n"):
                            break
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        n = self.headers.get("Content-Length")
        if n is None:
            return b""
        try:
            n = int(n)
        except ValueError:
            return b""
        data = self.rfile.read(n) if n > 0 else b""
        if len(data) != n:
            raise ConnectionResetError("eof in body")
        return data

    def start(self, code, ctype, length, extra=None):
        self.send_response(code)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def reply(self, code, body=b"", ctype="application/json", extra=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        if code in (204, 304):
            self.send_response(code)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            return
        self.start(code, ctype if body or ctype else None, len(body), extra)
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def path_only(self):
        return self.path.split("?", 1)[0]

    # ---- dispatch ----------------------------------------------------------

    def get_assistant(self, model_id):
        """GET /v2/assistants/{id}: 401 for a key other than --api-key,
        404 for an agent not named by --agent (any, without --agent)."""
        model_id = urllib.parse.unquote(model_id)
        st = self.state
        if st.api_key is not None and \
                self.headers.get("Authorization") != "Bearer " + st.api_key:
            return self.reply(401, encode({"status": "error",
                                           "detail": "invalid api key"}))
        if st.agents and model_id not in st.agents:
            return self.reply(404, encode({"status": "error",
                                           "detail": "agent not found"}))
        return self.reply(200, encode({"status": "ok", "response": {
            "assistants": [{"type": "inbound", "name": "Test agent",
                            "model_id": model_id}]}}))

    def dispatch(self):
        path = self.path_only()
        m = self.command
        body = b""
        if m in ("POST", "PUT", "DELETE", "PATCH") or \
                self.headers.get("Content-Length") or \
                self.headers.get("Transfer-Encoding"):
            body = self.read_body()

        if path.startswith("/v2/assistants/") and m == "GET":
            return self.get_assistant(path[len("/v2/assistants/"):])
        if path == "/v2/prepare_inbound":
            if m != "POST":
                return self.reply(405, encode({"status": "error",
                                               "detail": "method not allowed"}),
                                  extra={"Allow": "POST"})
            return self.prepare_inbound(body)
        if path == "/_requests":
            if m == "GET":
                with self.state.lock:
                    data = encode(self.state.requests)
                return self.reply(200, data)
            if m == "DELETE":
                with self.state.lock:
                    self.state.requests = []
                return self.reply(204)
            return self.reply(405, encode({"status": "error",
                                           "detail": "method not allowed"}))
        if path == "/_stats" and m == "GET":
            with self.state.lock:
                data = encode({
                    "requests": len(self.state.requests),
                    "connections": self.state.connections,
                    "inbound_connections":
                        len({r["connection"] for r in self.state.requests}),
                    "resumed_connections": self.state.resumed,
                })
            return self.reply(200, data)
        if path == "/_mode" and m == "GET":
            with self.state.lock:
                mode = self.state.mode
            return self.reply(200, mode, "text/plain; charset=utf-8")
        if path == "/_delay" and m == "GET":
            with self.state.lock:
                ms = self.state.slow_ms
            return self.reply(200, str(ms), "text/plain; charset=utf-8")
        if path.startswith("/_delay/") and m in ("PUT", "POST"):
            arg = path[len("/_delay/"):]
            if not arg.isdigit() or not 0 <= int(arg) <= SLOW_MS_MAX:
                return self.reply(400, encode({"status": "error",
                                               "detail": "bad delay",
                                               "max_ms": SLOW_MS_MAX}))
            with self.state.lock:
                self.state.slow_ms = int(arg)
            return self.reply(204)
        if path.startswith("/_mode/") and m in ("PUT", "POST"):
            mode = path[len("/_mode/"):]
            if mode not in MODES:
                return self.reply(400, encode({"status": "error",
                                               "detail": "unknown mode",
                                               "modes": list(MODES)}))
            with self.state.lock:
                self.state.mode = mode
                self.state.flaky_count = 0
            return self.reply(204)
        if path == "/_drop_connections" and m == "POST":
            with self.state.lock:
                others = [s for n, s in self.state.open_conns.items()
                          if n != self.conn_no]
            for s in others:
                try:
                    # Plain socket shutdown, also under an SSLSocket (its own
                    # shutdown() would drop the TLS object under the reader).
                    socket.socket.shutdown(s, socket.SHUT_RDWR)
                except OSError:
                    pass
            return self.reply(204)
        return self.reply(404, encode({"status": "error",
                                       "detail": "not found"}))

    do_GET = dispatch
    do_POST = dispatch
    do_PUT = dispatch
    do_DELETE = dispatch
    do_PATCH = dispatch
    do_HEAD = dispatch
    do_OPTIONS = dispatch

    # ---- the API -----------------------------------------------------------

    def prepare_inbound(self, body):
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            parsed = None
        headers = {}
        headers_lower = {}
        for k, v in self.headers.items():
            headers[k] = headers[k] + ", " + v if k in headers else v
            lk = k.lower()
            headers_lower[lk] = (headers_lower[lk] + ", " + v
                                 if lk in headers_lower else v)
        entry = {
            "time": round(time.time(), 3),
            "connection": self.conn_no,
            "method": self.command,
            "path": self.path,
            "headers": headers,
            "headers_lower": headers_lower,
            "body": body.decode("utf-8", errors="replace"),
            "json": parsed,
        }
        mode = self.state.record(entry)
        if mode == "flaky503":
            mode = "503" if self.state.flaky_next_is_error() else "ok"

        if mode == "slow":
            with self.state.lock:
                delay = self.state.slow_ms
            time.sleep(delay / 1000.0)
            mode = "ok"
        if mode == "hang":
            self.close_connection = True
            time.sleep(HANG_SECONDS)
            return
        if mode == "reset":
            return self.abort()
        if mode == "drop":
            self.close_connection = True
            return
        if mode in ("500", "502", "503", "504", "401", "429"):
            code = int(mode)
            return self.reply(code, encode({"status": "error",
                                            "detail": ERROR_DETAIL[code]}))
        if mode == "nonjson":
            return self.reply(200, "<html>oops</html>", "text/html")
        if mode == "array":
            return self.reply(200, b"[]")
        if mode == "huge":
            return self.send_huge(parsed)

        call_id = new_id()
        status = "registered"
        with_id = True
        if mode == "failed":
            status = "failed"
        elif mode == "noid":
            with_id = False
        elif mode == "id_semicolon":
            call_id = "abc;def"
        elif mode == "id_lt":
            call_id = "abc<def"
        elif mode == "id_amp":
            call_id = "abc&def"
        elif mode == "id_number":
            call_id = 12345
        elif mode == "echo_id":
            to = ""
            if isinstance(parsed, dict):
                to = str(parsed.get("to_number", ""))
            call_id = "sf-" + "".join(c for c in to if "0" <= c <= "9")
        data = encode(ok_object(call_id, parsed, status, with_id))

        if mode == "drip":
            self.start(200, "application/json", len(data))
            self.wfile.flush()
            for i in range(len(data)):
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                if i + 1 < len(data):
                    time.sleep(1)
            return
        if mode == "reset_mid_body":
            self.start(200, "application/json", len(data))
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            time.sleep(0.05)
            return self.abort()
        if mode == "close":
            self.close_connection = True
        return self.reply(200, data)

    def send_huge(self, parsed):
        obj = ok_object(new_id(), parsed, pad_to=0)
        obj["details"]["padding"] = ""
        base = len(encode(obj))
        obj["details"]["padding"] = "x" * (HUGE_SIZE - base)
        data = encode(obj)
        self.start(200, "application/json", len(data))
        try:
            for off in range(0, len(data), HUGE_CHUNK):
                self.wfile.write(data[off:off + HUGE_CHUNK])
            self.wfile.flush()
        except IGNORED_ERRORS:
            self.close_connection = True
        except OSError:
            self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def server_bind(self):
        # Skip HTTPServer.server_bind: its socket.getfqdn() may ask DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port

    def shutdown_request(self, request):
        # The handler closes its own (possibly TLS-wrapped) socket in
        # finish(); this only releases the accepted socket object.
        try:
            request.close()
        except OSError:
            pass

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (OSError, ssl.SSLError)):
            return
        sys.stderr.write("fake-synthflow: error on connection from %s: %r\n"
                         % (client_address, exc))
        sys.stderr.flush()


def main():
    ap = argparse.ArgumentParser(description="Fake Synthflow API (loopback)")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--api-key", help="GET /v2/assistants accepts only this")
    ap.add_argument("--agent", action="append", default=[],
                    help="an agent GET /v2/assistants knows (repeatable)")
    ap.add_argument("--slow-ms", type=int, default=SLOW_MS_DEFAULT,
                    help="delay of the slow mode in ms (default %(default)s)")
    args = ap.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        ap.error("--tls-cert and --tls-key go together")
    if not 0 <= args.slow_ms <= SLOW_MS_MAX:
        ap.error("--slow-ms must be 0 to %d" % SLOW_MS_MAX)

    def die(signum, frame):
        os._exit(0)

    signal.signal(signal.SIGTERM, die)
    signal.signal(signal.SIGINT, die)

    ctx = None
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)

    server = Server((HOST, args.port), Handler)
    server.state = State(args.log)
    server.state.api_key = args.api_key
    server.state.agents = set(args.agent)
    server.state.slow_ms = args.slow_ms
    server.ssl_context = ctx
    port = server.server_address[1]

    if args.port_file:
        tmp = "%s.tmp.%d" % (args.port_file, os.getpid())
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    sys.stdout.write("listening on %s:%d\n" % (HOST, port))
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
