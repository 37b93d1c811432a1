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

"""The standalone service as users reach it through Keystone, with the
clients they have: the native endpoint registered in the catalog in a
region of its own next to the block-storage entry (here the same server's
Cinder paths, in RegionOne), or given as an endpoint override; password
authentication. Every client must return exactly the project's backups,
and the server's log must show that every request it sent was under the
native endpoint: a request that strayed to Cinder's /backups paths would
be answered too, by Cinder inside its pipeline."""

import json
import os
import re

from tests import gophercloud
from tests.keystone import base

REGION = 'RegionOne-native'
# The catalog URL, as the README registers it.
NATIVE_URL = '%s/v3/%%(project_id)s/native'
USER = 'p1-reader'
# The server logs one debug line per request: "GET /path?query" status: 200
_REQUEST = re.compile(r'"([A-Z]+) ([^ "?]+)(\?[^ "]*)?" status: (\d+)')

_SDK = """
import json, openstack
conn = openstack.connect()
proxy = conn.block_storage
print(json.dumps({
    'summary': [backup.id for backup in proxy.backups(details=False,
                                                      limit=2)],
    'detail': [backup.id for backup in proxy.backups(limit=2)],
    'shown': proxy.get_backup(%r).name,
    'url': proxy.get_endpoint(),
}))
"""

_registered = False


def register_native_endpoint(env):
    """The README's catalog entries for the native endpoint, once per
    process: region RegionOne-native (a child of RegionOne) with Keystone's
    own endpoint (the openstack CLI looks for it in the region it is
    given) and services of type block-storage and volumev3 (gophercloud's
    and older clients')."""
    global _registered
    if _registered:
        return
    admin = env.identity.admin
    admin.post('/regions', 'region', id=REGION, parent_region_id='RegionOne')
    identity = admin.request('GET', '/services?type=identity').json()[
        'services'][0]
    admin.post('/endpoints', 'endpoint', service_id=identity['id'],
               interface='public', region_id=REGION, url=env.keystone.url)
    for service_type in ('block-storage', 'volumev3'):
        service = admin.post('/services', 'service', type=service_type,
                             name='vbs-native')
        admin.post('/endpoints', 'endpoint', service_id=service['id'],
                   interface='public', region_id=REGION,
                   url=NATIVE_URL % env.servers['cached'].url)
    _registered = True


