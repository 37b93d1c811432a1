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

"""The access log's line is written when the server closes the body, once
it is sent: never before, and once."""

import logging

import fixtures
from oslotest import base as oslotest_base

from vbs_native.api.middleware import requestlog


class Body(list):
    closed = 0

    def close(self):
        self.closed += 1


class RequestLogTests(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name=requestlog.__name__, level=logging.INFO,
            format='%(message)s'))

    def call(self, body, headers):
        def app(environ, start_response):
            start_response('200 OK', headers)
            return body
        environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/v3/p/x',
                   'QUERY_STRING': 'limit=1', 'SCRIPT_NAME': '',
                   'REMOTE_ADDR': '192.0.2.7'}
        return requestlog.RequestLog(app)(environ, lambda *args: None)

    def test_logged_when_closed(self):
        body = Body([b'{"a": ', b'1}'])
        result = self.call(body, [('Content-Length', '8')])
        self.assertEqual(b'{"a": 1}', b''.join(result))
        self.assertEqual('', self.log.output)
        result.close()
        [line] = self.log.output.splitlines()
        self.assertRegex(line, r'^192\.0\.2\.7 "GET /v3/p/x\?limit=1" '
                               r'status: 200 len: 8 microversion: - '
                               r'time: \d+\.\d{4}$')
        # The body's own close, as the server would have called it.
        self.assertEqual(1, body.closed)

    def test_length_of_a_list_without_content_length(self):
        result = self.call([b'abc', b'de'], [])
        list(result)
        result.close()
        self.assertIn(' len: 5 ', self.log.output)

    def test_not_logged_below_info(self):
        logging.getLogger(requestlog.__name__).setLevel(logging.WARNING)
        body = Body([b'{}'])
        result = self.call(body, [])
        self.assertIs(body, result)
