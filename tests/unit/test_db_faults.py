"""The bounded waits on the database, and what counts as unavailable."""

import urllib.parse

from oslo_db import exception as db_exc
from oslotest import base as oslotest_base
from sqlalchemy import exc as sa_exc

from tests import fixtures as test_fixtures
from vbs_native.db import faults
from vbs_native import exception


class TestEngineOptions(oslotest_base.BaseTestCase):

    def options(self, connection, timeout=10, **extra):
        conf = self.useFixture(test_fixtures.Conf(**{
            'vbs_native.database_timeout': timeout})).conf
        return faults.engine_options(conf, dict(connection=connection,
                                                **extra))

    def params(self, options):
        return dict(urllib.parse.parse_qsl(options['connection_parameters']))

    def test_pymysql(self):
        options = self.options('mysql+pymysql://u:p@db/vbs', timeout=3)
        self.assertEqual(3, options['pool_timeout'])
        self.assertEqual({'connect_timeout': '3', 'read_timeout': '3',
                          'write_timeout': '3'}, self.params(options))

    def test_operator_values_win(self):
        options = self.options(
            'mysql+pymysql://u:p@db/vbs?read_timeout=60',
            connection_parameters='connect_timeout=5', pool_timeout=30)
        self.assertEqual(30, options['pool_timeout'])
        self.assertEqual({'connect_timeout': '5', 'write_timeout': '10'},
                         self.params(options))

    def test_postgresql(self):
        options = self.options('postgresql+psycopg2://u:p@db/vbs')
        self.assertEqual({'connect_timeout': '10',
                          'options': '-c statement_timeout=10000'},
                         self.params(options))

    def test_sqlite_has_no_pool(self):
        options = self.options('sqlite:////tmp/x.sqlite')
        self.assertIsNone(options.get('pool_timeout'))
        self.assertFalse(options.get('connection_parameters'))


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
