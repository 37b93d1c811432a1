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

"""vbs-native-manage on the run's database: the schema, loading and
generating backups, and refusing any database it did not create."""

import collections
import io
import json
import os

import fixtures
from oslotest import base as oslotest_base
import sqlalchemy as sa

from tests import fixtures as test_fixtures
from tests.functional.db import base as db_base
from vbs_native.cmd import manage
from vbs_native.db import migration
from vbs_native.db import models


class TestManage(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.directory = self.useFixture(fixtures.TempDir()).path

    def use_database(self, schema):
        self.db = self.useFixture(test_fixtures.Database(
            schema=schema, install=False))
        self.config = os.path.join(self.directory, 'vbs-native.conf')
        with open(self.config, 'w') as handle:
            handle.write('[DEFAULT]\nstate_path = %s\n[database]\n'
                         'connection = %s\n' % (self.directory, self.db.url))

    def manage(self, *args):
        out = self.useFixture(fixtures.MonkeyPatch('sys.stdout',
                                                   io.StringIO())).new_value
        err = self.useFixture(fixtures.MonkeyPatch('sys.stderr',
                                                   io.StringIO())).new_value
        status = manage.main(['--config-file', self.config] + list(args))
        return status, out.getvalue(), err.getvalue()

    def rows(self):
        with self.db.engine.connect() as connection:
            return [row._asdict() for row in connection.execute(
                sa.select(models.backups).order_by(models.backups.c.id))]

    def metadata(self):
        with self.db.engine.connect() as connection:
            return sorted(tuple(row) for row in connection.execute(
                sa.select(models.backup_metadata.c.backup_id,
                          models.backup_metadata.c.key,
                          models.backup_metadata.c.value)))

    def write_json(self, items):
        path = os.path.join(self.directory, 'backups.json')
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(items, handle)
        return path

    def test_db_sync_and_version(self):
        self.use_database(schema=False)
        self.assertEqual((0, 'None\n'), self.manage('db', 'version')[:2])
        status, out, _err = self.manage('db', 'sync')
        self.assertEqual(0, status)
        self.assertIn(migration.head(), out)
        self.assertEqual((0, migration.head() + '\n'),
                         self.manage('db', 'version')[:2])
        # Again: nothing to do, nothing broken.
        self.assertEqual(0, self.manage('db', 'sync')[0])
        self.assertEqual([], self.rows())

    def test_load(self):
        self.use_database(schema=True)
        path = self.write_json([
            {'id': 'b1', 'project_id': 'p1', 'volume_id': 'v1',
             'display_name': 'Résumé', 'status': 'available', 'size': 2,
             'created_at': '2024-01-01T00:00:05Z',
             'metadata': {'tier': 'gold'}},
            {'id': 'b2', 'project_id': 'p1', 'volume_id': 'v1',
             'deleted': True, 'created_at': '2024-01-01T00:00:06'},
        ])
        self.assertEqual((0, 'Loaded 2 backups\n'),
                         self.manage('backup', 'load', path)[:2])
        first, second = self.rows()
        self.assertEqual(('b1', 'Résumé', 2, False),
                         (first['id'], first['display_name'], first['size'],
                          bool(first['deleted'])))
        self.assertEqual(db_base.at(5), first['created_at'])
        self.assertTrue(second['deleted'])
        self.assertEqual([('b1', 'tier', 'gold')], self.metadata())

    def test_load_refuses_bad_files_and_writes_nothing(self):
        self.use_database(schema=True)
        for items, complaint in [
                ({'id': 'b1'}, 'expected a JSON list'),
                ([{'name': 'no id'}], 'item 0 is not a backup'),
                ([{'id': 'b1', 'volume_id': 'v'},
                  {'id': 'b2', 'colour': 'red'}], 'unknown columns: colour')]:
            status, _out, err = self.manage('backup', 'load',
                                            self.write_json(items))
            self.assertEqual(1, status)
            self.assertIn(complaint, err)
        self.assertEqual([], self.rows())

    def test_generate(self):
        self.use_database(schema=True)
        status, out, _err = self.manage('backup', 'generate', '--count',
                                        '900', '--projects', '3')
        self.assertEqual(0, status)
        rows = self.rows()
        self.assertEqual(900, len(rows))
        projects = collections.Counter(row['project_id'] for row in rows)
        self.assertEqual(sorted(projects), sorted(out.split(': ')[1].split()))
        # Most in the first project named; some soft-deleted; many backups
        # share a creation second with another.
        self.assertEqual(out.split(': ')[1].split()[0],
                         projects.most_common(1)[0][0])
        deleted = sum(1 for row in rows if row['deleted'])
        self.assertTrue(45 < deleted < 160, deleted)
        seconds = collections.Counter(row['created_at'] for row in rows)
        self.assertGreater(sum(n for n in seconds.values() if n > 1), 100)

    def test_generate_leaves_statistics(self):
        """The planner knows the rows at once (no autovacuum needed).
        MariaDB's InnoDB gathers statistics itself, so there is nothing
        there that would fail without it."""
        self.use_database(schema=True)
        dialect = self.db.engine.dialect.name
        statistics = {
            'sqlite': "SELECT count(*) FROM sqlite_master WHERE name = "
                      "'sqlite_stat1'",
            'postgresql': "SELECT reltuples FROM pg_class WHERE relname = "
                          "'backups' AND relnamespace = "
                          "'public'::regnamespace"}.get(dialect)
        if statistics is None:
            self.skipTest('%s keeps its statistics itself' % dialect)
        self.assertEqual(0, self.manage('backup', 'generate', '--count',
                                        '300')[0])
        with self.db.engine.connect() as connection:
            self.assertGreaterEqual(
                connection.scalar(sa.text(statistics)),
                300 if dialect == 'postgresql' else 1)

    def test_generate_is_repeatable(self):
        self.use_database(schema=True)
        generate = ('backup', 'generate', '--count', '50', '--seed', '7')
        self.assertEqual(0, self.manage(*generate)[0])
        first = self.rows()
        self.assertEqual(50, len(first))
        with self.db.engine.begin() as connection:
            connection.execute(sa.delete(models.backup_metadata))
            connection.execute(sa.delete(models.backups))
        self.assertEqual(0, self.manage(*generate)[0])
        self.assertEqual(first, self.rows())

    def test_refuses_a_database_it_did_not_create(self):
        # Cinder's tables, without our version table: a Cinder database.
        self.use_database(schema=False)
        db_base.create_cinder_schema(self.db.engine)
        path = self.write_json([{'id': 'b1', 'volume_id': 'v'}])
        for args in (('db', 'sync'), ('backup', 'load', path),
                     ('backup', 'generate', '--count', '5')):
            status, _out, err = self.manage(*args)
            self.assertEqual(1, status, args)
            self.assertIn('Refusing to write', err)
        self.assertEqual([], self.rows())
        self.assertNotIn(migration.VERSION_TABLE,
                         sa.inspect(self.db.engine).get_table_names())
