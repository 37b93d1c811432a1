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

"""Clients that send their request head slowly, a byte at a time, each
byte sooner than any per-read timeout: standalone, each holds a sync worker
until the deadline for the whole head (``client_socket_timeout``) closes
it; behind HAProxy (``timeout http-request``, as the production guide
configures it) they never reach a worker at all."""

import os
import select
import shutil
import socket
import threading
import time

import fixtures

from tests.hardening import base
from tests.harness import processes

SECTION = 'Slow clients'
HEAD_DEADLINE = 3  # client_socket_timeout, and HAProxy's timeout http-request
DRIP = 0.5  # a slow client sends one byte this often
SLOW_FOR = 15  # and gives up after this long
# A request that waited for no slow client: well under HEAD_DEADLINE.
PROMPT = 1.5
# Time a loaded machine may add to a bound.
SLACK = 2


class SlowClient(threading.Thread):
    """Sends a request line, then one header byte every DRIP seconds, for
    SLOW_FOR seconds at most or until the other end closes; ``closed_after``
    is how long the connection lasted (None: never closed)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=5)
        self.answer = b''
        self.closed_after = None

    def run(self):
        started = time.monotonic()
        try:
            self.sock.sendall(b'GET /v3/ HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                              b'X-Slow: ')
            while time.monotonic() - started < SLOW_FOR:
                readable, _w, _x = select.select([self.sock], [], [], DRIP)
                if readable:
                    data = self.sock.recv(65536)
                    self.answer += data
                    if not data:
                        break
                else:
                    self.sock.sendall(b'a')
            else:
                return
        except OSError:
            pass
        self.closed_after = time.monotonic() - started

    def stop(self):
        self.sock.close()
        self.join(SLOW_FOR + 5)


class HAProxy(processes.Server):
    """HAProxy from the distribution in front of ``backend``, on a free
    loopback port; started at setUp."""

    CONFIG = '''\
global
    maxconn 256

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 60s
    # The whole request head must arrive in this time, before HAProxy
    # passes it on.
    timeout http-request {deadline}s

frontend vbs_native
    bind 127.0.0.1:{port}
    default_backend vbs_native_api

backend vbs_native_api
    server api1 127.0.0.1:{backend}
'''

    def __init__(self, directory, backend):
        binary = shutil.which('haproxy', path=os.environ.get('PATH', '') +
                              ':/usr/sbin:/sbin')
        if binary is None:
            raise AssertionError('haproxy is not installed (Debian package '
                                 'haproxy; .ci installs it)')
        self.config = os.path.join(directory, 'haproxy.cfg')
        self.backend = backend
        super().__init__('haproxy', [binary, '-db', '-f', self.config],
                         os.path.join(directory, 'haproxy.log'),
                         processes.free_port())

    def start(self):
        with open(self.config, 'w') as stream:
            stream.write(self.CONFIG.format(
                deadline=HEAD_DEADLINE, port=self.port, backend=self.backend))
        super().start()
        self.wait_ready(lambda: socket.create_connection(
            ('127.0.0.1', self.port), timeout=1).close() or True, 30)


class TestSlowClients(base.TestCase):

    def setUp(self):
        super().setUp()
        directory = self.useFixture(fixtures.TempDir()).path
        url, projects = base.sqlite_database(directory, count=10)
        self.project = projects[0]
        self.service = self.useFixture(base.Service(
            url, workers=2,
            options={'client_socket_timeout': HEAD_DEADLINE}))
        self.pids = sorted(self.service.worker_pids())

    def slow_clients(self, port, count):
        clients = [SlowClient(port) for _ in range(count)]
        for client in clients:
            self.addCleanup(client.stop)
            client.start()
        # Each has sent its request line and a byte or two.
        time.sleep(DRIP * 2)
        return clients

    def timed_request(self, port):
        started = time.monotonic()
        response = base.request(
            port, 'GET', '/v3/%s/native/backups' % self.project,
            [('X-Auth-Token', 'user:%s' % self.project)], timeout=60)
        self.assertEqual(200, response.status, response.body[:500])
        return time.monotonic() - started

    def assert_closed(self, clients):
        """Each slow client was disconnected by the head deadline."""
        for client in clients:
            client.join(HEAD_DEADLINE + SLACK + 1)
            self.assertIsNotNone(client.closed_after)
            self.assertLess(client.closed_after, HEAD_DEADLINE + SLACK)

    def test_standalone(self):
        # As many slow clients as workers: both held, for the deadline.
        clients = self.slow_clients(self.service.port, 2)
        elapsed = self.timed_request(self.service.port)
        self.assertLess(elapsed, HEAD_DEADLINE + SLACK)
        self.assert_closed(clients)
        self.assertEqual(self.pids, sorted(self.service.worker_pids()))
        self.assertNotIn('WORKER TIMEOUT', self.service.log_tail(10 ** 7))
        self.assertIn('did not send its request head in %d s'
                      % HEAD_DEADLINE, self.service.log_tail(10 ** 7))
        base.record(SECTION, 'two connections sending a header byte every '
                    '%.1f s, two workers' % DRIP,
                    'each closed client_socket_timeout after its accept; '
                    'the next request waited at most that long')

    def test_behind_haproxy(self):
        haproxy = self.useFixture(HAProxy(
            self.useFixture(fixtures.TempDir()).path, self.service.port))
        clients = self.slow_clients(haproxy.port, 8)
        for _ in range(3):
            self.assertLess(self.timed_request(haproxy.port), PROMPT)
        self.assert_closed(clients)
        for client in clients:
            # HAProxy's own answer: the request never reached a worker.
            self.assertTrue(client.answer.startswith(b'HTTP/1.1 408'),
                            client.answer[:200])
        self.assertNotIn('did not send its request head',
                         self.service.log_tail(10 ** 7))
        base.record(SECTION, 'eight such connections through HAProxy '
                    '(timeout http-request), two workers',
                    'HAProxy answers each 408 after timeout http-request; '
                    'other requests are not delayed')
