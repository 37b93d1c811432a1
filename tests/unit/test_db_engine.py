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

"""The engines: oslo.db's options, the bounded waits, and the two changes
made to SQLite engines, which rely on private attributes of SQLAlchemy and
oslo.db and leave the engine alone when those change: these tests fail
then, rather than the service silently getting slower."""

import concurrent.futures
import os
import sqlite3
from unittest import mock
import urllib.parse
import warnings

import fixtures
from oslo_db import options as db_options
from oslo_db.sqlalchemy import enginefacade
from oslotest import base as oslotest_base
import sqlalchemy as sa

from tests import fixtures as test_fixtures
from vbs_native.db import engine as db_engine


class TestFacadeOptions(oslotest_base.BaseTestCase):

    def test_every_option_of_oslo_db(self):
        conf = self.useFixture(test_fixtures.Conf(**{
            'database.max_pool_size': 3})).conf
        options = db_engine.facade_options(conf)
        self.assertEqual(
            {opt.dest for opt in db_options.database_opts}
            - {'synchronous_reader'}, set(options))
        self.assertEqual(3, options['max_pool_size'])
        self.assertEqual(0, options['max_retries'])

    def test_enginefacade_takes_them(self):
        conf = self.useFixture(test_fixtures.Conf()).conf
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            enginefacade.transaction_context().configure(
                synchronous_reader=False, **db_engine.engine_options(
                    conf, db_engine.facade_options(conf)))


class TestEngineOptions(oslotest_base.BaseTestCase):

    def options(self, connection, timeout=10, **extra):
        conf = self.useFixture(test_fixtures.Conf(**{
            'vbs_native.database_timeout': timeout})).conf
        return db_engine.engine_options(conf, dict(connection=connection,
                                                   **extra))

    def params(self, options):
        return dict(urllib.parse.parse_qsl(options['connection_parameters']))

    def test_mysql_drivers(self):
        for driver in ('pymysql', 'mysqldb'):
            options = self.options('mysql+%s://u:p@db/vbs' % driver,
                                   timeout=3)
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


class TestSQLiteEngine(oslotest_base.BaseTestCase):
    """The engine oslo.db makes for an SQLite file, with the hooks."""

    def setUp(self):
        super().setUp()
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'vbs.sqlite')
        facade = enginefacade.transaction_context()
        facade.configure(connection='sqlite:///' + path,
                         synchronous_reader=False)
        db_engine.add_engine_hooks(facade, timeout=7)
        self.engine = facade.writer.get_engine()
        self.addCleanup(self.engine.dispose)

    def test_connections_are_pooled(self):
        self.assertIsInstance(self.engine.pool, sa.pool.QueuePool)
        self.assertEqual(7, self.engine.pool.timeout())
        with self.engine.connect() as connection:
            first = connection.connection.driver_connection
        with self.engine.connect() as connection:
            self.assertIs(first, connection.connection.driver_connection)

    def test_connections_serve_any_thread(self):
        with self.engine.connect() as connection:
            first = connection.connection.driver_connection

        def select():
            with self.engine.connect() as connection:
                value = connection.scalar(sa.text('SELECT 1'))
                return value, connection.connection.driver_connection

        with concurrent.futures.ThreadPoolExecutor(1) as executor:
            value, driver = executor.submit(select).result()
        self.assertEqual(1, value)
        self.assertIs(first, driver)

    def test_no_ping_at_checkout(self):
        with mock.patch.object(self.engine.dialect, 'do_ping') as ping:
            for _request in range(2):
                with self.engine.connect() as connection:
                    connection.execute(sa.text('SELECT 1'))
        ping.assert_not_called()

    def test_pool_rolls_back_what_failed_to(self):
        calls = []

        def rollback(dbapi_connection):
            calls.append(dbapi_connection)
            raise sqlite3.OperationalError('failed')

        with mock.patch.object(self.engine.dialect, 'do_rollback',
                               rollback):
            connection = self.engine.connect()
            connection.execute(sa.text('SELECT 1'))
            driver = connection.connection.driver_connection
            self.assertTrue(driver.in_transaction)
            self.assertRaises(sa.exc.OperationalError, connection.close)
        # The pool's own rollback, kept for this (the functional test
        # test_round_trips shows that it is skipped after a ROLLBACK).
        self.assertEqual(1, len(calls))
        self.assertFalse(driver.in_transaction)

    def test_begin_goes_to_the_driver(self):
        self.assertTrue(sa.event.contains(self.engine, 'begin',
                                          db_engine.sqlite_begin))
        with self.engine.connect() as connection:
            driver = connection.connection.driver_connection
            with connection.begin():
                connection.execute(sa.text('SELECT 1'))
                self.assertTrue(driver.in_transaction)
            self.assertFalse(driver.in_transaction)
