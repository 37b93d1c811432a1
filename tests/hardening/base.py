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

"""What the hardening tests share: a real ``vbs-native-api`` (gunicorn, sync
workers) on a free loopback port, a MariaDB database of its own, raw HTTP,
and the record of each fault tried (``tools/faults_doc.py`` turns it into
doc/faults.rst).

Environment:

``OS_TEST_DBAPI_ADMIN_CONNECTION``
    the admin URL of a MariaDB/MySQL server, as oslo.db reads it (tox sets
    the local one); tests that need it are skipped when it cannot be
    reached, unless ``VBS_NATIVE_TEST_REQUIRE_MYSQL`` is set, as in CI.
``VBS_NATIVE_TEST_FAULTS_DIR``
    where each test process writes the faults it tried (default
    ``.faults`` in the source tree).
"""

import http.client
import json
import os
import re
import shutil
import socket
import tempfile
import time

import fixtures
from oslotest import base as oslotest_base
import sqlalchemy as sa
import testtools

from tests.harness import databases
from tests.harness import service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir,
                                    os.pardir))
FAULTS_DIR = os.environ.get('VBS_NATIVE_TEST_FAULTS_DIR',
                            os.path.join(ROOT, '.faults'))
REQUEST_ID = re.compile(
    r'^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
FAULT_NAMES = {
    400: 'badRequest', 401: 'unauthorized', 403: 'forbidden',
    404: 'itemNotFound', 405: 'badMethod', 406: 'notAcceptable',
    413: 'overLimit', 414: 'overLimit', 415: 'badMediaType',
    431: 'overLimit', 500: 'computeFault', 503: 'serviceUnavailable'}
# What an error body must never show.
LEAKS = re.compile(r'Traceback|File "|sqlalchemy|pymysql|SELECT |/work/|'
                   r'\.py\b|password|mysql\+|sqlite:', re.IGNORECASE)


# Faults tried, for the documentation.

def record(section, fault, observed):
    """Note that ``fault`` was tried and what the service did; one JSON
    line per fault, in a file per process (stestr runs several)."""
    os.makedirs(FAULTS_DIR, exist_ok=True)
    path = os.path.join(FAULTS_DIR, '%d.jsonl' % os.getpid())
    with open(path, 'a', encoding='utf-8') as stream:
        stream.write(json.dumps({'section': section, 'fault': fault,
                                 'observed': observed}) + '\n')


# HTTP.

class Response:

    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body)


def request(port, method, target, headers=(), body=None, timeout=60):
    """One request on a fresh connection; ``target`` and header values may
    be bytes, sent as they are."""
    started = time.monotonic()
    sock = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    try:
        if isinstance(target, str):
            target = target.encode('latin-1')
        lines = [method.encode('ascii') + b' ' + target + b' HTTP/1.1',
                 b'Host: 127.0.0.1:%d' % port, b'Connection: close']
        for key, value in headers:
            if isinstance(value, str):
                value = value.encode('latin-1')
            lines.append(key.encode('latin-1') + b': ' + value)
        framing = {key.lower() for key, _value in headers} & {
            'content-length', 'transfer-encoding'}
        if body is not None and not framing:
            lines.append(b'Content-Length: %d' % len(body))
        try:
            sock.sendall(b'\r\n'.join(lines) + b'\r\n\r\n' + (body or b''))
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered and closed before the whole body was read
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        data = response.read()
        return Response(response.status, response.getheaders(), data,
                        time.monotonic() - started)
    finally:
        sock.close()


def describe(response):
    """A response as the faults page shows it: status, fault name and the
    headers that matter; no timings, no ids, so it is the same each run."""
    parts = [str(response.status)]
    if response.status >= 400:
        try:
            parts.append(next(iter(response.json())))
        except (ValueError, StopIteration, TypeError):
            parts.append('(not a JSON fault)')
    if response.header('Retry-After'):
        parts.append('Retry-After: %s' % response.header('Retry-After'))
    return ' '.join(parts)


