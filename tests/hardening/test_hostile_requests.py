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

"""What a stranger can send without credentials, against the real server
(gunicorn, sync workers): bytes in the path that a redirect echoes, and
what the responses tell about the server. Never a 500, never a traceback
in the log, every Location percent-encoded ASCII."""

import os
import re
import urllib.parse

from tests.hardening import base

SECTION = 'Limits and malformed requests'
# Printable ASCII without spaces: what a Location may hold.
LOCATION = re.compile(r'^[!-~]+$')
# Path segments whose bytes a redirect must not copy raw: CR LF (a header
# injection), NUL, DEL, a tab, a space, UTF-8.
LOGS = ('stdout.log', 'api.log')
SEGMENTS = ['%0d%0aX:y', '%00', '%7f', '%09', '%20', '%C3%A9', 'a%0Ab']


class TestHostileRequests(base.SQLiteTestCase):

    count = 10
    workers = 1

    def setUp(self):
        super().setUp()
        self.project = self.projects[0]
        self.logged = {name: len(self._log(name)) for name in LOGS}

    def _log(self, name):
        path = os.path.join(self.service.directory, name)
        if not os.path.exists(path):
            return ''
        with open(path, errors='replace') as stream:
            return stream.read()

    def new_log(self):
        """What the service logged since the test began."""
        return ''.join(self._log(name)[self.logged[name]:] for name in LOGS)

    def assertLocation(self, response, path, query=None):
        """A Location of printable ASCII, which decodes to ``path`` (and
        ``query``) under the service's own URL."""
        self.assertEqual(302, response.status, response.body[:300])
        location = response.header('Location')
        self.assertRegex(location, LOCATION)
        parts = urllib.parse.urlsplit(location)
        self.assertEqual(('http', '127.0.0.1:%d' % self.service.port),
                         (parts.scheme, parts.netloc))
        self.assertEqual(path, urllib.parse.unquote(parts.path))
        self.assertEqual(query, urllib.parse.unquote(parts.query) or None)

    def test_bookmark_redirect_encodes_the_path(self):
        for segment in SEGMENTS:
            response = base.request(
                self.service.port, 'GET',
                '/%s/native/backups/%s' % (self.project, segment))
            self.assertLocation(response, '/v3/%s/native/backups/%s' % (
                self.project, urllib.parse.unquote(segment)))
        self.assertNotIn('Traceback', self.new_log())
        base.record(SECTION, 'CR LF, NUL, DEL, space, UTF-8 in a bookmark '
                    'path', '302, Location percent-encoded ASCII')

    def test_v3_redirect_keeps_the_query_encoded(self):
        response = base.request(self.service.port, 'GET',
                                '/v3?name=%C3%A9&x=%0d%0a%00')
        self.assertLocation(response, '/v3/', 'name=\u00e9&x=\r\n\x00')
        self.assertNotIn('Traceback', self.new_log())

    def test_show_of_control_bytes(self):
        for segment in SEGMENTS:
            response = self.service.get('/v3/%s/native/backups/%s' % (
                self.project, segment), self.project)
            self.assertFault(response, 404)
        self.assertNotIn('Traceback', self.new_log())

    def test_no_server_header(self):
        for response in [
                self.service.get('/v3/%s/native/backups' % self.project,
                                 self.project),
                self.service.get('/v3/%s/native/backups/x' % self.project,
                                 self.project),
                self.service.get('/'),
                self.service.get('/v3'),
                self.service.get('/healthcheck'),
                base.request(self.service.port, 'GET', '/v3/ HTTP/1.1 x')]:
            self.assertIsNone(response.header('Server'), response.headers)
        base.record(SECTION, 'any request', 'no Server header')
