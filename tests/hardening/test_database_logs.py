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

"""What the log says when a query fails under the real service: the
request id of the request it failed for, and never the values of the
query's parameters (the caller's filter values). A lock wait on MariaDB
makes the query fail: another session holds a write lock on the table
for longer than ``database_timeout``."""

import os
import uuid

from tests.hardening import base

TIMEOUT = 2  # [vbs_native] database_timeout of the service under test
SECTION = 'Database faults'
ACCESS_LOG = ' vbs_native.api.middleware.requestlog '


class TestDatabaseLogs(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(base.MySQLDatabase(count=20, projects=1))
        self.project = self.db.project_ids[0]
        self.service = self.useFixture(base.Service(
            self.db.url(), workers=1,
            options={'vbs_native.database_timeout': TIMEOUT}))

    def log(self):
        """The service's log but its access log, whose lines show each
        request's URL (as any server's do), the filters in it."""
        with open(os.path.join(self.service.directory, 'api.log'),
                  errors='replace') as stream:
            return ''.join(line for line in stream if ACCESS_LOG not in line)

    def test_failed_query_logs_request_id_not_parameters(self):
        secret = 'secret-%s' % uuid.uuid4().hex
        target = ('/v3/%s/native/backups?name=%s&volume_id~=%s-v' % (
            self.project, secret, secret))
        self.assertEqual(200, self.service.get(
            target, self.project, version='3.45').status)
        logged = len(self.log())
        lock = self.db.engine.connect()
        self.addCleanup(lock.close)
        lock.exec_driver_sql('LOCK TABLES backups WRITE')
        try:
            response = self.service.get(target, self.project,
                                        version='3.45')
        finally:
            lock.exec_driver_sql('UNLOCK TABLES')
        self.assertFault(response, 503)
        request_id = response.header('x-openstack-request-id')
        log = self.log()
        self.assertNotIn(secret, log)
        # What the failure logged: the reason, on lines that each name
        # the request.
        lines = log[logged:].splitlines()
        self.assertTrue([line for line in lines if ' WARNING ' in line],
                        log[-3000:])
        for line in lines:
            self.assertIn(request_id, line)
        base.record(SECTION, 'a query waits on a table lock past '
                    'database_timeout',
                    '%s; the log names the request id, no parameter '
                    'values' % base.describe(response))

    def test_failed_statement_logs_no_parameters(self):
        """A statement the database refuses (its table gone) is a 500; the
        traceback in the log shows the statement, not its values."""
        secret = 'secret-%s' % uuid.uuid4().hex
        target = '/v3/%s/native/backups/detail?name=%s' % (
            self.project, secret)
        self.assertEqual(200, self.service.get(target, self.project).status)
        self.db.admin_sql('RENAME TABLE %s.backups TO %s.backups_gone' % (
            self.db.name, self.db.name))
        response = self.service.get(target, self.project)
        self.assertFault(response, 500)
        log = self.log()
        self.assertIn('Request %s failed' % response.header(
            'x-openstack-request-id'), log)
        self.assertIn('[SQL: SELECT', log)
        self.assertNotIn(secret, log)
        base.record(SECTION, 'a statement the database refuses (its table '
                    'gone)', '%s; the log shows the statement, no '
                    'parameter values' % base.describe(response))
