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

"""Each request costs its statements and no round trip more, as the
database's own counters show: no ping before it, no BEGIN before it on
PostgreSQL, and no ROLLBACK after it (each read is one statement on its
own).

The application runs in this process, one request at a time, so its
engine pools one connection; the counters are read on that connection.
"""

import sqlalchemy as sa

from tests import fixtures
from tests.functional.db import base
from vbs_native.db import engine as db_engine

REQUESTS = 10


class TestRoundTrips(base.TestCase):

    def setUp(self):
        super().setUp()
        if self.dialect == 'sqlite':
            self.skipTest('SQLite has no round trips')
        self.insert([base.backup('b%02d' % number, created_at=base.at(number))
                     for number in range(5)],
                    [('b04', 'tier', 'gold'), ('b03', 'a', '1'),
                     ('b03', 'b', '2')])
        conf = self.useFixture(fixtures.Conf()).conf
        self.app = self.useFixture(fixtures.Application(conf)).app
        self.engine = db_engine.get_engine()

    def counters(self):
        """The counters of the pool's one connection."""
        self.assertEqual(1, self.engine.pool.checkedin(),
                         self.engine.pool.status())
        with self.engine.connect() as connection:
            if self.dialect == 'postgresql':
                # This backend's counts, shared now rather than later.
                connection.exec_driver_sql(
                    'SELECT pg_stat_force_next_flush()').all()
                connection.exec_driver_sql(
                    'SELECT pg_stat_clear_snapshot()').all()
                row = connection.exec_driver_sql(
                    'SELECT xact_commit, xact_rollback FROM '
                    'pg_stat_database WHERE datname = current_database()'
                ).one()
                return {'transactions': row[0], 'rollbacks': row[1]}
            rows = connection.execute(sa.text(
                'SHOW SESSION STATUS WHERE Variable_name IN '
                "('Questions', 'Com_select', 'Com_admin_commands')"))
            return {name: int(value) for name, value in rows}

    def sent(self, path):
        """The counters' changes over REQUESTS GETs of ``path``, less what
        reading them costs."""
        base.get(self, self.app, path)  # the connection is made
        baseline = self.delta(lambda: None)
        counted = self.delta(lambda: [base.get(self, self.app, path)
                                      for _request in range(REQUESTS)])
        return {name: counted[name] - baseline[name] for name in counted}

    def delta(self, action):
        before = self.counters()
        action()
        after = self.counters()
        return {name: after[name] - before[name] for name in after}

    def assertRoundTrips(self, path, statements):
        sent = self.sent(path)
        if self.dialect == 'postgresql':
            # Each statement its own transaction: no BEGIN, no ROLLBACK,
            # and no ping (which would be a transaction more).
            self.assertEqual({'transactions': REQUESTS * statements,
                              'rollbacks': 0}, sent)
        else:
            # The statements alone: no ROLLBACK, no ping (an admin
            # command).
            self.assertEqual({'Com_select': REQUESTS * statements,
                              'Questions': REQUESTS * statements,
                              'Com_admin_commands': 0}, sent)

    def test_list(self):
        self.assertRoundTrips('/v3/%s/native/backups?limit=2' % base.PROJECT,
                              1)

    def test_list_with_count_and_marker(self):
        # The marker's row, then the page and its count in one statement.
        self.assertRoundTrips('/v3/%s/native/backups?limit=2&marker=b03&'
                              'with_count=true' % base.PROJECT, 2)

    def test_detail(self):
        # The page with its metadata (3.43 and later) in one statement.
        self.assertRoundTrips('/v3/%s/native/backups/detail?limit=2' %
                              base.PROJECT, 1)

    def test_show(self):
        # The row, then its metadata (3.43 and later).
        self.assertRoundTrips('/v3/%s/native/backups/b01' % base.PROJECT, 2)
