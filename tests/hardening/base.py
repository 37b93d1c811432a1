"""What the hardening tests share: a real ``vbs-native-api`` (gunicorn, sync
workers) on a free loopback port, a MariaDB database of its own, raw HTTP,
and the record of each fault tried (``tools/faults_doc.py`` turns it into
doc/faults.rst).

Environment:

``VBS_NATIVE_TEST_MYSQL_URL``
    an admin URL of a MariaDB/MySQL server (default
    ``mysql+pymysql://root@127.0.0.1:3306/``); tests that need it are
    skipped when it cannot be reached, unless
    ``VBS_NATIVE_TEST_REQUIRE_MYSQL`` is set, as in CI.
``VBS_NATIVE_TEST_FAULTS_DIR``
    where each test process writes the faults it tried (default
    ``.faults`` in the source tree).
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import fixtures
import sqlalchemy as sa
import testtools

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir,
                                    os.pardir))
DEFAULT_MYSQL_URL = 'mysql+pymysql://root@127.0.0.1:3306/'
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


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


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


class TestCase(testtools.TestCase):

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
    """A new database and user on the MariaDB server, schema and data made
    by vbs-native-manage; dropped afterwards."""

    def __init__(self, count=300, projects=3, seed=7):
        super().__init__()
        self.count = count
        self.projects = projects
        self.seed = seed

    def _setUp(self):
        admin_url = os.environ.get('VBS_NATIVE_TEST_MYSQL_URL',
                                   DEFAULT_MYSQL_URL)
        self.admin = sa.create_engine(admin_url, poolclass=sa.pool.NullPool)
        try:
            with self.admin.connect():
                pass
        except sa.exc.OperationalError as exc:
            if os.environ.get('VBS_NATIVE_TEST_REQUIRE_MYSQL'):
                raise
            raise testtools.TestCase.skipException(
                'No MariaDB at %s: %s' % (admin_url, exc))
        url = sa.engine.make_url(admin_url)
        self.host, self.port = url.host or '127.0.0.1', url.port or 3306
        suffix = uuid.uuid4().hex[:12]
        self.name = 'vbs_hx_%s' % suffix
        self.user = 'vbs_hx_%s' % suffix
        self.password = uuid.uuid4().hex
        self.admin_sql(
            'CREATE DATABASE %s CHARACTER SET utf8mb4' % self.name,
            "CREATE USER '%s'@'%%' IDENTIFIED BY '%s'" % (
                self.user, self.password),
            "GRANT ALL ON %s.* TO '%s'@'%%'" % (self.name, self.user))
        self.addCleanup(self.admin_sql,
                        "DROP USER IF EXISTS '%s'@'%%'" % self.user,
                        'DROP DATABASE IF EXISTS %s' % self.name)
        self.addCleanup(self.admin.dispose)
        directory = self.useFixture(fixtures.TempDir()).path
        conf = os.path.join(directory, 'manage.conf')
        with open(conf, 'w') as stream:
            stream.write('[DEFAULT]\nstate_path = %s\n[database]\n'
                         'connection = %s\n' % (directory, self.url()))
        manage(conf, 'db', 'sync')
        output = manage(conf, 'backup', 'generate', '--count',
                        str(self.count), '--projects', str(self.projects),
                        '--seed', str(self.seed))
        self.project_ids = output.split(':', 1)[1].split()
        self.engine = sa.create_engine(self.url(),
                                       poolclass=sa.pool.NullPool)
        self.addCleanup(self.engine.dispose)

    def url(self, port=None):
        return 'mysql+pymysql://%s:%s@%s:%d/%s?charset=utf8mb4' % (
            self.user, self.password, self.host, port or self.port,
            self.name)

    def admin_sql(self, *statements):
        with self.admin.connect() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))


def manage(config_file, *args):
    result = subprocess.run(
        [sys.executable, '-c',
         'import sys; from vbs_native.cmd import manage; '
         'sys.exit(manage.main())',
         '--config-file', config_file] + list(args),
        capture_output=True, text=True, timeout=300, check=False)
    if result.returncode:
        raise AssertionError('vbs-native-manage %s: %s%s' % (
            ' '.join(args), result.stdout, result.stderr))
    return result.stdout


class Service(fixtures.Fixture):
    """``vbs-native-api`` on a free loopback port, noauth."""

    def __init__(self, connection, workers=2, options=None):
        super().__init__()
        self.connection = connection
        self.workers = workers
        self.options = options or {}

    def _setUp(self):
        self.directory = self.useFixture(fixtures.TempDir()).path
        self.port = free_port()
        sections = {
            'DEFAULT': {
                'state_path': self.directory,
                'auth_strategy': 'noauth',
                'osapi_volume_listen': '127.0.0.1',
                'osapi_volume_listen_port': self.port,
                'osapi_volume_workers': self.workers,
                'log_file': os.path.join(self.directory, 'api.log'),
            },
            'database': {'connection': self.connection},
        }
        for key, value in self.options.items():
            group, _sep, name = key.rpartition('.')
            sections.setdefault(group or 'DEFAULT', {})[name] = value
        self.config_file = os.path.join(self.directory, 'vbs-native.conf')
        with open(self.config_file, 'w') as stream:
            for group, values in sections.items():
                stream.write('[%s]\n' % group)
                for name, value in values.items():
                    stream.write('%s = %s\n' % (name, value))
        self.log = open(os.path.join(self.directory, 'gunicorn.log'), 'wb')
        self.addCleanup(self.log.close)
        self.process = subprocess.Popen(
            [sys.executable, '-c',
             'from vbs_native.cmd import api; api.main()',
             '--config-file', self.config_file],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.addCleanup(self._stop)
        self._wait_ready()

    def _wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError('vbs-native-api exited: %s' %
                                     self.logs())
            try:
                if (request(self.port, 'GET', '/healthcheck',
                            timeout=5).status == 200
                        and len(self.worker_pids()) == self.workers):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError('vbs-native-api did not start: %s' % self.logs())

    def _stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def logs(self):
        text = ''
        for name in ('gunicorn.log', 'api.log'):
            path = os.path.join(self.directory, name)
            if os.path.exists(path):
                with open(path, errors='replace') as stream:
                    text += stream.read()
        return text[-5000:]

    def worker_pids(self):
        pid = self.process.pid
        path = '/proc/%d/task/%d/children' % (pid, pid)
        with open(path) as stream:
            return [int(pid) for pid in stream.read().split()]

    def rss(self):
        """{worker pid: resident set size in KiB}."""
        sizes = {}
        for pid in self.worker_pids():
            try:
                with open('/proc/%d/status' % pid) as stream:
                    for line in stream:
                        if line.startswith('VmRSS:'):
                            sizes[pid] = int(line.split()[1])
            except FileNotFoundError:
                pass
        return sizes

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
    conf = os.path.join(directory, 'manage.conf')
    url = 'sqlite:///%s' % os.path.join(directory, 'vbs.sqlite')
    with open(conf, 'w') as stream:
        stream.write('[DEFAULT]\nstate_path = %s\n[database]\n'
                     'connection = %s\n' % (directory, url))
    manage(conf, 'db', 'sync')
    output = manage(conf, 'backup', 'generate', '--count', str(count),
                    '--projects', str(projects), '--seed', str(seed))
    return url, output.split(':', 1)[1].split()


def temp_dir():
    return tempfile.mkdtemp(prefix='vbs-hx-')
