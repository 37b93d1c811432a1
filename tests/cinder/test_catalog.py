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

"""The clients inside a real cinder-api, noauth (the token is
``user:project``): given the native endpoint ``.../v3/{project_id}/native``
as an endpoint override beside Cinder's own, and, with ``cinder_routes =
true``, given Cinder's own endpoint ``.../v3/{project_id}``, whose backup
reads the filter then answers.

cinder-api's log is the server-side record: its WSGI server logs every
request (``"GET /path HTTP/1.1" status: 200``), and Cinder's own API logs
each request it handles itself (``GET http://host/path``). Every backup
read must be the filter's, and every request of a client given the native
endpoint must stay under it.
"""

import json
import os
import re
import time
import uuid

import openstack
import requests

from tests.cinder import base
from tests.cinder import data
from tests.cinder import environment as env_module
from tests import gophercloud

P = data.PROJECT
TOKEN = '%s:%s' % (data.USER, P)
_ACCESS = re.compile(r'"([A-Z]+) ([^ ?"]+)(\?\S*)? HTTP/1\.[01]" '
                     r'status: (\d+)')
_CINDER_HANDLED = re.compile(r'cinder\.api\.openstack\.wsgi \[[^]]*\] '
                             r'[A-Z]+ https?://[^/ ]+([^ ?\s]+)')


class _Deployment:
    """One way a client is given the service; subclasses say the server,
    the endpoint and the paths backup reads must take."""

    server_name = None
    # The path of backup reads under the endpoint.
    backups = None

    @property
    def server(self):
        return self.env.cinder[self.server_name]

    @property
    def endpoint(self):
        raise NotImplementedError

    def requests_of(self, function, *args):
        """What ``function`` returns; the (method, path, query, status) of
        every request cinder-api served meanwhile, and the paths Cinder's
        own API handled."""
        with open(self.server.log_path) as log:
            log.seek(0, os.SEEK_END)
            result = function(*args)
            # The WSGI server logs a request once it has answered it: a
            # last request of ours, which Cinder handles itself (a volume
            # type that does not exist), closes the record, and shows that
            # Cinder's own lines are read.
            mark = '/v3/%s/types/%s' % (P, uuid.uuid4())
            requests.get(self.server.url + mark, timeout=60,
                         headers={'X-Auth-Token': TOKEN})
            lines = ''
            deadline = time.monotonic() + 30
            while '"GET %s ' % mark not in lines:
                self.assertLess(time.monotonic(), deadline, lines)
                time.sleep(0.05)
                lines += log.read()
        cut = lines.rfind('\n', 0, lines.index(mark)) + 1
        self.assertIn(mark, _CINDER_HANDLED.findall(lines[cut:]))
        lines = lines[:cut]
        return (result, _ACCESS.findall(lines),
                _CINDER_HANDLED.findall(lines))

    def assertFilterServed(self, seen, cinders, reads_at_least=1):
        """Every backup read under the endpoint, answered 200 by the
        filter (Cinder handled none); with the native endpoint, nothing
        outside it but Cinder's version list at ``/``."""
        reads = [path for _m, path, _q, _s in seen
                 if re.match(r'^/v3/%s%s(/|$)' % (P, self.backups), path)]
        self.assertGreaterEqual(len(reads), reads_at_least, seen)
        for method, path, _query, status in seen:
            if path == '/':
                # Cinder's versions, where cinderclient reads the range.
                self.assertEqual('300', status)
            elif path in reads:
                self.assertEqual('200', status, seen)
            elif self.backups.startswith('/native'):
                self.assertRegex(path, r'^/v3/%s/native(/|$)' % P, seen)
        self.assertEqual([], [path for path in cinders if path in reads])

    def command(self, *argv):
        """The output of a client of Cinder's virtualenv."""
        return self.run_cli(
            [os.path.join(env_module.BIN, argv[0])] + list(argv[1:]))

    def test_gophercloud(self):
        live = data.live(P)
        named = [row for row in live if row['display_name'] == 'weekly-8']
        fuzzy = [row['id'] for row in live
                 if 'daily' in (row['display_name'] or '')]
        shown = live[:3]
        env = dict(base.client_env(), BACKUP_NAME='weekly-8',
                   BACKUP_NAME_CONTAINS='DAILY',
                   BACKUP_IDS=' '.join(row['id'] for row in shown))
        result, seen, cinders = self.requests_of(
            gophercloud.run, gophercloud.build(self.env.dir), env,
            '-endpoint', self.endpoint, '-token', TOKEN)
        self.assertEqual(base.live_ids(), result['all'])
        self.assertEqual(base.live_ids(), sum(result['pages'], []))
        self.assertEqual([2] * 12, [len(page) for page in result['pages']])
        self.assertEqual([named[0]['id']], result['by_name'])
        # gophercloud asked for volumev3 3.45: name~ and with_count work.
        self.assertEqual(fuzzy, sum(result['fuzzy_pages'], []))
        self.assertEqual(len(fuzzy), result['count'])
        self.assertEqual({row['id']: row['display_name'] for row in shown},
                         result['shown'])
        self.assertFilterServed(seen, cinders, reads_at_least=4 + 12 + 1 +
                                2 + 3)

    def test_cinderclient(self):
        argv = ['cinder', '--os-auth-type', 'noauth', '--os-user-id',
                data.USER, '--os-project-id', P, '--os-endpoint',
                self.endpoint, '--os-volume-api-version', '3.45']
        out, seen, cinders = self.requests_of(self.command, *argv,
                                              'backup-list', '--with-count')
        self.assertEqual(sorted(base.live_ids()), sorted(
            re.findall(r'^\| ([0-9a-f-]{36}) ', out, re.MULTILINE)))
        self.assertIn('Backup in total: %d' % len(base.live_ids()), out)
        self.assertFilterServed(seen, cinders)
        row = data.live(P)[7]
        out, seen, cinders = self.requests_of(self.command, *argv,
                                              'backup-show', row['id'])
        self.assertIn(row['display_name'], out)
        self.assertFilterServed(seen, cinders)


