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

"""Bad input at the edge: each gets a 4xx JSON fault with a request id,
quickly, from the real server (gunicorn, sync workers), never a 500."""

import time

from tests.hardening import base

P = None  # the caller's project, set in setUpClass
# Every fault must be answered within this (seconds): no quadratic parsing,
# no regex blow-up; generous for a loaded CI machine.
QUICK = 2.0
SECTION = 'Limits and malformed requests'


def _query(count, template='k%d=1'):
    return '&'.join(template % i for i in range(count))


def _cases():
    """(name, method, target, headers, body, status, fault name); ``{P}``
    in the target is the caller's project."""
    v = ('OpenStack-API-Version', 'volume 3.45')
    return [
        ('query string of 8 KiB (over the request line limit)',
         'GET', '/v3/{P}/native/backups?name=' + 'a' * 8192, [], None, 414),
        ('2,000 query parameters (over the request line limit)',
         'GET', '/v3/{P}/native/backups?' + _query(2000), [], None, 414),
        ('500 unknown query parameters at 3.45',
         'GET', '/v3/{P}/native/backups?' + _query(500), [v], None, 400),
        ('400 repeats of one filter at 3.45',
         'GET', '/v3/{P}/native/backups?' + _query(400, 'name=%d'), [v],
         None, 200),
        ('one header value of 10 KiB',
         'GET', '/v3/{P}/native/backups', [('X-Padding', 'a' * 10240)],
         None, 431),
        ('200 header fields',
         'GET', '/v3/{P}/native/backups',
         [('X-Field-%d' % i, 'a') for i in range(200)], None, 431),
        ('control bytes and 0xff in a header value',
         'GET', '/v3/{P}/native/backups', [('X-Padding', b'\x01\x02\xff')],
         None, 400),
        ('a NUL byte in a header value',
         'GET', '/v3/{P}/native/backups', [('X-Padding', b'a\x00b')],
         None, 400),
        ('0xff in the version header',
         'GET', '/v3/{P}/native/backups',
         [('OpenStack-API-Version', b'volume 3.\xff')], None, 400),
        ('a version header of 8 KiB',
         'GET', '/v3/{P}/native/backups',
         [('OpenStack-API-Version', 'volume 3.' + '4' * 8000)], None, 400),
        ('invalid UTF-8 in the path',
         'GET', '/v3/{P}/native/backups/%ff%fe', [], None, 400),
        ('raw 0xff bytes in the path',
         'GET', b'/v3/{P}/native/backups/\xff', [], None, 400),
        ('invalid UTF-8 in a query value',
         'GET', '/v3/{P}/native/backups?name=%ff%fe', [], None, 400),
        ('invalid UTF-8 in a query key',
         'GET', '/v3/{P}/native/backups?%ff=1', [], None, 400),
        ('non-ASCII query key at 3.45',
         'GET', '/v3/{P}/native/backups?%C3%A9=1', [v], None, 400),
        ('a JSON body on a GET',
         'GET', '/v3/{P}/native/backups',
         [('Content-Type', 'application/json')], b'{"a": 1}', 400),
        ('a body without a type on a GET',
         'GET', '/v3/{P}/native/backups', [], b'{"a": 1}', 400),
        ('a text body on a GET',
         'GET', '/v3/{P}/native/backups',
         [('Content-Type', 'text/plain')], b'abc', 415),
        ('a body of 120 KiB on a GET (over max_request_body_size)',
         'GET', '/v3/{P}/native/backups',
         [('Content-Type', 'application/json')], b'a' * 122880, 413),
        ('a chunked text body on a GET',
         'GET', '/v3/{P}/native/backups',
         [('Content-Type', 'text/plain'),
          ('Transfer-Encoding', 'chunked')], b'2\r\nab\r\n0\r\n\r\n', 415),
        ('both Content-Length and Transfer-Encoding',
         'GET', '/v3/{P}/native/backups',
         [('Transfer-Encoding', 'chunked'), ('Content-Length', '2')],
         b'{}', 400),
        ('a text body on the versions document',
         'GET', '/', [('Content-Type', 'text/plain')], b'ab', 415),
        ('a backup id of 4,000 characters',
         'GET', '/v3/{P}/native/backups/' + 'a' * 4000, [], None, 404),
        ('a project id of 4,000 characters, the last one not hex',
         'GET', '/v3/' + 'a' * 4000 + 'z/native/backups', [], None, 404),
        ('4,000 slashes',
         'GET', '/v3/{P}/native/backups' + '/' * 4000, [], None, 404),
        ('limit with 100 digits',
         'GET', '/v3/{P}/native/backups?limit=' + '9' * 100, [], None, 200),
        ('offset with 100 digits',
         'GET', '/v3/{P}/native/backups?offset=' + '9' * 100, [], None, 400),
        ('a sort of 400 keys',
         'GET', '/v3/{P}/native/backups?sort=' + ','.join(
             ['size:asc'] * 400), [], None, 200),
        ('a sort of 400 unknown keys',
         'GET', '/v3/{P}/native/backups?sort=' + ','.join(
             'k%d:asc' % i for i in range(400)), [], None, 400),
        ('a fuzzy filter of 3,000 % and _ characters at 3.45',
         'GET', '/v3/{P}/native/backups?name~=' + '%25_' * 1000, [v], None,
         200),
        ('a marker of 4,000 characters',
         'GET', '/v3/{P}/native/backups?marker=' + 'b' * 4000, [], None, 404),
        ('a malformed request line',
         'GET', '/v3/{P}/native/backups HTTP/1.1 extra', [], None, 400),
        ('an unknown method',
         'FROB', '/v3/{P}/native/backups', [], None, 405),
        ('a method of 300 characters',
         'A' * 300, '/v3/{P}/native/backups', [], None, 400),
        ('OPTIONS on a backup',
         'OPTIONS', '/v3/{P}/native/backups/x', [], None, 405),
        ('POST on the healthcheck',
         'POST', '/healthcheck', [], b'', 405),
    ]


