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

"""The OpenStack clients people use, against the standalone service and
against the filter inside cinder-api, with the native endpoint
``http://HOST:PORT/v3/{project_id}/native``: python-cinderclient's
``cinder``, openstacksdk and the ``openstack`` CLI.

Every server here pages at 7 rows, so each full listing takes several
pages: each must return exactly the expected backups, none lost or
repeated, and exit 0.
"""

import ast
import json
import os

import openstack

from tests.cinder import base
from tests.cinder import data
from tests.cinder import environment as env_module

P = data.PROJECT
USER = data.USER


def _sorted_by_name(rows):
    """CONTRACT's order for sort=name:asc: NULL first, then by code point,
    then created_at and id in the same direction."""
    return sorted(rows, key=lambda row: (
        row['display_name'] is not None, row['display_name'] or '',
        row['created_at'], row['id']))


def _table(output):
    """The rows of a prettytable as dicts keyed by its header."""
    lines = [line for line in output.splitlines() if line.startswith('|')]
    header = [cell.strip() for cell in lines[0].strip('|').split('|')]
    return [dict(zip(header, [cell.strip() for cell in
                              line.strip('|').split('|')]))
            for line in lines[1:]]


class _Clients:

    # Whether the server makes this caller an admin (Cinder's noauth does).
    admin = None

    @property
    def server(self):
        raise NotImplementedError

    @property
    def endpoint(self):
        return '%s/v3/%s/native' % (self.server.url, P)

    # -- python-cinderclient ------------------------------------------

    def cinder(self, *args, version=None):
        argv = [os.path.join(env_module.BIN, 'cinder'),
                '--os-auth-type', 'noauth', '--os-user-id', USER,
                '--os-project-id', P, '--os-endpoint', self.endpoint]
        if version:
            argv += ['--os-volume-api-version', version]
        return self.run_cli(argv + list(args))

    def cinder_ids(self, *args, version=None):
        rows = _table(self.cinder(*args, version=version))
        ids = [row['ID'] for row in rows]
        self.assertEqual(len(ids), len(set(ids)), 'repeated rows')
        return ids

    def test_cinder_backup_list(self):
        self.assertEqual(sorted(base.live_ids()), sorted(
            self.cinder_ids('backup-list')))

    def test_cinder_backup_list_with_count(self):
        output = self.cinder('backup-list', '--with-count', version='3.45')
        ids = [row['ID'] for row in _table(output)]
        self.assertEqual(sorted(base.live_ids()), sorted(ids))
        self.assertIn('Backup in total: %d' % len(ids), output)

    def test_cinder_backup_list_fuzzy_filter(self):
        expected = [row['id'] for row in data.live(P)
                    if 'daily' in (row['display_name'] or '')]
        self.assertGreater(len(expected), 1)
        self.assertEqual(sorted(expected), sorted(self.cinder_ids(
            'backup-list', '--filters', 'name~=daily', version='3.45')))

    def test_cinder_backup_list_limit(self):
        self.assertEqual(sorted(base.live_ids()[:4]), sorted(
            self.cinder_ids('backup-list', '--limit', '4', version='3.45')))

    def test_cinder_backup_list_sort(self):
        expected = [row['id'] for row in _sorted_by_name(data.live(P))]
        self.assertEqual(expected, self.cinder_ids(
            'backup-list', '--sort', 'name:asc', version='3.45'))

    def test_cinder_backup_list_all_tenants(self):
        expected = data.live() if self.admin else data.live(P)
        self.assertEqual(sorted(row['id'] for row in expected), sorted(
            self.cinder_ids('backup-list', '--all-tenants',
                            version='3.45')))

    def test_cinder_backup_list_combined(self):
        rows = [row for row in data.live(P) if row['status'] == 'available']
        output = self.cinder('backup-list', '--with-count', '--limit', '5',
                             '--sort', 'size:desc', '--filters',
                             'status=available', version='3.45')
        expected = sorted(rows, key=lambda row: (
            row['size'], row['created_at'], row['id']), reverse=True)
        self.assertEqual([row['id'] for row in expected[:5]],
                         [row['ID'] for row in _table(output)])
        self.assertIn('Backup in total: %d' % len(rows), output)

    def test_cinder_backup_show(self):
        row = [row for row in data.live(P) if row['metadata']][0]
        shown = {item['Property']: item['Value']
                 for item in _table(self.cinder('backup-show', row['id'],
                                                version='3.45'))}
        self.assertEqual(row['id'], shown['id'])
        self.assertEqual(row['display_name'], shown['name'])
        self.assertEqual(row['status'], shown['status'])
        self.assertEqual(str(row['size']), shown['size'])
        self.assertEqual(row['metadata'],
                         ast.literal_eval(shown['metadata']))

    # -- openstacksdk -------------------------------------------------

    def connect(self, endpoint=None, microversion='3.45'):
        return openstack.connect(
            auth_type='admin_token',
            auth={'endpoint': endpoint or self.endpoint,
                  'token': '%s:%s' % (USER, P)},
            block_storage_api_version='3',
            block_storage_default_microversion=microversion,
            load_yaml_config=False, load_envvars=False)

    def test_sdk_backups(self):
        conn = self.connect()
        proxy = conn.block_storage
        # Discovery at the native endpoint found the whole range.
        self.assertEqual((3, 71), proxy.get_endpoint_data().max_microversion)
        summary = [backup.id for backup in proxy.backups(details=False)]
        self.assertEqual(base.live_ids(), summary)
        detail = list(proxy.backups())
        self.assertEqual(base.live_ids(), [backup.id for backup in detail])
        by_id = {row['id']: row for row in data.live(P)}
        for backup in detail:
            row = by_id[backup.id]
            # metadata is there from 3.43: the SDK asked for 3.45.
            self.assertEqual(
                (row['display_name'], row['status'], row['size'],
                 row['metadata']),
                (backup.name, backup.status, backup.size, backup.metadata))
        conn.close()

    def test_sdk_paging(self):
        conn = self.connect()
        for limit in (1, 3, 5, 7, 50):
            ids = [backup.id for backup in conn.block_storage.backups(
                details=False, limit=limit)]
            self.assertEqual(base.live_ids(), ids, limit)
        conn.close()

    def test_sdk_filters_and_show(self):
        conn = self.connect()
        proxy = conn.block_storage
        expected = [row['id'] for row in data.live(P)
                    if row['status'] == 'available']
        self.assertEqual(expected, [backup.id for backup in proxy.backups(
            status='available', limit=2)])
        row = data.live(P)[3]
        backup = proxy.get_backup(row['id'])
        self.assertEqual((row['id'], row['display_name'], row['volume_id']),
                         (backup.id, backup.name, backup.volume_id))
        conn.close()

    # -- the openstack CLI --------------------------------------------

    def openstack(self, *args):
        argv = [os.path.join(env_module.BIN, 'openstack'),
                '--os-auth-type', 'admin_token',
                '--os-endpoint', self.endpoint,
                '--os-token', '%s:%s' % (USER, P),
                '--os-volume-api-version', '3.45']
        return self.run_cli(argv + list(args))

    def test_openstack_volume_backup_list(self):
        rows = json.loads(self.openstack('volume', 'backup', 'list',
                                         '-f', 'json'))
        self.assertEqual(base.live_ids(), [row['ID'] for row in rows])
        rows = json.loads(self.openstack('volume', 'backup', 'list',
                                         '--all-projects', '--long',
                                         '-f', 'json'))
        expected = data.live() if self.admin else data.live(P)
        self.assertEqual([row['id'] for row in expected],
                         [row['ID'] for row in rows])

    def test_openstack_volume_backup_show(self):
        row = [row for row in data.live(P) if row['metadata']][1]
        shown = json.loads(self.openstack('volume', 'backup', 'show',
                                          row['id'], '-f', 'json'))
        self.assertEqual(
            (row['id'], row['display_name'], row['status'], row['metadata']),
            (shown['id'], shown['name'], shown['status'], shown['metadata']))


class StandaloneClientsTest(_Clients, base.TestCase):
    """vbs-native-api, noauth: the caller is a reader of its project."""

    admin = False

    @property
    def server(self):
        return self.env.standalone

    def test_sdk_cinder_endpoint(self):
        """Cinder's own paths on the standalone service, endpoint .../v3:
        openstacksdk discovers /v3/ unauthenticated and gets a version
        document (Cinder's noauth answers 204 there)."""
        conn = self.connect(endpoint='%s/v3' % self.server.url)
        self.assertEqual(
            base.live_ids(),
            [backup.id for backup in conn.block_storage.backups(limit=4)])
        conn.close()


class FilterClientsTest(_Clients, base.TestCase):
    """The filter inside cinder-api's noauth pipeline, where Cinder makes
    every caller an admin."""

    admin = True

    @property
    def server(self):
        return self.env.cinder['filter-noauth']
