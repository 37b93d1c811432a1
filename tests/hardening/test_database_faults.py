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

"""The database fails under a running service: a TCP proxy the test controls
sits between ``vbs-native-api`` and MariaDB. Each fault gives 503
``serviceUnavailable`` with ``Retry-After`` within a bounded time, no worker
hangs or is killed, and once the fault ends the service answers correctly
again, with no restart."""

import threading
import time

from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import test_fixtures
import sqlalchemy as sa
import webob

from tests import fixtures as test_fixtures_vbs
from tests.hardening import base
from tests.hardening import proxy as tcp_proxy
from vbs_native.db import engine as db_engine

SECTION = 'Database faults'
TIMEOUT = 2  # [vbs_native] database_timeout of the service under test
# A request may wait at each step once: a pooled connection, its first
# statement, a new connection's greeting, the statement again. Three steps
# and a second to spare.
BOUND = 3 * TIMEOUT + 1
TRIES = 4
# /healthcheck waits for the database at most 2 s and reuses an answer 1 s.
HEALTH_BOUND = 2 + 1 + 2


class TestDatabaseFaults(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(base.MySQLDatabase(count=120, projects=2))
        self.proxy = tcp_proxy.Proxy(self.db.host, self.db.port)
        self.addCleanup(self.proxy.stop)
        self.project = self.db.project_ids[0]

    def start_service(self):
        self.service = self.useFixture(base.Service(
            self.db.url(self.proxy.port), workers=2,
            options={'vbs_native.database_timeout': TIMEOUT}))
        self.pids = (self.service.process.pid,
                     sorted(self.service.worker_pids()))

    def expected_count(self):
        with self.db.engine.connect() as connection:
            return connection.scalar(sa.text(
                'SELECT COUNT(*) FROM backups WHERE project_id = :p '
                'AND deleted = 0'), {'p': self.project})

    def get_page(self):
        return self.service.get(
            '/v3/%s/native/backups/detail?limit=5&with_count=true' %
            self.project, self.project, version='3.45', timeout=60)

    def assert_correct(self):
        """A page with the right count; every worker answers (the
        requests spread over both)."""
        expected = self.expected_count()
        for _attempt in range(TRIES):
            response = self.get_page()
            self.assertEqual(200, response.status, '%r\n%s' % (
                response.body[:500], self.service.logs()))
            body = response.json()
            self.assertEqual(expected, body['count'])
            self.assertEqual(5, len(body['backups']))

    def assert_unavailable(self):
        """Each request: 503 with Retry-After, within BOUND seconds."""
        slowest = 0
        for _attempt in range(TRIES):
            response = self.get_page()
            self.assertFault(response, 503)
            self.assertEqual('5', response.header('Retry-After'))
            self.assertLess(response.elapsed, BOUND)
            slowest = max(slowest, response.elapsed)
        return response, slowest

    def assert_same_workers(self):
        """No restart, and no worker killed for hanging."""
        self.assertIsNone(self.service.process.poll())
        self.assertEqual(self.pids, (self.service.process.pid,
                                     sorted(self.service.worker_pids())))
        self.assertNotIn('WORKER TIMEOUT', self.service.logs())

    def recover(self):
        """The database is back: correct answers within a few seconds."""
        deadline = time.monotonic() + BOUND * 2
        while True:
            response = self.get_page()
            if response.status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assert_correct()
        self.assert_same_workers()

    def assert_health(self, status):
        """/healthcheck answers ``status`` on every worker within
        HEALTH_BOUND seconds, each answer quickly."""
        deadline = time.monotonic() + HEALTH_BOUND
        answers = []
        while answers[-TRIES:] != [status] * TRIES:
            self.assertLess(time.monotonic(), deadline,
                            '/healthcheck answered %s, not %d' % (
                                answers[-TRIES:], status))
            response = self.service.get('/healthcheck', timeout=30)
            self.assertLess(response.elapsed, HEALTH_BOUND)
            answers.append(response.status)

    def check_fault(self, fault, start, stop):
        self.start_service()
        self.assert_correct()
        self.assert_health(200)
        start()
        response, _slowest = self.assert_unavailable()
        self.assert_health(503)
        self.assert_same_workers()
        stop()
        self.recover()
        self.assert_health(200)
        base.record(SECTION, fault, '%s within %d s (database_timeout=%d); '
                    '/healthcheck 503; after: 200, correct, same workers, '
                    '/healthcheck 200' % (
                        base.describe(response), BOUND, TIMEOUT))

    def test_connection_cut(self):
        self.check_fault(
            'connections cut, new ones closed at once',
            lambda: self.proxy.set_mode(tcp_proxy.CUT),
            lambda: self.proxy.set_mode(tcp_proxy.PASS))

    def test_blackhole(self):
        self.check_fault(
            'database host silent (connections open, nothing answered)',
            lambda: self.proxy.set_mode(tcp_proxy.BLACKHOLE),
            lambda: self.proxy.set_mode(tcp_proxy.PASS))

    def test_slow(self):
        self.check_fault(
            'database answers %d s late (after the timeout)' % (TIMEOUT * 2),
            lambda: self.proxy.set_mode(tcp_proxy.SLOW, delay=TIMEOUT * 2),
            lambda: self.proxy.set_mode(tcp_proxy.PASS))

    def test_server_connection_limit(self):
        """The server refuses new connections (the user's connection limit
        reached): error 1226, not a connection error in oslo.db's eyes."""
        held = []

        def start():
            self.db.admin_sql("ALTER USER '%s'@'%%' WITH "
                              "MAX_USER_CONNECTIONS 1" % self.db.user)
            # The service's pooled connections go; the one left is ours.
            self.proxy.set_mode(tcp_proxy.CUT)
            held.append(self.db.engine.connect())
            self.proxy.set_mode(tcp_proxy.PASS)

        def stop():
            held.pop().close()
            self.db.admin_sql("ALTER USER '%s'@'%%' WITH "
                              "MAX_USER_CONNECTIONS 0" % self.db.user)

        self.addCleanup(lambda: [c.close() for c in held])
        self.check_fault('database at its connection limit '
                         '(MAX_USER_CONNECTIONS reached)', start, stop)

    def test_pooled_connections_dropped(self):
        """The database restarted between requests (every open connection
        closed, new ones accepted): no request fails. The first statement
        on a dropped connection finds it, and the read runs again on a new
        one (no ping before each request finds it any more)."""
        self.start_service()
        self.assert_correct()
        self.assertGreater(self.proxy.connections, 0)
        self.proxy.set_mode(tcp_proxy.CUT)
        self.proxy.set_mode(tcp_proxy.PASS)
        # Each worker holds a dropped connection; the requests reach both.
        self.assert_correct()
        self.assert_health(200)
        self.assert_same_workers()
        base.record(SECTION, 'database restarted between requests '
                    '(pooled connections closed)',
                    'every request 200 and correct, same workers')

    def test_dropped_before_a_workers_first_request(self):
        """The same before any request on the API: each worker has
        connected only for /healthcheck. A worker's first request also reads
        the table's indexes (on MariaDB with SQLAlchemy's error events
        skipped), and that too runs again on a new connection."""
        self.start_service()
        deadline = time.monotonic() + 30
        while self.proxy.connections < 2:  # a connection in each worker
            self.assertLess(time.monotonic(), deadline)
            self.assertEqual(200, self.service.get('/healthcheck').status)
        self.proxy.set_mode(tcp_proxy.CUT)
        self.proxy.set_mode(tcp_proxy.PASS)
        self.assert_correct()
        self.assert_same_workers()
        base.record(SECTION, 'database restarted before a worker\'s first '
                    'request', 'every request 200 and correct, same workers')

    def test_down_at_start(self):
        """The database is down when the service starts: no worker waits
        for it, requests are 503, and it comes up by itself later."""
        self.proxy.set_mode(tcp_proxy.CUT)
        self.start_service()
        response, _slowest = self.assert_unavailable()
        self.assert_health(503)
        self.assert_same_workers()
        self.proxy.set_mode(tcp_proxy.PASS)
        self.recover()
        self.assert_health(200)
        base.record(SECTION, 'database down when the service starts',
                    '%s within %d s, /healthcheck 503; after: 200, '
                    'correct, same workers, /healthcheck 200' % (
                        base.describe(response), BOUND))

    def test_healthcheck_polling(self):
        """A load balancer polling /healthcheck costs a query per worker
        and second at most, not one per poll: fewer packets reach the
        database than there are polls (each query that ran would send
        two: the query and the rollback)."""
        self.start_service()
        self.assert_health(200)
        polls = 100
        sent = self.proxy.sent
        started = time.monotonic()
        for _poll in range(polls):
            self.assertEqual(200, self.service.get('/healthcheck').status)
        elapsed = time.monotonic() - started
        self.assertLess(self.proxy.sent - sent, polls,
                        '%d polls in %.1f s' % (polls, elapsed))


class TestPoolFull(base.TestCase):
    """No free connection in the pool. A sync gunicorn worker uses one
    connection at a time, so this happens only in a threaded server (or in
    Cinder's pipeline): the application, in process, with threads."""

    def test_pool_full(self):
        db = self.useFixture(base.MySQLDatabase(count=20, projects=1))
        conf = self.useFixture(test_fixtures_vbs.Conf(**{
            'vbs_native.database_timeout': 1})).conf
        options = db_engine.engine_options(conf, {
            'connection': db.url(), 'max_pool_size': 1, 'max_overflow': 0})
        facade = enginefacade.transaction_context()
        facade.configure(synchronous_reader=False, **options)
        self.useFixture(test_fixtures.ReplaceEngineFacadeFixture(
            db_engine.main_context_manager, facade))
        self.addCleanup(lambda: facade.writer.get_engine().dispose())
        app = self.useFixture(test_fixtures_vbs.Application(conf)).app
        project = db.project_ids[0]

        def get():
            return webob.Request.blank(
                '/v3/%s/native/backups' % project,
                headers={'X-Auth-Token': 'u:%s' % project}).get_response(app)

        self.assertEqual(200, get().status_int)
        engine = facade.writer.get_engine()
        holding = engine.connect()  # the pool's only connection
        try:
            results = []
            thread = threading.Thread(target=lambda: results.append(
                (time.monotonic(), get(), time.monotonic())))
            thread.start()
            thread.join(30)
            started, response, ended = results[0]
        finally:
            holding.close()
        self.assertEqual(503, response.status_int)
        self.assertEqual('5', response.headers['Retry-After'])
        self.assertIn('serviceUnavailable', response.json)
        self.assertLess(ended - started, 3)
        self.assertEqual(200, get().status_int)
        base.record(SECTION, 'no free connection in the pool (threaded '
                    'server, pool of 1)', '503 serviceUnavailable '
                    'Retry-After: 5 within pool_timeout (database_timeout=1);'
                    ' after: 200')