class TestLimits(base.SQLiteTestCase):

    def _check(self, name, method, target, headers, body, status):
        project = self.projects[0]
        if isinstance(target, bytes):
            target = target.replace(b'{P}', project.encode())
        else:
            target = target.replace('{P}', project)
        headers = [('X-Auth-Token', 'u:%s' % project)] + list(headers)
        response = base.request(self.service.port, method, target, headers,
                                body, timeout=30)
        self.assertLess(response.elapsed, QUICK, name)
        if status < 400:
            self.assertEqual(status, response.status, response.body[:300])
        else:
            self.assertFault(response, status)
        base.record(SECTION, name, base.describe(response))

    def test_service_still_answers(self):
        response = self.service.get('/v3/%s/native/backups?limit=1' %
                                    self.projects[0], self.projects[0])
        self.assertEqual(200, response.status)


def _make_test(case):
    def test(self):
        self._check(*case)
    return test


for _number, _case in enumerate(_cases()):
    setattr(TestLimits, 'test_%02d' % _number, _make_test(_case))


class TestLinearParsing(base.TestCase):
    """Beyond the HTTP server's limits (another WSGI server, Cinder's
    pipeline), the application's own parsing stays linear: 100,000
    parameters in well under a second per 10,000."""

    def test_many_unknown_parameters(self):
        import webob

        from tests import fixtures as test_fixtures

        conf = self.useFixture(test_fixtures.Conf()).conf
        self.useFixture(test_fixtures.Database())
        app = self.useFixture(test_fixtures.Application(conf)).app
        project = '1' * 32
        timings = []
        for count in (10000, 100000):
            req = webob.Request.blank(
                '/v3/%s/native/backups?%s' % (project, _query(count)),
                headers={'X-Auth-Token': 'u:%s' % project,
                         'OpenStack-API-Version': 'volume 3.45'})
            started = time.monotonic()
            response = req.get_response(app)
            timings.append(time.monotonic() - started)
            self.assertEqual(400, response.status_int)
        # Ten times the parameters, at most about ten times the time.
        self.assertLess(timings[1], max(timings[0], 0.05) * 25, timings)
        base.record(SECTION, '100,000 unknown query parameters, in process '
                    '(no HTTP server limit)', '400 badRequest, linear time')


class TestIdleClients(base.TestCase):
    """Clients that connect and send nothing (or send part of a request
    and stop): each sync worker serves one connection at a time, so each
    such connection holds a worker for client_socket_timeout seconds, then
    is closed; no worker is killed, other requests are answered after."""

    def test_idle_connections(self):
        timeout = 2
        directory = self.useFixture(base.fixtures.TempDir()).path
        url, projects = base.sqlite_database(directory, count=10)
        service = self.useFixture(base.Service(
            url, workers=2, options={'client_socket_timeout': timeout}))
        pids = sorted(service.worker_pids())
        idle = []
        for number in range(4):
            sock = base.socket.create_connection(('127.0.0.1', service.port))
            if number % 2:
                sock.sendall(b'GET /v3/ HTTP/1.1\r\nHost: x\r\n')  # no end
            idle.append(sock)
        self.addCleanup(lambda: [sock.close() for sock in idle])
        started = time.monotonic()
        response = service.get('/v3/%s/native/backups' % projects[0],
                               projects[0], timeout=60)
        elapsed = time.monotonic() - started
        self.assertEqual(200, response.status)
        # Four idle connections over two workers: two timeouts each.
        self.assertLess(elapsed, 2 * timeout + 3)
        for sock in idle:
            sock.settimeout(10)
            data = sock.recv(65536)  # closed, or a 400 for the partial one
            self.assertTrue(data == b'' or data.startswith(b'HTTP/1.1 4'),
                            data)
        self.assertEqual(pids, sorted(service.worker_pids()))
        self.assertNotIn('WORKER TIMEOUT', service.logs())
        base.record(SECTION, 'connections that send nothing, or half a '
                    'request, two per worker',
                    'closed after client_socket_timeout; the next request '
                    'answered, no worker killed')
