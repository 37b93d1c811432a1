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

"""vbs-native on a real Cinder database, read-only.

The database is made by ``cinder-manage db sync`` of cinder 29.0.0 on a
fresh MariaDB database and filled by Cinder's own DB API. The standalone
vbs-native-api reads it as a MariaDB user that may only SELECT; its answers
on Cinder's paths (``/v3/{project_id}/backups...``) are compared with real
cinder-api's for the same requests and the same caller, and the database
is shown unchanged afterwards.
"""

import itertools
import os
import subprocess

import pymysql

from tests.cinder import base
from tests.cinder import data
from tests.cinder import environment as env_module
from tests.cinder import test_plugin

P = data.PROJECT
ADMIN = env_module.persona('u-admin', P, ['admin', 'reader'])


class CinderDatabaseTest(base.TestCase):
    """Standalone vbs-native (noauth, the same X-User-Id, X-Project-Id and
    X-Roles headers) against Cinder's keystone pipeline."""

    @property
    def cinder(self):
        return self.env.cinder['stock-keystone']

    def _compare_lists(self, queries, headers):
        compared = 0
        for version, (path, query, lowest) in itertools.product(
                test_plugin.VERSIONS, queries):
            if not test_plugin._in_version(version, lowest):
                continue
            what = '%s %s %s %s' % (version, path, query, headers)
            url = '/v3/%s/backups%s' % (P, path)
            mine = self.get(self.env.standalone, url, headers, version,
                            query)
            theirs = self.get(self.cinder, url, headers, version, query)
            self.assertEqual(200, theirs.status_code, what + theirs.text)
            self.assertSameList(_same_host(mine, self.env.standalone,
                                           self.cinder),
                                theirs, headers, version, what)
            compared += 1
        return compared

    def test_lists_reader(self):
        self.assertGreater(
            self._compare_lists(test_plugin.QUERIES, env_module.READER), 100)

    def test_lists_admin(self):
        self._compare_lists(test_plugin.QUERIES + test_plugin.ADMIN_QUERIES,
                            ADMIN)

    def test_show(self):
        for headers, version, row in itertools.product(
                (env_module.READER, ADMIN, env_module.OTHER_READER),
                ('3.0', '3.18', '3.43', '3.56', '3.64', '3.71'),
                data.backups()):
            url = '/v3/%s/backups/%s' % (headers['X-Project-Id'], row['id'])
            mine = self.get(self.env.standalone, url, headers, version)
            theirs = self.get(self.cinder, url, headers, version)
            what = '%s %s %s' % (version, row['id'], headers)
            self.assertEqual(theirs.status_code, mine.status_code, what)
            self.assertEqual(
                theirs.json(),
                _same_host(mine, self.env.standalone, self.cinder).json(),
                what)

    def test_detail_fields(self):
        """Ids, names, order and every detail field, as Cinder has them."""
        url = '/v3/%s/backups/detail?limit=1000' % P
        mine = self.walk(self.env.standalone.url + url, ADMIN, '3.71')[0]
        theirs = self.walk(self.cinder.url + url, ADMIN, '3.71')[0]
        self.assertEqual(base.live_ids(), mine)
        self.assertEqual(theirs, mine)

    def test_errors(self):
        for query, version in test_plugin.ERRORS:
            url = '/v3/%s/backups' % P
            self.assertSameError(
                self.get(self.env.standalone, url, env_module.READER,
                         version, query),
                self.get(self.cinder, url, env_module.READER, version,
                         query),
                '%s %s' % (query, version))


def _same_host(response, mine, theirs):
    """The response as if it came from ``theirs``' host and port."""
    response._content = response.content.replace(
        mine.url.encode(), theirs.url.encode())
    return response


class ReadOnlyTest(base.TestCase):
    """vbs-native never writes to Cinder's database."""

    def test_user_may_only_select(self):
        db = self.env.db
        with db.connect() as conn, conn.cursor() as cur:
            cur.execute("SHOW GRANTS FOR '%s'@'%%'" % db.ro_user)
            grants = [row[0] for row in cur.fetchall()]
        privileges = [grant.split(' ON ')[0] for grant in grants]
        self.assertEqual(['GRANT USAGE', 'GRANT SELECT', 'GRANT SELECT'],
                         sorted(privileges, reverse=True), grants)
        ro = pymysql.connect(host=db.host, port=db.port, user=db.ro_user,
                             password=db.ro_password, database=db.name)
        with ro, ro.cursor() as cur:
            for statement in (
                    "UPDATE backups SET display_name = 'x'",
                    "DELETE FROM backup_metadata",
                    "SELECT * FROM volumes",
                    "CREATE TABLE vbs_native_alembic_version (x INT)"):
                self.assertRaises(pymysql.err.MySQLError,
                                  cur.execute, statement)

    def test_manage_refuses_cinder_database(self):
        """Even with a user that could write, vbs-native-manage refuses a
        database that ``db sync`` did not create."""
        conf = os.path.join(self.env.dir, 'vbs-native-writable.conf')
        with open(conf, 'w') as f:
            f.write('[database]\nconnection = %s\n' % self.env.db.url())
        manage = os.path.join(env_module.BIN, 'vbs-native-manage')
        for command in (['db', 'sync'],
                        ['backup', 'generate', '--count', '3']):
            result = subprocess.run(
                [manage, '--config-file', conf] + command,
                capture_output=True, text=True)
            self.assertNotEqual(0, result.returncode, command)
            self.assertIn('not created by vbs-native-manage db sync',
                          result.stdout + result.stderr)

    def test_database_unchanged(self):
        """After every kind of request, to every server: the schema, row
        counts and table checksums are as Cinder's code left them."""
        headers = (env_module.READER, ADMIN, env_module.MEMBER_ONLY)
        servers = [self.env.standalone] + [
            self.env.cinder[name] for name in ('filter-noauth',
                                               'filter-keystone',
                                               'filter-keystone-routes')]
        for server, persona in itertools.product(servers, headers):
            for path, query in (
                    ('/v3/%s/backups/detail' % P, {'with_count': 'true'}),
                    ('/v3/%s/native/backups' % P, {'all_tenants': '1'}),
                    ('/v3/%s/native/backups/detail' % P, {'limit': 2}),
                    ('/v3/%s/native/backups/%s' % (P, base.live_ids()[0]),
                     None)):
                self.get(server, path, persona, '3.71', query)
        self.assertEqual(self.env.fingerprint, self.env.db.fingerprint())
