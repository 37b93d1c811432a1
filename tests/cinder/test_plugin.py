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

"""vbs-native's paste filter inside a real cinder-api 29.0.0.

Two pipelines (noauth; keystone with ``authtoken`` left out), each run
with Cinder's stock api-paste.ini and with the filters the install guide
adds. The native routes must return what Cinder's own routes return for the
same request, with CONTRACT.md's improvements; Cinder's own routes must
answer exactly as they do without the filter.
"""

import itertools
import time

import requests

from tests.cinder import base
from tests.cinder import data
from tests.cinder import environment as env_module

P = data.PROJECT
VOLUME = data.backups()[1]['volume_id']
VERSIONS = ('3.0', '3.18', '3.43', '3.45', '3.64', '3.71')
# (path under backups, query, lowest version)
QUERIES = [
    ('', {}, '3.0'),
    ('/detail', {}, '3.0'),
    ('', {'limit': 3}, '3.0'),
    ('/detail', {'limit': 4}, '3.0'),
    ('', {'limit': 7}, '3.0'),
    ('', {'limit': 0}, '3.0'),
    ('', {'limit': 5000}, '3.0'),
    ('', {'sort': 'size:asc', 'limit': 5}, '3.0'),
    ('/detail', {'sort_key': 'display_name', 'sort_dir': 'asc',
                 'limit': 6}, '3.0'),
    ('', {'sort': 'display_name:desc,size'}, '3.0'),
    ('', {'sort': 'created_at:asc', 'limit': 8}, '3.0'),
    ('', {'status': 'available'}, '3.0'),
    ('', {'name': 'daily-3'}, '3.0'),
    ('/detail', {'volume_id': VOLUME, 'limit': 2}, '3.0'),
    ('', {'status': 'available', 'sort': 'size:desc', 'limit': 3}, '3.0'),
    ('', {'marker': base.live_ids()[4], 'limit': 4}, '3.0'),
    ('/detail', {'marker': base.live_ids()[9]}, '3.0'),
    ('', {'limit': 3, 'offset': 2}, '3.0'),
    ('', {'sort': 'name:asc', 'limit': 6}, '3.37'),
    ('', {'with_count': 'true', 'limit': 5}, '3.45'),
    ('/detail', {'with_count': 'true', 'limit': 8, 'status': 'available'},
     '3.45'),
    ('', {'with_count': 'false'}, '3.45'),
]
# Only an admin may: Cinder refuses fuzzy filters to others by default.
ADMIN_QUERIES = [
    ('', {'all_tenants': '1'}, '3.0'),
    ('/detail', {'all_tenants': 'true', 'limit': 6}, '3.0'),
    ('', {'all_tenants': '1', 'sort': 'size:asc,id:asc'}, '3.0'),
    ('', {'name~': 'daily'}, '3.31'),
    ('', {'status~': 'AVAIL', 'limit': 4}, '3.31'),
    ('/detail', {'name~': 'eb', 'with_count': 'true'}, '3.45'),
]
# Errors both answer alike (status and message).
ERRORS = [
    ({'limit': 'abc'}, None),
    ({'limit': '-1'}, None),
    ({'offset': 'x'}, None),
    ({'offset': '-1'}, None),
    ({'offset': '2147483648'}, None),
    ({'sort': 'size', 'sort_key': 'size'}, None),
    ({'sort_dir': 'ASC'}, None),
    ({'sort': 'foo'}, None),
    ({'sort': 'name'}, '3.36'),
    ({'marker': '00000000-0000-0000-0000-00000000dead'}, None),
    ({'with_count': 'maybe'}, '3.45'),
]


def _in_version(version, lowest):
    return tuple(map(int, version.split('.'))) >= tuple(
        map(int, lowest.split('.')))


