# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""A TCP proxy the test controls, between the service and its database.

Modes:

``pass``
    forward both ways.
``cut``
    every open connection is closed and new ones are accepted then closed
    at once: the database went away.
``blackhole``
    open connections stop forwarding, new ones are accepted and never
    answered: the database host vanished from the network.
``slow``
    forward, but hold every chunk from the database for ``delay`` seconds:
    a database that answers after the request timeout.

Loopback only: it listens on 127.0.0.1 and connects to the address given.
"""

import select
import socket
import threading
import time

PASS = 'pass'
CUT = 'cut'
BLACKHOLE = 'blackhole'
SLOW = 'slow'


class Proxy:

    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.mode = PASS
        self.delay = 0.0
        self.sent = 0  # chunks forwarded to the upstream server
        self._lock = threading.Lock()
        self._pairs = set()
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(('127.0.0.1', 0))
        self._listener.listen(128)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    # Control.

    def set_mode(self, mode, delay=0.0):
        with self._lock:
            self.mode = mode
            self.delay = delay
            pairs = list(self._pairs)
        if mode == CUT:
            for pair in pairs:
                pair.close()

    def stop(self):
        self._stop.set()
        self._thread.join(5)
        self._listener.close()
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            pair.close()

    @property
    def connections(self):
        with self._lock:
            return len(self._pairs)

    # Work.

    def _accept(self):
        while not self._stop.is_set():
            try:
                client, _addr = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            mode = self.mode
            if mode == CUT:
                _close(client)
                continue
            pair = _Pair(self, client)
            with self._lock:
                self._pairs.add(pair)
            threading.Thread(target=pair.run, daemon=True).start()

    def _forget(self, pair):
        with self._lock:
            self._pairs.discard(pair)


class _Pair:
    """One client connection and its upstream connection."""

    def __init__(self, proxy, client):
        self.proxy = proxy
        self.client = client
        self.server = None
        self.closed = threading.Event()

    def close(self):
        self.closed.set()
        _close(self.client)
        if self.server is not None:
            _close(self.server)

    def run(self):
        try:
            self._run()
        except OSError:
            pass
        finally:
            self.close()
            self.proxy._forget(self)

    def _run(self):
        proxy = self.proxy
        while proxy.mode == BLACKHOLE and not self.closed.is_set():
            time.sleep(0.05)  # accepted, never answered
        if self.closed.is_set():
            return
        self.server = socket.create_connection(proxy.upstream, timeout=5)
        self.server.settimeout(None)
        ends = {self.client: self.server, self.server: self.client}
        while not self.closed.is_set() and not proxy._stop.is_set():
            readable, _w, _x = select.select(list(ends), [], [], 0.1)
            mode = proxy.mode
            if mode == BLACKHOLE:
                continue  # hold everything; the kernel buffers fill up
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                if mode == SLOW and source is self.server:
                    if self.closed.wait(proxy.delay):
                        return
                ends[source].sendall(data)
                if source is self.client:
                    with proxy._lock:
                        proxy.sent += 1


def _close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
