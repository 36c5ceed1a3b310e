#!/usr/bin/env python3
"""rr_proxy.py PORT BACKEND_PORT... - a round-robin TCP proxy on 127.0.0.1:PORT, as a load
balancer in front of a Galera cluster is: each new connection goes to the next backend
(127.0.0.1:BACKEND_PORT) in turn, bytes copied both ways until either side closes.
Prints "ready" once it listens; runs until killed."""
import itertools
import socket
import sys
import threading


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    port = int(sys.argv[1])
    backends = itertools.cycle(int(p) for p in sys.argv[2:])
    lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsn.bind(("127.0.0.1", port))
    lsn.listen(64)
    print("ready", flush=True)
    while True:
        client, _ = lsn.accept()
        try:
            server = socket.create_connection(("127.0.0.1", next(backends)))
        except OSError:
            client.close()
            continue
        for a, b in ((client, server), (server, client)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()


if __name__ == "__main__":
    main()
