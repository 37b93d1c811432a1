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

"""When a read runs again on a new connection."""

import contextlib

from oslo_db import exception as db_exc
from oslotest import base as oslotest_base
from sqlalchemy import exc as sa_exc

from vbs_native.db import reconnect


def lost(invalidated=True):
    """SQLAlchemy's error for a statement on a connection the server
    closed, as raised with its error events skipped."""
    return sa_exc.OperationalError(
        'SELECT 1', {}, Exception(2013, 'Lost connection'),
        connection_invalidated=invalidated)


class TestRun(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.connections = []

    def connect(self, error=None):
        @contextlib.contextmanager
        def checkout():
            if error is not None:
                raise error
            self.connections.append(len(self.connections))
            yield self.connections[-1]
        return checkout

    def run_with(self, *outcomes, connect=None):
        """run() whose work raises or returns each outcome in turn."""
        outcomes = list(outcomes)

        def work(connection):
            outcome = outcomes.pop(0)
            if isinstance(outcome, Exception):
                raise outcome
            return (outcome, connection)
        return reconnect.run(connect or self.connect(), work)

    def test_once_when_it_works(self):
        self.assertEqual(('page', 0), self.run_with('page'))
        self.assertEqual([0], self.connections)

    def test_again_on_a_new_connection_when_dropped(self):
        for error in (db_exc.DBConnectionError(lost()), lost()):
            self.connections.clear()
            self.assertEqual(('page', 1), self.run_with(error, 'page'))

    def test_not_a_third_time(self):
        error = self.assertRaises(
            db_exc.DBConnectionError, self.run_with,
            lost(), db_exc.DBConnectionError(lost()), 'page')
        self.assertIsInstance(error.inner_exception, sa_exc.OperationalError)
        self.assertEqual([0, 1], self.connections)

    def test_other_errors_not_again(self):
        for error in (lost(invalidated=False), db_exc.DBError(lost()),
                      ValueError('x')):
            self.connections.clear()
            self.assertIs(error, self.assertRaises(
                type(error), self.run_with, error, 'page'))
            self.assertEqual([0], self.connections)

    def test_no_connection_made_not_again(self):
        calls = []
        failing = self.connect(db_exc.DBConnectionError(lost()))

        def connect():
            calls.append(1)
            return failing()
        self.assertRaises(db_exc.DBConnectionError, self.run_with, 'page',
                          connect=connect)
        self.assertEqual(1, len(calls))