class TestCase(oslotest_base.BaseTestCase):

    def assertFault(self, response, status, name=None):
        """A JSON fault of ``status`` with a request id and nothing
        internal in it."""
        self.assertEqual(status, response.status, response.body[:500])
        self.assertTrue(response.header('Content-Type').startswith(
            'application/json'), response.headers)
        self.assertRegex(response.header('x-openstack-request-id') or '',
                         REQUEST_ID)
        body = response.json()
        self.assertEqual([name or FAULT_NAMES[status]], list(body))
        fault = body[name or FAULT_NAMES[status]]
        self.assertEqual(status, fault['code'])
        self.assertIsInstance(fault['message'], str)
        self.assertIsNone(LEAKS.search(fault['message']), fault['message'])


# The service and its database.

class MySQLDatabase(fixtures.Fixture):
    """A new database and a user of it on the MariaDB server, schema and
    data made by vbs-native-manage; dropped afterwards."""

    def __init__(self, count=300, projects=3, seed=7):
        super().__init__()
        self.count = count
        self.projects = projects
        self.seed = seed

    def _setUp(self):
        try:
            databases.server('mysql')
        except databases.ServerMissing as exc:
            if os.environ.get('VBS_NATIVE_TEST_REQUIRE_MYSQL'):
                raise
            raise testtools.TestCase.skipException(str(exc))
        self.database = database = self.useFixture(databases.Database(
            'mysql', prefix='vbs_hx'))
        self.name, self.host, self.port = (database.name, database.host,
                                           database.port)
        self.user, self.password = database.user(prefix='vbs_hx')
        self.admin_sql = database.admin_sql
        self.project_ids = service.generate(
            self.useFixture(fixtures.TempDir()).path, self.url(),
            self.count, self.projects, self.seed)
        self.engine = sa.create_engine(self.url(),
                                       poolclass=sa.pool.NullPool)
        self.addCleanup(self.engine.dispose)

    def url(self, port=None):
        return self.database.url(self.user, self.password, port)


class Service(service.Api):
    """``vbs-native-api`` on a free loopback port, noauth, answering when
    set up."""

    def __init__(self, connection, workers=2, options=None):
        super().__init__(temp_dir(), connection, workers, options)

    def _setUp(self):
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)
        super()._setUp()
        self.wait(60)

    def logs(self):
        return self.log_tail()

    def get(self, target, project=None, roles=None, version=None,
            headers=(), timeout=60):
        headers = list(headers)
        if project is not None:
            headers.append(('X-Auth-Token', 'user:%s' % project))
        if roles is not None:
            headers.append(('X-Roles', roles))
        if version is not None:
            headers.append(('OpenStack-API-Version', 'volume %s' % version))
        return request(self.port, 'GET', target, headers, timeout=timeout)


def sqlite_database(directory, count=300, projects=3, seed=7):
    """A SQLite database file made by vbs-native-manage: (url, projects)."""
    url = 'sqlite:///%s' % os.path.join(directory, 'vbs.sqlite')
    return url, service.generate(directory, url, count, projects, seed)


def temp_dir():
    return tempfile.mkdtemp(prefix='vbs-hx-')


class SQLiteTestCase(TestCase):
    """A SQLite database made by vbs-native-manage (``count`` backups in
    ``projects``), shared by the tests of the class, and unless ``workers``
    is 0, a vbs-native-api serving it (``service``)."""

    count = 50
    workers = 2

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.directory = temp_dir()
        cls.url, cls.projects = sqlite_database(cls.directory,
                                                count=cls.count)
        cls.service = None
        if cls.workers:
            cls.service = Service(cls.url, workers=cls.workers)
            cls.service.setUp()

    @classmethod
    def tearDownClass(cls):
        if cls.service is not None:
            cls.service.cleanUp()
        shutil.rmtree(cls.directory, ignore_errors=True)
        super().tearDownClass()
