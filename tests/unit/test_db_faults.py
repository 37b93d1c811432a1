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

"""What counts as the database being unavailable."""

from oslo_db import exception as db_exc
from oslotest import base as oslotest_base
from sqlalchemy import exc as sa_exc

from vbs_native.db import faults
from vbs_native import exception


class TestTranslate(oslotest_base.BaseTestCase):

    def call(self, error):
        @faults.translate
        def function():
            raise error
        return function

    def test_unavailable(self):
        for error in (
                db_exc.DBConnectionError(),
                sa_exc.TimeoutError('QueuePool limit reached'),
                sa_exc.OperationalError('SELECT 1', {}, Exception(1226)),
                db_exc.DBError(sa_exc.OperationalError('x', {}, None))):
            self.assertRaises(exception.DatabaseUnavailable,
                              self.call(error))

    def test_other_errors_pass(self):
        for error in (ValueError('x'), exception.BackupNotFound(backup_id=1),
                      db_exc.DBError(ValueError('x'))):
            self.assertRaises(type(error), self.call(error))


class TestDriverError(oslotest_base.BaseTestCase):

    def test_one_line_without_statement_or_values(self):
        driver = ValueError('canceling statement\nDETAIL: lock wait')
        error = db_exc.DBConnectionError(sa_exc.OperationalError(
            'SELECT * FROM backups WHERE name = %s', ('secret',), driver))
        self.assertEqual('ValueError: canceling statement DETAIL: lock wait',
                         faults.driver_error(error))

    def test_not_from_a_driver(self):
        self.assertEqual('TimeoutError: pool full',
                         faults.driver_error(sa_exc.TimeoutError('pool full')))

    def test_statement_error_without_a_driver_error(self):
        self.assertEqual('OperationalError', faults.driver_error(
            sa_exc.OperationalError('SELECT %s', ('secret',), None)))