class CatalogTests(base.TestCase):

    def setUp(self):
        super().setUp()
        register_native_endpoint(self.env)
        self.server = self.env.servers['cached']
        self.native = '%s/v3/%s/native' % (self.server.url, self.p1)
        self.expected = sorted(self.env.backups[self.p1])

    def requests_of(self, function, *args, **kwargs):
        """What ``function`` returns, and the (method, path, status) of
        every request the server saw meanwhile."""
        with open(self.server.log_file) as log:
            log.seek(0, os.SEEK_END)
            result = function(*args, **kwargs)
            lines = log.read()
        return result, [match.groups() for match in _REQUEST.finditer(lines)]

    def assertAllNative(self, seen, at_least=1, root=False, volumes=False):
        """Every request under the native endpoint of p1, and answered;
        but for cinderclient's look at the versions (``root``: ``GET /``,
        Cinder's document) and the openstack CLI's at the volumes, to name
        them in the list (``volumes``: 404 there, the list shows ids)."""
        self.assertGreaterEqual(len(seen), at_least, seen)
        for method, path, _query, status in seen:
            if root and path == '/':
                self.assertEqual('300', status)
                continue
            self.assertRegex(path, r'^/v3/%s/native(/|$)' % self.p1, seen)
            if volumes and path.endswith('/native/volumes/detail'):
                self.assertEqual('404', status)
                continue
            self.assertEqual('200', status, seen)

    def run_native(self, *argv, override=False):
        """A client of p1-reader given the native endpoint: from the
        catalog (OS_REGION_NAME) or as block_storage_endpoint_override."""
        # The override is the URL itself: keystoneauth's discovery does
        # not fill in a %(project_id)s there.
        extra = ({'OS_BLOCK_STORAGE_ENDPOINT_OVERRIDE': self.native}
                 if override else {'OS_REGION_NAME': REGION})
        return self.requests_of(self.run_client, USER, *argv, **extra)

    # -- the openstack CLI --------------------------------------------

    def check_openstack_cli(self, override):
        out, seen = self.run_native('openstack', 'volume', 'backup', 'list',
                                    '-f', 'json', override=override)
        self.assertEqual(self.expected,
                         sorted(row['ID'] for row in json.loads(out)))
        self.assertAllNative(seen, volumes=True)
        backup_id = self.expected[2]
        out, seen = self.run_native('openstack', 'volume', 'backup', 'show',
                                    backup_id, '-f', 'json',
                                    override=override)
        self.assertEqual(backup_id, json.loads(out)['id'])
        self.assertAllNative(seen)

    def test_openstack_cli_from_the_catalog(self):
        self.check_openstack_cli(override=False)

    def test_openstack_cli_with_an_endpoint_override(self):
        self.check_openstack_cli(override=True)

    # -- openstacksdk -------------------------------------------------

    def check_sdk(self, override):
        backup_id = self.expected[0]
        out, seen = self.run_native('python', '-c', _SDK % backup_id,
                                    override=override)
        result = json.loads(out)
        self.assertEqual(self.native + '/', result['url'])
        # Pages of 2, followed to the end, nothing lost or repeated.
        for kind in ('summary', 'detail'):
            self.assertEqual(self.expected, sorted(result[kind]), kind)
            self.assertEqual(len(set(result[kind])), len(result[kind]))
        lists = [query for _m, path, query, _s in seen
                 if path.endswith(('/backups', '/backups/detail'))]
        # 7 backups at 2 a page: 4 pages each (the SDK asks once more,
        # after the last, and gets none).
        self.assertGreaterEqual(len(lists), 2 * 4)
        for query in lists:
            self.assertIn('limit=2', query)
        self.assertEqual('p1-1', result['shown'])
        self.assertAllNative(seen)

    def test_sdk_from_the_catalog(self):
        self.check_sdk(override=False)

    def test_sdk_with_an_endpoint_override(self):
        self.check_sdk(override=True)

    # -- python-cinderclient ------------------------------------------

    def test_cinderclient_from_the_catalog(self):
        out, seen = self.run_native('cinder', 'backup-list')
        self.assertEqual(self.expected, sorted(
            re.findall(r'\| (b[0-9]{7}-[0-9-]+) ', out)))
        self.assertAllNative(seen, root=True)
        out, seen = self.run_native('cinder', 'backup-show',
                                    self.expected[1])
        self.assertIn(self.expected[1], out)
        self.assertAllNative(seen, root=True)

    def test_cinderclient_with_an_endpoint_override(self):
        out, seen = self.requests_of(
            self.run_client, USER, 'cinder', '--os-endpoint', self.native,
            '--os-volume-api-version', '3.45', 'backup-list', '--with-count')
        self.assertEqual(self.expected, sorted(
            re.findall(r'\| (b[0-9]{7}-[0-9-]+) ', out)))
        self.assertIn('Backup in total: %d' % len(self.expected), out)
        self.assertAllNative(seen, root=True)

    # -- gophercloud --------------------------------------------------

    def check_gophercloud(self, *args, **extra_env):
        names = {backup_id: 'p1-%d' % number for number, backup_id in
                 enumerate(self.env.backups[self.p1], start=1)}
        # gophercloud reads the domain of user and project from one
        # variable.
        env = self.client_env(
            USER, OS_DOMAIN_NAME='Default', BACKUP_NAME='p1-3',
            BACKUP_NAME_CONTAINS='P1-',
            BACKUP_IDS=' '.join(self.expected[:3]), **extra_env)
        result, seen = self.requests_of(
            gophercloud.run, gophercloud.build(self.env.directory), env,
            *args)
        self.assertEqual(self.native + '/', result['endpoint'])
        self.assertEqual(self.expected, sorted(result['all']))
        pages = result['pages']
        self.assertEqual([2, 2, 2, 1], [len(page) for page in pages])
        self.assertEqual(self.expected, sorted(sum(pages, [])))
        self.assertEqual([self.expected[2]], result['by_name'])
        # 3.45: name~ folds case, with_count counts every match.
        self.assertEqual(len(self.expected), result['count'])
        self.assertEqual(self.expected, sorted(sum(result['fuzzy_pages'],
                                                   [])))
        self.assertEqual([2, 2, 2, 1],
                         [len(page) for page in result['fuzzy_pages']])
        self.assertEqual({backup_id: names[backup_id]
                          for backup_id in self.expected[:3]},
                         result['shown'])
        self.assertAllNative(seen, at_least=4 + 1 + 4 + 3)

    def test_gophercloud_from_the_catalog(self):
        self.check_gophercloud(OS_REGION_NAME=REGION)

    def test_gophercloud_with_an_endpoint_override(self):
        self.check_gophercloud('-endpoint', self.native)
