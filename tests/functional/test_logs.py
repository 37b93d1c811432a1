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

"""What the log holds when a statement fails, on each database: never the
values of the statement's parameters (the caller's filter values)."""

import logging
import uuid

import fixtures
import sqlalchemy as sa

from tests.functional import base
from tests.functional import data


class TestFailedStatementLogs(base.APITestCase):

    def test_no_parameter_values(self):
        logger = self.useFixture(fixtures.FakeLogger(level=logging.INFO))
        # Not the access log, whose lines show each request's URL (as any
        # server's do), the filters in it.
        access = logging.getLogger('vbs_native.api.middleware.requestlog')
        self.addCleanup(access.setLevel, access.level)
        access.setLevel(logging.WARNING)
        secret = 'secret-%s' % uuid.uuid4().hex
        target = '/v3/%s/native/backups/detail?name=%s' % (data.PROJECT,
                                                           secret)
        # Once with the tables: the service learns the database first.
        self.get_json(target)
        with self.db.engine.begin() as connection:
            connection.execute(sa.text('DROP TABLE backup_metadata'))
            connection.execute(sa.text('DROP TABLE backups'))
        response = self.get(target)
        # The table is gone: SQLite calls that an operational error (503),
        # the servers a programming error (500).
        self.assertIn(response.status, (500, 503), response)
        # The failure is logged (the id of its request is in the format
        # of the service's log, which the hardening tests read), the value
        # is not.
        self.assertIn('backups', logger.output)
        self.assertNotIn(secret, logger.output)
