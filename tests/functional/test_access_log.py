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

"""The access log: one INFO line per request, in oslo.log's context format,
through the real paste pipeline."""

import io
import logging

from oslo_log import formatters

from tests.functional import base
from tests.functional import data

P = data.PROJECT


class AccessLogTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.stream = io.StringIO()
        handler = logging.StreamHandler(self.stream)
        handler.setFormatter(formatters.ContextFormatter(
            project='vbs-native', version='test', config=self.conf))
        logger = logging.getLogger('vbs_native.api.middleware.requestlog')
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        self.addCleanup(logger.setLevel, level)
        self.addCleanup(logger.removeHandler, handler)

    def lines(self):
        return self.stream.getvalue().splitlines()

    def test_one_line_per_request(self):
        response = self.get('/v3/%s/native/backups?limit=2' % P,
                            user='alice', version='3.45')
        self.assertEqual(200, response.status)
        [line] = self.lines()
        request_id = response.headers['x-openstack-request-id']
        for part in (' INFO ', request_id, 'alice %s' % P,
                     '"GET /v3/%s/native/backups?limit=2"' % P,
                     'status: 200', 'len: %d ' % len(response.body),
                     'microversion: 3.45', 'time: 0.'):
            self.assertIn(part, line)
        # The noauth token names the caller; it is never logged.
        self.assertNotIn('alice:%s' % P, line)

    def test_faults_and_unauthenticated_requests(self):
        self.get('/v3/%s/native/backups?limit=x' % P, user='bob')
        self.get('/v3/%s/native/backups' % P, project=None)
        self.get('/')
        first, second, third = self.lines()
        self.assertIn('status: 400', first)
        self.assertIn('bob %s' % P, first)
        self.assertIn('status: 401', second)
        self.assertIn('"GET /" status: 300', third)
