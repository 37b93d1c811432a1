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

"""vbs-native-status upgrade check against real databases: our schema,
one behind, Cinder's with and without the index, unreadable and absent."""

import os

import fixtures
from oslotest import base as oslotest_base
import sqlalchemy as sa

from tests import fixtures as test_fixtures
from tests.functional.db import base as db_base
from vbs_native.cmd import status

Code = status.Code


class StatusDatabaseTest(oslotest_base.BaseTestCase):

    def checks(self, url, **overrides):
        conf = self.useFixture(test_fixtures.Conf(**overrides)).conf
        conf.set_override('connection', url, group='database')
        return status.Checks(conf)

    def test_own_schema_at_head(self):
        db = self.useFixture(test_fixtures.Database(install=False))
        checks = self.checks(db.url)
        for check in (checks.check_database, checks.check_schema,
                      checks.check_index):
            self.assertEqual(Code.SUCCESS, check().code, check().details)
        self.assertEqual(Code.SUCCESS, checks.check())

    def test_own_schema_behind(self):
        db = self.useFixture(test_fixtures.Database(install=False))
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE vbs_native_alembic_version SET version_num = '0000'"))
        result = self.checks(db.url).check_schema()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('vbs-native-manage db sync', result.details)

    def test_empty_database(self):
        db = self.useFixture(test_fixtures.Database(schema=False,
                                                    install=False))
        result = self.checks(db.url).check_schema()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('db sync', result.details)

    def test_cinder_schema_without_index_warns_with_ddl(self):
        db = self.useFixture(test_fixtures.Database(schema=False,
                                                    install=False))
        db_base.create_cinder_schema(db.engine)
        checks = self.checks(db.url)
        self.assertEqual(Code.SUCCESS, checks.check_schema().code)
        result = checks.check_index()
        self.assertEqual(Code.WARNING, result.code)
        ddl = status.INDEX_DDL.get(db.engine.dialect.name,
                                   status.INDEX_DDL_DEFAULT)
        self.assertIn(ddl, result.details)
        # The statement it gives is the one that silences it.
        with db.engine.begin() as connection:
            connection.execute(sa.text(ddl))
        self.assertEqual(Code.SUCCESS, self.checks(db.url).check_index().code)

    def test_cinder_schema_missing_a_column(self):
        db = self.useFixture(test_fixtures.Database(schema=False,
                                                    install=False))
        db_base.create_cinder_schema(db.engine)
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                'ALTER TABLE backups DROP COLUMN encryption_key_id'))
        result = self.checks(db.url).check_schema()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('encryption_key_id', result.details)

    def test_database_that_does_not_answer(self):
        url = {'sqlite': 'sqlite:////nonexistent/directory/x.sqlite',
               'mysql': 'mysql+pymysql://u:secret@127.0.0.1:1/x',
               'postgresql': 'postgresql+psycopg2://u:secret@127.0.0.1:1/x',
               }[test_fixtures.backend()]
        checks = self.checks(url, **{'vbs_native.database_timeout': 2})
        result = checks.check_database()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('does not answer', result.details)
        self.assertNotIn('secret', result.details)
        self.assertEqual(Code.FAILURE, checks.check())

    def test_replica_checked_too(self):
        db = self.useFixture(test_fixtures.Database(install=False))
        replica = self.useFixture(test_fixtures.Database(schema=False,
                                                         install=False))
        db_base.create_cinder_schema(replica.engine)
        checks = self.checks(db.url)
        checks.conf.set_override('slave_connection', replica.url,
                                 group='database')
        result = checks.check_index()
        self.assertEqual(Code.WARNING, result.code)
        self.assertIn('slave_connection', result.details)

    def test_exit_codes(self):
        db = self.useFixture(test_fixtures.Database(install=False))
        tmp = self.useFixture(fixtures.TempDir()).path

        def run(text):
            path = os.path.join(tmp, 'vbs-native.conf')
            with open(path, 'w') as f:
                f.write('[database]\nconnection = %s\n%s' % (db.url, text))
            return status.main(['--config-file', path, 'upgrade', 'check'])

        keystone = '[keystone_authtoken]\nauth_type = password\n'
        self.assertEqual(0, run('[DEFAULT]\nauth_strategy = keystone\n' +
                                keystone))
        self.assertEqual(1, run('[DEFAULT]\nauth_stratgy = keystone\n' +
                                keystone))
        self.assertEqual(2, run('[DEFAULT]\nauth_strategy = keystone\n'))
        self.assertEqual(2, run('[DEFAULT]\nauth_strategy = noauth\n'
                                'osapi_volume_listen = 0.0.0.0\n'))
        self.assertEqual(255, run('[DEFAULT\n'))
