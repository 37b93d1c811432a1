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

"""vbs-native on a three-node MariaDB Galera cluster, as operators run it:
two API nodes behind HAProxy, and the database through HAProxy's Galera
frontend (one writer node, the others backups, health checks), with
``[database] mysql_wsrep_sync_wait = 1``."""

import datetime
import random
import threading
import uuid

from oslotest import base as oslotest_base
import sqlalchemy as sa

from tests.ha import base
from tests.ha import client
from tests.ha import daemons
from tests.ha import galera
from tests.ha import haproxy
from tests.hardening import base as hardening
from tests.harness import processes
from vbs_native.db import models


class TestGalera(oslotest_base.BaseTestCase):
    """One cluster, database, API nodes and HAProxy for the tests: the
    cluster takes about 20 s to come up. Each test works out what it
    expects from the database when it starts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fixtures = []
        try:
            cls._start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _use(cls, fixture):
        fixture.setUp()
        cls.fixtures.append(fixture)
        return fixture

    @classmethod
    def _start(cls):
        cls.cluster = cls._use(galera.Cluster())
        cls.database = cls._use(galera.Database(cls.cluster, count=300))
        cls.project = cls.database.project_ids[0]
        cls.db_port = processes.free_port()
        cls.nodes = [cls._use(hardening.Service(
            cls.database.url(port=cls.db_port), workers=1, options={
                'database.mysql_wsrep_sync_wait': 1}))
            for _ in range(2)]
        cls.port = processes.free_port()
        cls.proxy = cls._use(haproxy.HAProxy(
            haproxy.galera_section(
                cls.db_port, [node.port for node in cls.cluster.nodes],
                galera.CHECK_USER),
            haproxy.api_section(cls.port,
                                [node.port for node in cls.nodes])))

    @classmethod
    def tearDownClass(cls):
        for fixture in reversed(cls.fixtures):
            fixture.cleanUp()
        super().tearDownClass()

    def engine(self, node):
        """An engine on the test database, straight to ``node``."""
        engine = sa.create_engine(
            self.database.url(port=node.port), poolclass=sa.pool.NullPool)
        self.addCleanup(engine.dispose)
        return engine

    def write_behind(self, node, backup):
        """Hold ``node``'s applier back (FLUSH TABLES WITH READ LOCK), then
        insert ``backup`` on another node: it reaches ``node`` but is not
        applied there until UNLOCK TABLES on the connection returned."""
        held = node.admin()
        self.addCleanup(held.close)
        with held.cursor() as cursor:
            cursor.execute('FLUSH TABLES WITH READ LOCK')
        other = next(n for n in self.cluster.nodes if n is not node)
        with self.engine(other).begin() as connection:
            connection.execute(models.backups.insert(), [backup])
        return held

    def restart(self, node):
        self.cluster.restart(node)
        self.proxy.wait_state('galera', node.name, 'UP')

    def test_walks_survive_a_database_node_dying(self):
        """Each node in turn dies mid-walk and comes back later in it. The
        first, HAProxy's writer, dies while it serves a page; the others
        die between pages, holding the API's connections or not."""
        for node, sort in zip(self.cluster.nodes, base.SORTS):
            expected = base.expected(self.database.engine, self.project,
                                     sort)
            serving = node is self.cluster.nodes[0]

            def between(walk):
                if walk.pages == 4:
                    if serving:
                        self.kill_while_reading(node)
                    else:
                        node.kill()
                elif walk.pages == 12:
                    self.restart(node)

            walk = client.walk(
                self, self.port, self.project, base.query(sort), between,
                'Galera %s killed %s, restarted' % (
                    node.name,
                    'serving a page' if serving else 'between pages'))
            self.assertEqual(expected, walk.ids, walk.summary())
            # A page in flight is read again on a new connection, which
            # HAProxy sends to a live node; unless it still sends it to
            # the dead one: then that page is one 503, with Retry-After.
            failures = [{}, {503: 1}] if serving else [{}]
            self.assertIn(walk.failures, failures, walk.summary())
            self.assertEqual(['5'] * sum(walk.failures.values()),
                             walk.retry_after)

    def kill_while_reading(self, node):
        """Kill ``node`` as soon as the API reads on it. The node's applier
        is held back and a backup of another project written on another
        node, so the read (wsrep_sync_wait) waits on the node for it."""
        self.write_behind(node, base.new_backup(
            uuid.uuid4().hex, datetime.datetime(2000, 1, 1)))

        def kill():
            daemons.wait_for(lambda: reading(node, self.database.user),
                             60, 'the API reading on %s' % node.name)
            node.kill()

        killer = threading.Thread(target=kill)
        killer.start()
        self.addCleanup(killer.join, 60)

    def test_a_backup_written_on_one_node_is_in_the_next_page(self):
        """Written on another node, read on the first (HAProxy's
        writer) while its applier is held back: the read waits for the
        write instead of answering without it."""
        first = self.cluster.nodes[0]
        self.proxy.wait_state('galera', first.name, 'UP')
        walk = client.Walk()
        target = '/v3/%s/native/backups?limit=' % self.project
        page = client.get(self.port, target + '5', self.project,
                          walk).json()
        marker = page['backups'][-1]['id']
        backup = base.new_backup(self.project, datetime.datetime(2000, 1, 1))

        held = self.write_behind(first, backup)

        answers = []
        reader = threading.Thread(target=lambda: answers.append(client.get(
            self.port, target + '1000&marker=%s' % marker,
            self.project, walk)))
        reader.start()
        self.addCleanup(reader.join, 60)
        # The read waits on the first node until its applier catches up.
        daemons.wait_for(
            lambda: answers or reading(first, self.database.user), 60,
            'the next page answered, or waiting on the node')
        with held.cursor() as cursor:
            cursor.execute('UNLOCK TABLES')
        reader.join(60)
        ids = [item['id'] for item in answers[0].json()['backups']]
        self.assertIn(backup['id'], ids)
        self.assertEqual(backup['id'], ids[-1])

    def test_an_api_node_dying_while_serving_a_page(self):
        """HAProxy sends the request again to another node (retry-on
        empty-response): the client gets its page and sees no error."""
        first = self.cluster.nodes[0]
        self.proxy.wait_state('galera', first.name, 'UP')
        # The page waits on the first node until UNLOCK TABLES.
        held = self.write_behind(first, base.new_backup(
            uuid.uuid4().hex, datetime.datetime(2000, 1, 1)))
        walk = client.Walk()
        answers = []
        reader = threading.Thread(target=lambda: answers.append(client.get(
            self.port, '/v3/%s/native/backups?limit=5' % self.project,
            self.project, walk)))
        reader.start()
        self.addCleanup(reader.join, 60)
        [serving] = daemons.wait_for(
            lambda: reading(first, self.database.user) and self.proxy.busy(
                'vbs_native_api'), 60, 'an API node serving the page')
        node = self.nodes[int(serving[len('api'):])]
        node.kill()
        self.addCleanup(self.proxy.wait_state, 'vbs_native_api', serving,
                        'UP')
        self.addCleanup(node.wait, 60)
        self.addCleanup(node.start)
        with held.cursor() as cursor:
            cursor.execute('UNLOCK TABLES')
        reader.join(60)
        self.assertEqual(200, answers[0].status, answers[0].body[:300])
        self.assertNotEqual(serving, answers[0].header('X-Served-By'))
        self.assertEqual({}, walk.failures, walk.summary())
        self.assertEqual(
            base.expected(self.database.engine, self.project, '')[:5],
            [item['id'] for item in answers[0].json()['backups']])

    def test_inserts_and_soft_deletes_during_walks(self):
        """After each page Cinder creates two backups and soft-deletes
        one, on each node in turn: no walk repeats a row, and every row
        live for the whole walk comes back, in order."""
        rng = random.Random(15)  # nosec B311: test data
        engines = [self.engine(node) for node in self.cluster.nodes]
        for sort in base.SORTS:
            before = base.live_rows(self.database.engine, self.project)
            order = base.expected(self.database.engine, self.project, sort)
            written, deleted = set(), set()

            def between(walk):
                engine = engines[walk.pages % len(engines)]
                now = datetime.datetime.utcnow().replace(microsecond=0)
                rows = [base.new_backup(self.project, now, rng)
                        for _ in range(2)]
                live = sorted(set(before) - deleted)
                gone = rng.choice(live)
                with engine.begin() as connection:
                    connection.execute(models.backups.insert(), rows)
                    connection.execute(
                        models.backups.update()
                        .where(models.backups.c.id == gone)
                        .values(deleted=True, deleted_at=now,
                                updated_at=now, status='deleted'))
                written.update(row['id'] for row in rows)
                deleted.add(gone)

            walk = client.walk(
                self, self.port, self.project, base.query(sort), between,
                'Writes during the walk (%s)' % (sort or 'default sort'))
            self.assertEqual([], walk.repeated(), walk.summary())
            self.assertLessEqual(set(walk.ids), set(before) | written)
            stable = [i for i in order if i not in deleted]
            self.assertEqual(stable,
                             [i for i in walk.ids if i in set(stable)])
            self.assertGreater(len(deleted), 20)


def reading(node, user):
    """Whether ``user`` is running a statement on the node (waiting for
    the node to apply the cluster's writes, with wsrep_sync_wait: the
    page's SELECT, or oslo.db's ping of a pooled connection)."""
    with node.admin() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.processlist "
            "WHERE user = %s AND command = 'Query'", (user,))
        return cursor.fetchone()[0] > 0
