# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
"""A fake Synthflow over TLS 1.3 (HTTP/1.1) that holds each handshake open.

After its flight (ServerHello to Finished) it waits --hold seconds before
it reads the client's Finished, so the new session tickets a connection
brings come that much after the client saw its handshake done. For that
long a client that spent its cached session on this connection has no
other to resume with. Every prepare_inbound is answered as registered; an
idle connection is closed after --idle seconds, without a TLS shutdown,
as nginx's idle timeout does. With --notify it sends a close_notify
first and keeps reading for 3 seconds, as a server that shuts TLS down
and waits for the peer's own alert does: a request sent after its alert
is logged, unanswered, as "N late". One line per connection goes to
--log: "N resumed" or "N full".
"""
import argparse
import os
import socket
import ssl
import threading
import time

REPLY = b'{"status":"ok","call_status":"registered","synthflow_call_id":"sf-hold"}'


def feed(conn, inc):
    """Hand conn's next bytes to the TLS object; False once conn ends."""
    try:
        chunk = conn.recv(65536)
    except socket.timeout:
        return False
    inc.write(chunk)
    return bool(chunk)


def handshake(conn, tls, inc, out, hold):
    """Drive tls's handshake over conn, holding after the server's flight."""
    held = False
    while True:
        try:
            tls.do_handshake()
            conn.sendall(out.read())    # the tickets
            return True
        except ssl.SSLWantReadError:
            data = out.read()
            if data:
                conn.sendall(data)
                if not held:
                    held = True
                    time.sleep(hold)
            if not feed(conn, inc):
                return False


def read_request(conn, tls, inc, idle):
    """One request's bytes, or None when the client or the idle time ends."""
    data = b""
    conn.settimeout(idle)
    while True:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if sep:
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(rest) >= length:
                return data
        try:
            data += tls.read(65536)
            continue
        except ssl.SSLWantReadError:
            pass
        except ssl.SSLError:
            return None
        if not feed(conn, inc):
            return None


def shut_down(conn, tls, inc, out):
    """Send a close_notify; then whether the peer still sent a request."""
    try:
        tls.unwrap()
    except ssl.SSLWantReadError:
        pass
    conn.sendall(out.read())
    conn.settimeout(3.0)
    while True:
        try:
            if tls.read(65536):
                return True
        except ssl.SSLWantReadError:
            pass
        except ssl.SSLZeroReturnError:     # the peer's close_notify
            return False
        if not feed(conn, inc):
            return False


def log_line(log, lock, line):
    with lock:
        log.write(line + "\n")
        log.flush()


def serve(conn, number, args, ctx, log, lock):
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(inc, out, server_side=True)
    try:
        if not handshake(conn, tls, inc, out, args.hold):
            return
        log_line(log, lock, "%d %s" % (number, "resumed"
                                       if tls.session_reused else "full"))
        while read_request(conn, tls, inc, args.idle) is not None:
            tls.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(REPLY) + REPLY)
            conn.sendall(out.read())
        if args.notify and shut_down(conn, tls, inc, out):
            log_line(log, lock, "%d late" % number)
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--hold", type=float, default=0.5)
    p.add_argument("--idle", type=float, default=1.0)
    p.add_argument("--notify", action="store_true")
    args = p.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.set_alpn_protocols(["http/1.1"])
    ctx.load_cert_chain(args.cert, args.key)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    log, lock = open(args.log, "a"), threading.Lock()
    with open(args.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(args.port_file + ".tmp", args.port_file)
    number = 0
    while True:
        conn, _ = srv.accept()
        number += 1
        threading.Thread(target=serve, daemon=True,
                         args=(conn, number, args, ctx, log, lock)).start()


if __name__ == "__main__":
    main()