class NativeEndpointInCinderTest(_Deployment, base.TestCase):
    """The native endpoint of the filter inside cinder-api, given to the
    clients beside Cinder's own (``[vbs_native] cinder_routes = false``)."""

    server_name = 'filter-noauth'
    backups = '/native/backups'

    @property
    def endpoint(self):
        return '%s/v3/%s/native' % (self.server.url, P)

    def test_sdk_paging(self):
        conn = openstack.connect(
            auth_type='admin_token',
            auth={'endpoint': self.endpoint, 'token': TOKEN},
            block_storage_api_version='3',
            block_storage_default_microversion='3.45',
            load_yaml_config=False, load_envvars=False)
        self.addCleanup(conn.close)
        (summary, detail), seen, cinders = self.requests_of(lambda: (
            [backup.id for backup in conn.block_storage.backups(
                details=False, limit=2)],
            [backup.id for backup in conn.block_storage.backups(limit=2)]))
        self.assertEqual(base.live_ids(), summary)
        self.assertEqual(base.live_ids(), detail)
        self.assertFilterServed(seen, cinders, reads_at_least=2 * 12)

    def test_openstack_cli(self):
        argv = ['openstack', '--os-auth-type', 'admin_token',
                '--os-endpoint', self.endpoint, '--os-token', TOKEN,
                '--os-volume-api-version', '3.45', 'volume', 'backup']
        rows, seen, cinders = self.requests_of(self.command, *argv, 'list',
                                               '-f', 'json')
        self.assertEqual(base.live_ids(),
                         [row['ID'] for row in json.loads(rows)])
        self.assertFilterServed(seen, cinders)
        row = data.live(P)[5]
        shown, seen, cinders = self.requests_of(self.command, *argv, 'show',
                                                row['id'], '-f', 'json')
        self.assertEqual((row['id'], row['display_name']), (
            json.loads(shown)['id'], json.loads(shown)['name']))
        self.assertFilterServed(seen, cinders)


class CinderEndpointThroughFilterTest(_Deployment, base.TestCase):
    """Cinder's own endpoint, with ``[vbs_native] cinder_routes = true``:
    the filter answers its backup reads. (openstacksdk and the openstack
    CLI discover versions at the endpoint before they authenticate, and
    Cinder's noauth answers that with 204: they cannot use Cinder's own
    endpoint on a noauth Cinder, filter or not.)"""

    server_name = 'filter-noauth-routes'
    backups = '/backups'

    @property
    def endpoint(self):
        return '%s/v3/%s' % (self.server.url, P)