class _Comparisons:
    """Native against Cinder's routes on one filtered cinder-api."""

    server_name = None
    admin = None
    reader = None

    @property
    def server(self):
        return self.env.cinder[self.server_name]

    def _compare(self, queries, headers, project_in_url=True):
        prefix = '/v3/%s' % P if project_in_url else '/v3'
        compared = 0
        for version, (path, query, lowest) in itertools.product(
                VERSIONS, queries):
            if not _in_version(version, lowest):
                continue
            what = '%s %s %s' % (version, path, query)
            native = self.get(self.server, prefix + '/native/backups' + path,
                              headers, version, query)
            cinder = self.get(self.server, prefix + '/backups' + path,
                              headers, version, query)
            self.assertEqual(200, cinder.status_code, what + cinder.text)
            self.assertSameList(native, cinder, headers, version, what)
            compared += 1
        return compared

    def test_lists_as_cinder_reader(self):
        self.assertGreater(self._compare(QUERIES, self.reader), 100)

    def test_lists_as_cinder_admin(self):
        self._compare(QUERIES + ADMIN_QUERIES, self.admin)

    def test_lists_without_project_in_url(self):
        self._compare(QUERIES[:6], self.reader, project_in_url=False)

    def test_show_as_cinder(self):
        for headers, version, row in itertools.product(
                (self.reader, self.admin), ('3.0', '3.43', '3.64', '3.71'),
                data.backups()):
            path = '/v3/%s/%%s/%s' % (P, row['id'])
            native = self.get(self.server, path % 'native/backups', headers,
                              version)
            cinder = self.get(self.server, path % 'backups', headers,
                              version)
            what = '%s %s %s' % (version, row['id'], headers)
            self.assertEqual(cinder.status_code, native.status_code, what)
            self.assertEqual(cinder.json(),
                             base.native_to_cinder(native.json()), what)

    def test_walk_pages(self):
        """Every backup exactly once, from any first page; Cinder loses
        the offset's rows again on every page."""
        expected = base.live_ids()
        for offset, suffix in itertools.product((0, 2, 5), ('', '/detail')):
            query = '?limit=3' + ('&offset=%d' % offset if offset else '')
            url = '%s/v3/%s/native/backups%s%s' % (self.server.url, P, suffix,
                                                   query)
            ids, made = self.walk(url, self.reader, '3.45')
            self.assertEqual(expected[offset:], ids)
            self.assertEqual(-(-(len(expected) - offset) // 3), made)
            cinder_ids, _made = self.walk(url.replace('/native', ''),
                                          self.reader, '3.45')
            if offset:
                self.assertLess(len(cinder_ids), len(ids))
            else:
                self.assertEqual(ids, cinder_ids)

    def test_errors_as_cinder(self):
        for query, version in ERRORS:
            native = self.get(self.server, '/v3/%s/native/backups' % P,
                              self.reader, version, query)
            cinder = self.get(self.server, '/v3/%s/backups' % P,
                              self.reader, version, query)
            self.assertSameError(native, cinder, '%s %s' % (query, version))

    def test_deleted_marker(self):
        """CONTRACT 8: a marker is a position, even a soft-deleted backup
        (one deleted between two pages); Cinder answers 404."""
        deleted = [row for row in data.backups()
                   if row['deleted'] and row['project_id'] == P][0]
        query = {'marker': deleted['id'], 'limit': 1000}
        native = self.get(self.server, '/v3/%s/native/backups' % P,
                          self.reader, None, query)
        cinder = self.get(self.server, '/v3/%s/backups' % P, self.reader,
                          None, query)
        self.assertEqual(404, cinder.status_code)
        self.assertEqual(200, native.status_code)
        after = [row['id'] for row in data.live(P)
                 if (row['created_at'], row['id']) <
                 (deleted['created_at'], deleted['id'])]
        self.assertEqual(after[:env_module.MAX_LIMIT],
                         [item['id'] for item in native.json()['backups']])

    def test_version_not_supported(self):
        """Cinder's 406 status and message; CONTRACT 5 names the fault
        notAcceptable where Cinder says computeFault."""
        native = self.get(self.server, '/v3/%s/native/backups' % P,
                          self.reader, '3.72')
        cinder = self.get(self.server, '/v3/%s/backups' % P, self.reader,
                          '3.72')
        self.assertEqual((406, 406), (native.status_code, cinder.status_code))
        self.assertEqual(cinder.json()['computeFault'],
                         native.json()['notAcceptable'])

    def test_other_project_in_url(self):
        path = '/v3/%s/%%s' % data.OTHER_PROJECT
        native = self.get(self.server, path % 'native/backups', self.admin)
        cinder = self.get(self.server, path % 'backups', self.admin)
        # CONTRACT 8: a caller allowed every project may name one in the
        # URL; Cinder refuses a URL project not the token's, even to admins.
        self.assertEqual(400, cinder.status_code)
        self.assertEqual(200, native.status_code)
        ids, _made = self.walk(native.url, self.admin)
        self.assertEqual(base.live_ids(data.OTHER_PROJECT), ids)
        if self.reader is not self.admin:
            native = self.get(self.server, path % 'native/backups',
                              self.reader)
            cinder = self.get(self.server, path % 'backups', self.reader)
            self.assertSameError(native, cinder, 'other project')
            self.assertEqual(400, native.status_code)

    def test_request_ids_are_cinders(self):
        for path in ('/native/backups', '/native/backups/nope',
                     '/native/backups?limit=x'):
            response = self.get(self.server, '/v3/%s%s' % (P, path),
                                self.reader, '3.45')
            request_id = response.headers['x-openstack-request-id']
            self.assertRegex(request_id, base.REQUEST_ID.pattern)
            self.assertEqual(request_id,
                             response.headers['x-compute-request-id'])
            self.assertEqual('volume 3.45',
                             response.headers['OpenStack-API-Version'])
        # Cinder's log carries our requests under Cinder's request id.
        response = self.get(self.server, '/v3/%s/native/backups' % P,
                            self.reader)
        request_id = response.headers['x-openstack-request-id']
        log = self.env.cinder[self.server_name].log_path
        # The access log line is written once the response is sent.
        deadline = time.monotonic() + 10
        while True:
            with open(log) as f:
                if request_id in f.read():
                    break
            self.assertLess(time.monotonic(), deadline,
                            '%s not in %s' % (request_id, log))
            time.sleep(0.1)

    def test_fault_shapes(self):
        response = self.get(self.server, '/v3/%s/native/backups' % P,
                            self.reader, method='POST', json={})
        self.assertEqual(405, response.status_code)
        self.assertEqual('GET, HEAD', response.headers['Allow'])
        self.assertEqual(405, response.json()['badMethod']['code'])
        response = self.get(self.server, '/v3/%s/native/backups' % P,
                            self.reader, method='HEAD')
        self.assertEqual(200, response.status_code)

    def test_version_document_needs_no_identity(self):
        for path in ('/v3/%s/native' % P, '/v3/native', '/v3/native/'):
            response = self.get(self.server, path)
            self.assertEqual(200, response.status_code, path)
            [version] = response.json()['versions']
            self.assertEqual(('v3.0', '3.71', '3.0'),
                             (version['id'], version['version'],
                              version['min_version']))
            self.assertIn('x-openstack-request-id', response.headers)
        # Cinder's own root is still Cinder's.
        stock = self.get(self.env.cinder['stock-noauth'], '/')
        mine = self.get(self.server, '/')
        self.assertEqual(300, mine.status_code)
        self.assertEqual(
            stock.text.replace(self.env.cinder['stock-noauth'].url, 'X'),
            mine.text.replace(self.server.url, 'X'))


class NoauthFilterTest(_Comparisons, base.TestCase):
    """The noauth pipeline: every caller is an admin, as Cinder makes it."""

    server_name = 'filter-noauth'
    admin = {'X-Auth-Token': 'u1:%s' % P}
    reader = admin


class KeystoneFilterTest(_Comparisons, base.TestCase):
    """The keystone pipeline, authtoken left out: personas by header."""

    server_name = 'filter-keystone'
    admin = env_module.persona('u-admin', P, ['admin', 'reader'])
    reader = env_module.READER

    def test_personas(self):
        path = '/v3/%s/%%s' % P
        for persona, status in ((env_module.READER, 200),
                                (env_module.AUDITOR, 200),
                                (env_module.MEMBER_ONLY, 403),
                                (env_module.persona('u', P, []), 403)):
            native = self.get(self.server, path % 'native/backups', persona)
            cinder = self.get(self.server, path % 'backups', persona)
            self.assertEqual(status, native.status_code, persona)
            if status == 200:
                self.assertSameList(native, cinder, persona, None, persona)
            else:
                self.assertSameError(native, cinder, persona)
        # The admin sees the project attribute; a reader does not.
        row = data.live(P)[0]
        for persona, shown in ((self.admin, True), (self.reader, False)):
            body = self.get(self.server, path % 'native/backups/' + row['id'],
                            persona, '3.56').json()['backup']
            self.assertEqual(shown,
                             'os-backup-project-attr:project_id' in body)
            self.assertEqual(shown, 'user_id' in body)

    def test_all_tenants_per_persona(self):
        url = '%s/v3/%s/native/backups?all_tenants=1' % (self.server.url, P)
        for persona, expected in ((self.admin, data.live()),
                                  (self.reader, data.live(P))):
            ids, _made = self.walk(url, persona, '3.45')
            self.assertEqual([row['id'] for row in expected], ids)

    def test_no_identity(self):
        # Cinder's keystonecontext answers 401 before the filter.
        for path in ('/v3/%s/native/backups' % P, '/v3/%s/backups' % P):
            self.assertEqual(401, self.get(self.server, path).status_code)

    def test_fuzzy_filters_for_readers(self):
        """CONTRACT: name~ works for every caller from 3.31; Cinder's shipped
        resource_filters.json refuses it to non-admins."""
        query = {'name~': 'DAILY'}
        native = self.get(self.server, '/v3/%s/native/backups' % P,
                          self.reader, '3.31', query)
        cinder = self.get(self.server, '/v3/%s/backups' % P, self.reader,
                          '3.31', query)
        self.assertEqual(400, cinder.status_code)
        self.assertEqual(200, native.status_code)
        expected = sorted(row['id'] for row in data.live(P)
                          if 'daily' in (row['display_name'] or ''))
        self.assertEqual(expected, sorted(
            item['id'] for item in native.json()['backups']))

    def test_authorization_before_parameters(self):
        """CONTRACT: 403 whatever the query; Cinder checks limit first."""
        native = self.get(self.server, '/v3/%s/native/backups' % P,
                          env_module.MEMBER_ONLY, None, {'limit': 'x'})
        cinder = self.get(self.server, '/v3/%s/backups' % P,
                          env_module.MEMBER_ONLY, None, {'limit': 'x'})
        self.assertEqual((403, 400), (native.status_code, cinder.status_code))


# Requests on Cinder's own routes; each must be answered alike with and
# without the filters.
_ID = data.live(P)[0]['id']
PASS_THROUGH = [
    ('GET', '/', None, None),
    ('GET', '/v3/', None, None),
    ('GET', '/v3', None, None),
    ('GET', '/healthcheck', None, None),
    ('GET', '/v3/%s/backups' % P, None, None),
    ('GET', '/v3/%s/backups' % P, '3.45',
     {'with_count': 'true', 'limit': 3, 'offset': 2}),
    ('GET', '/v3/%s/backups/detail' % P, '3.64', None),
    ('GET', '/v3/%s/backups/detail' % P, '3.71', {'all_tenants': '1'}),
    ('GET', '/v3/%s/backups/%s' % (P, _ID), '3.64', None),
    ('GET', '/v3/backups', '3.0', None),
    ('GET', '/v3/%s/backups' % P, None, {'limit': 'abc'}),
    ('GET', '/v3/%s/backups' % P, '3.72', None),
    ('GET', '/v3/%s/backups.json' % P, None, None),
    ('GET', '/v3/%s/backups/' % P, None, None),
    ('HEAD', '/v3/%s/backups' % P, None, None),
    ('DELETE', '/v3/%s/backups/%s' % (P, '0' * 8), None, None),
    ('POST', '/v3/%s/backups' % P, '3.45', {}),
    ('GET', '/v3/%s/volumes' % P, '3.45', {'with_count': 'true'}),
    ('GET', '/v3/%s/volumes/detail' % P, None, None),
    ('GET', '/v3/%s/snapshots' % P, None, None),
    ('GET', '/v3/%s/resource_filters' % P, '3.33', {'resource': 'backup'}),
    ('GET', '/v3/%s/nativex/backups' % P, None, None),
    ('GET', '/v3/%s/backupsnative' % P, None, None),
    ('GET', '/v3/%s/native' % P + 'x', None, None),
    ('GET', '/v3/%s/nope' % P, None, None),
    ('GET', '/v3/%s/backups/detail' % data.OTHER_PROJECT, None, None),
]
_IGNORED_HEADERS = frozenset(('date', 'x-openstack-request-id',
                              'x-compute-request-id', 'content-length'))


class PassThroughTest(base.TestCase):
    """Cinder's own routes answer exactly as without the filter."""

    def _responses(self, server, headers):
        results = []
        for method, path, version, query in PASS_THROUGH:
            kwargs = {}
            if method == 'POST':
                kwargs['json'] = {'backup': {'volume_id': 'not-a-uuid'}}
                query = None
            response = self.get(server, path, headers, version, query,
                                method=method, allow_redirects=False,
                                **kwargs)
            text = response.text.replace(server.url, 'http://HOST')
            response_headers = {
                key.lower(): value.replace(server.url, 'http://HOST')
                for key, value in response.headers.items()
                if key.lower() not in _IGNORED_HEADERS}
            results.append((method, path, version, response.status_code,
                            text, response_headers))
        return results

    def _compare(self, stock, filtered, headers, statuses):
        expected = self._responses(self.env.cinder[stock], headers)
        actual = self._responses(self.env.cinder[filtered], headers)
        for mine, theirs in zip(actual, expected):
            self.assertEqual(theirs, mine)
        self.assertEqual(len(PASS_THROUGH), len(actual))
        # The requests did reach Cinder's controllers.
        self.assertEqual(set(),
                         statuses - {item[3] for item in actual})

    def test_noauth(self):
        self._compare('stock-noauth', 'filter-noauth',
                      {'X-Auth-Token': 'u1:%s' % P}, {200, 300, 400, 404})

    def test_noauth_without_token(self):
        # Cinder's noauth 204, with its fake token, for every /v3 path.
        self._compare('stock-noauth', 'filter-noauth', {}, {204})

    def test_keystone_personas(self):
        for persona, statuses in ((env_module.READER, {200, 400, 404}),
                                  (env_module.ADMIN, {200, 400, 404}),
                                  (env_module.MEMBER_ONLY, {403}),
                                  ({}, {401})):
            self._compare('stock-keystone', 'filter-keystone', persona,
                          statuses)

    def test_keystone_request_ids(self):
        # Cinder's x-openstack-request-id on its own routes, filter or not.
        response = requests.get(
            self.env.cinder['filter-keystone'].url + '/v3/%s/backups' % P,
            headers=env_module.READER, timeout=60)
        self.assertRegex(response.headers['x-openstack-request-id'],
                         base.REQUEST_ID.pattern)


class CinderRoutesTest(base.TestCase):
    """``[vbs_native] cinder_routes = true``, the filters reading Cinder's
    own cinder.conf (database, page size, policy file) plus a file of
    ours: GET on Cinder's /backups paths is vbs-native's, everything else
    there is still Cinder's."""

    @property
    def server(self):
        return self.env.cinder['filter-keystone-routes']

    @property
    def stock(self):
        return self.env.cinder['stock-keystone']

    def test_lists_as_cinder(self):
        for version, (path, query, lowest) in itertools.product(
                VERSIONS, QUERIES):
            if not _in_version(version, lowest):
                continue
            url = '/v3/%s/backups%s' % (P, path)
            mine = self.get(self.server, url, env_module.READER, version,
                            query)
            theirs = self.get(self.stock, url, env_module.READER, version,
                              query)
            mine._content = mine.content.replace(self.server.url.encode(),
                                                 self.stock.url.encode())
            self.assertSameList(mine, theirs, env_module.READER, version,
                                '%s %s %s' % (version, path, query))

    def test_get_is_vbs_natives(self):
        url = '%s/v3/%s/backups?limit=3&offset=2' % (self.server.url, P)
        ids, _made = self.walk(url, env_module.READER)
        self.assertEqual(base.live_ids()[2:], ids)
        # name~ for a reader: CONTRACT, where Cinder says 400.
        response = self.get(self.server, '/v3/%s/backups' % P,
                            env_module.READER, '3.31', {'name~': 'daily'})
        self.assertEqual(200, response.status_code)
        # The page size and the policy file come from cinder.conf.
        ids, made = self.walk('%s/v3/%s/backups' % (self.server.url, P),
                              env_module.AUDITOR)
        self.assertEqual(base.live_ids(), ids)
        self.assertEqual(-(-len(ids) // env_module.MAX_LIMIT), made)

    def test_other_methods_are_cinders(self):
        backup = base.live_ids()[0]
        for method, path, kwargs in (
                ('POST', '/v3/%s/backups' % P,
                 {'json': {'backup': {'volume_id': 'x'}}}),
                ('PUT', '/v3/%s/backups/%s' % (P, backup),
                 {'json': {'backup': {}}}),
                ('DELETE', '/v3/%s/backups/%s' % (P, '0' * 8), {}),
                ('POST', '/v3/%s/backups/%s/action' % (P, backup),
                 {'json': {}}),
                ('GET', '/v3/%s/backups.json' % P, {}),
                ('GET', '/v3/%s/volumes' % P, {}),
                ('GET', '/v3/%s/resource_filters' % P, {})):
            mine = self.get(self.server, path, env_module.READER, '3.45',
                            method=method, **kwargs)
            theirs = self.get(self.stock, path, env_module.READER, '3.45',
                              method=method, **kwargs)
            self.assertEqual(
                (theirs.status_code,
                 theirs.text.replace(self.stock.url, 'X')),
                (mine.status_code, mine.text.replace(self.server.url, 'X')),
                '%s %s' % (method, path))


class MisplacedFilterTest(base.TestCase):
    """The filter put before Cinder's auth filters: no ``cinder.context``
    exists, and request headers must never stand in for one."""

    def test_headers_are_no_identity(self):
        server = self.env.cinder['filter-keystone-misplaced']
        forged = dict(env_module.ADMIN, **{'X-Identity-Status': 'Confirmed'})
        for headers in (env_module.ADMIN, forged, env_module.READER,
                        {'X-Auth-Token': 'u1:%s' % P}, {}):
            for path in ('/v3/%s/native/backups' % P,
                         '/v3/%s/native/backups/detail?all_tenants=1' % P,
                         '/v3/%s/native/backups/%s' % (P, _ID)):
                response = self.get(server, path, headers)
                self.assertEqual(401, response.status_code,
                                 (headers, path, response.text[:300]))
                self.assertEqual(['unauthorized'], list(response.json()))
        # Cinder's own routes behind it still get Cinder's context.
        self.assertEqual(200, self.get(server, '/v3/%s/backups' % P,
                                       env_module.READER).status_code)
