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

"""The database backend of /healthcheck: an answer reused for a while,
and a database that does not answer reported within TIMEOUT."""

import threading
import time
from unittest import mock

import fixtures
from oslotest import base as oslotest_base

from tests import fixtures as test_fixtures
from vbs_native.api import healthcheck


class TestDatabaseHealthcheck(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        conf = self.useFixture(test_fixtures.Conf()).conf
        self.check = healthcheck.DatabaseHealthcheck(conf, {})
        self.ping = self.useFixture(fixtures.MockPatchObject(
            healthcheck, '_ping')).mock

    def test_answer_reused(self):
        for _ in range(5):
            self.assertTrue(self.check.healthcheck(8776).available)
        self.assertEqual(1, self.ping.call_count)
        with mock.patch.object(healthcheck, 'FRESH', 0):
            self.assertTrue(self.check.healthcheck(8776).available)
        self.assertEqual(2, self.ping.call_count)

    def test_error_is_unavailable_without_details(self):
        self.ping.side_effect = RuntimeError('mysql://user:secret@db')
        result = self.check.healthcheck(8776)
        self.assertFalse(result.available)
        self.assertNotIn('secret', '%s %s' % (result.reason, result.details))
        with mock.patch.object(healthcheck, 'FRESH', 0):
            self.ping.side_effect = None
            self.assertTrue(self.check.healthcheck(8776).available)

    def test_silent_database_within_timeout(self):
        release = threading.Event()
        self.addCleanup(release.set)
        self.ping.side_effect = lambda: release.wait(30)
        self.useFixture(fixtures.MockPatchObject(healthcheck, 'TIMEOUT',
                                                 0.2))
        self.useFixture(fixtures.MockPatchObject(healthcheck, 'FRESH', 0))
        for _ in range(2):
            started = time.monotonic()
            self.assertFalse(self.check.healthcheck(8776).available)
            self.assertLess(time.monotonic() - started, 5)
        # The query under way is waited for again, not started twice.
        self.assertEqual(1, self.ping.call_count)
        release.set()
        deadline = time.monotonic() + 5
        while not self.check.healthcheck(8776).available:
            self.assertLess(time.monotonic(), deadline)
