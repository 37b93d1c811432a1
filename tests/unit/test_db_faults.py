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
