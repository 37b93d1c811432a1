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

"""Reads on a PostgreSQL hot standby (``[database] slave_connection``)
that lags: its replay paused with ``pg_wal_replay_pause()``. A marker the
standby has not seen yet is placed by the primary, and the page read from
the standby after it; no walk ends with a 404."""

import datetime
import random

import fixtures
from oslotest import base as oslotest_base
import sqlalchemy as sa

from tests.ha import base
from tests.ha import client
from tests.ha import haproxy
from tests.ha import postgresql
from tests.hardening import base as hardening
from tests.harness import processes
from tests.harness import service
from vbs_native.db import models


class TestLaggingReplica(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.pair = self.useFixture(postgresql.Pair())
        self.pair.create_database('vbs')
        primary = self.pair.primary.url('vbs')
        self.project = service.generate(
            self.useFixture(fixtures.TempDir()).path, primary, count=300,
            projects=1, seed=7)[0]
        self.pair.wait_replayed()
        self.primary = self.engine(primary)
        self.standby = self.engine(self.pair.standby.url('vbs'))
        # One node reads the primary, the other the standby.
        self.on_primary = self.useFixture(hardening.Service(
            primary, workers=1))
        self.on_standby = self.useFixture(hardening.Service(
            primary, workers=1, options={
                'database.slave_connection': self.pair.standby.url('vbs')}))
        self.pair.pause()
        self.addCleanup(self.pair.resume)

    def engine(self, url):
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        self.addCleanup(engine.dispose)
        return engine

    def insert(self, count, rng, created_at=None):
        rows = []
        for _ in range(count):
            moment = created_at or datetime.datetime(
                2024, 1, 1) + datetime.timedelta(
                seconds=rng.randint(0, 10 ** 6))
            rows.append(base.new_backup(self.project, moment, rng))
        with self.primary.begin() as connection:
            connection.execute(models.backups.insert(), rows)
        return [row['id'] for row in rows]

    def test_marker_just_created_on_the_primary(self):
        """A client lists the backups after the one it has just created:
        the standby has not got it, and answers after its position."""
        rng = random.Random(4)  # nosec B311: test data
        [created] = self.insert(1, rng, datetime.datetime.utcnow())
        on_standby = base.expected(self.standby, self.project, '')
        self.assertNotIn(created, on_standby)
        walk = client.walk(self, self.on_standby.port, self.project,
                           base.query('') + '&marker=' + created,
                           what='Marker not yet on the standby')
        self.assertEqual(on_standby, walk.ids, walk.summary())

    def test_walks_across_the_primary_and_a_lagging_standby(self):
        """HAProxy sends the pages of a walk to both nodes in turn while
        backups are written on the primary: markers from the node reading
        the primary that the standby lacks end no walk, no row repeats,
        and every row the standby holds comes back in order."""
        rng = random.Random(15)  # nosec B311: test data
        port = processes.free_port()
        self.useFixture(haproxy.HAProxy(haproxy.api_section(
            port, [self.on_primary.port, self.on_standby.port])))
        lacked, written = [], set()
        for sort in base.SORTS:
            on_standby = base.expected(self.standby, self.project, sort)
            written.update(self.insert(60, rng))

            def between(walk):
                written.update(self.insert(2, rng))
                if walk.ids[-1] in written and walk.served_by[-1] == 'api0':
                    lacked.append(walk.ids[-1])
                    walk.notes['markers_the_standby_lacked'] = (
                        walk.notes.get('markers_the_standby_lacked', 0) + 1)

            walk = client.walk(
                self, port, self.project, base.query(sort), between,
                'Walk across the primary and a lagging standby (%s)' % (
                    sort or 'default sort'))
            self.assertEqual([], walk.repeated(), walk.summary())
            self.assertEqual(on_standby,
                             [i for i in walk.ids if i not in written])
        # The standby was asked to place markers it did not have.
        self.assertNotEqual([], lacked)
