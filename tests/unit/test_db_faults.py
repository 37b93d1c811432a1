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
