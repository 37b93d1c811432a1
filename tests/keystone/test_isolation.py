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

"""Project isolation through real tokens: what each caller of the
README's roles sees of two projects, whatever the request asks."""

import requests

from tests.keystone import base
from vbs_native.api.handlers import root
from vbs_native.api import router


class MemberAndReaderTests(base.TestCase):
    """A reader, and a member (reader by implication), of P1 see P1's
    backups only."""

    users = ('p1-reader', 'p1-member')

    def p1_only(self, response):
        self.assertEqual(sorted(self.env.backups[self.p1]),
                         sorted(self.ids(response)))

    def test_lists(self):
        for user in self.users:
            token = self.env.token(user)
            for project in (self.p1, None):
                base_path = '/v3/%s' % project if project else '/v3'
                for path in ('/native/backups', '/native/backups/detail',
                             '/backups', '/backups/detail'):
                    for query in ('', '?all_tenants=true',
                                  '?all_tenants=true&project_id=' + self.p2,
                                  '?project_id=' + self.p2):
                        self.p1_only(self.call(base_path + path + query,
                                               token))

    def test_project_filter_is_unknown_from_3_31(self):
        token = self.env.token('p1-reader')
        response = self.call('/v3/%s/native/backups?all_tenants=true&'
                             'project_id=%s' % (self.p1, self.p2), token,
                             version='3.45')
        self.assert_fault(response, 400, 'badRequest')

    def test_count(self):
        for user in self.users:
            body = self.call('/v3/native/backups?with_count=true&limit=1&'
                             'all_tenants=true', self.env.token(user),
                             version='3.45').json()
            self.assertEqual(len(self.env.backups[self.p1]), body['count'])

    def test_next_links(self):
        for user in self.users:
            for path in ('/v3/%s/native/backups/detail?limit=2' % self.p1,
                         '/v3/native/backups?limit=3&all_tenants=true'):
                ids = self.walk(path, self.env.token(user))
                self.assertEqual(sorted(self.env.backups[self.p1]),
                                 sorted(ids))
                self.assertEqual(len(ids), len(set(ids)))

    def test_show(self):
        token = self.env.token('p1-reader')
        for backup_id in self.env.backups[self.p1]:
            response = self.call('/v3/native/backups/' + backup_id, token)
            self.assertEqual(backup_id, response.json()['backup']['id'])
        for backup_id in self.env.backups[self.p2]:
            for path in ('/v3/native/backups/', '/v3/%s/native/backups/'
                         % self.p1, '/v3/%s/backups/' % self.p1):
                self.assert_fault(self.call(path + backup_id, token), 404,
                                  'itemNotFound')

    def test_marker_from_p2(self):
        marker = self.env.backups[self.p2][0]
        for user in self.users:
            for path in ('/v3/native/backups', '/v3/native/backups/detail'):
                response = self.call(path + '?marker=' + marker,
                                     self.env.token(user))
                self.assert_fault(response, 404, 'itemNotFound')

    def test_p2_in_the_url(self):
        # CONTRACT 1: a project in the URL that is not the caller's: 400.
        for user in self.users:
            for path, version in self.reads(self.p2, self.env.backups[
                    self.p2][0]):
                response = self.call(path, self.env.token(user),
                                     version=version)
                self.assert_fault(response, 400, 'badRequest')

    def test_project_attributes_hidden(self):
        for user in self.users:
            response = self.call('/v3/native/backups/detail',
                                 self.env.token(user), version='3.56')
            for backup in response.json()['backups']:
                self.assertNotIn('os-backup-project-attr:project_id', backup)
                self.assertNotIn('user_id', backup)


class OtherProjectTests(base.TestCase):
    """A user whose only role is on P2."""

    def test_cannot_get_a_p1_token(self):
        response = self.env.identity.anonymous.session.post(
            self.env.keystone.url + '/auth/tokens', timeout=30,
            json={'auth': {'identity': {'methods': ['password'], 'password': {
                'user': {'name': 'p2-member', 'password': 'p2-member-pw',
                         'domain': {'id': 'default'}}}},
                'scope': {'project': {'id': self.p1}}}})
        self.assertEqual(401, response.status_code)

    def test_p1_refused(self):
        token = self.env.token('p2-member')
        for path, version in self.reads(self.p1):
            self.assert_fault(self.call(path, token, version=version), 400,
                              'badRequest')
        for backup_id in self.env.backups[self.p1]:
            for path in ('/v3/native/backups/', '/v3/%s/native/backups/'
                         % self.p2):
                self.assert_fault(self.call(path + backup_id, token), 404,
                                  'itemNotFound')
        marker = self.env.backups[self.p1][0]
        self.assert_fault(self.call('/v3/native/backups?marker=' + marker,
                                    token), 404, 'itemNotFound')

    def test_own_project(self):
        response = self.call('/v3/native/backups?all_tenants=true',
                             self.env.token('p2-member'))
        self.assertEqual(sorted(self.env.backups[self.p2]),
                         sorted(self.ids(response)))


class NoRoleTests(base.TestCase):
    """A user with no role anywhere can only get an unscoped token, and
    that token may do nothing: 403 on every route, whatever the method."""

    METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')

    def paths(self):
        backup_id = self.env.backups[self.p1][0]
        for path, methods, _facts in router.route_table(
                [router.NATIVE, router.CINDER]):
            if methods.get('GET') in (root.get_version,
                                      root.get_native_version):
                # The version documents need no identity.
                continue
            yield '/v3' + path.format(project_id=self.p1,
                                      backup_id=backup_id)

    def test_every_route_and_method(self):
        token = self.env.token('no-role', unscoped=True)
        paths = list(self.paths())
        self.assertEqual(14, len(paths))
        for path in paths:
            for method in self.METHODS:
                for server in ('cached', 'uncached'):
                    response = self.call(path, token, method=method,
                                         server=server)
                    self.assert_fault(response, 403, 'forbidden')

    def test_cannot_get_a_scoped_token(self):
        for project in (base.P1, base.P2):
            error = self.assertRaises(requests.HTTPError, self.env.token,
                                      'no-role', project=project)
            self.assertEqual(401, error.response.status_code)

    def test_a_role_turns_403_into_405(self):
        # The 403 is about the token: with a role, the method is what is
        # wrong.
        response = self.call('/v3/native/backups', self.env.token(
            'p1-reader'), method='POST')
        self.assert_fault(response, 405, 'badMethod')


class AdminTests(base.TestCase):

    def setUp(self):
        super().setUp()
        self.token = self.env.token('p1-admin')
        self.everything = sorted(self.env.backups[self.p1] +
                                 self.env.backups[self.p2])

    def test_all_tenants(self):
        for path in ('/v3/native/backups', '/v3/%s/native/backups/detail'
                     % self.p1, '/v3/%s/backups' % self.p1):
            response = self.call(path + '?all_tenants=true', self.token)
            self.assertEqual(self.everything, sorted(self.ids(response)))
        self.assertEqual(self.everything, sorted(self.walk(
            '/v3/native/backups?all_tenants=true&limit=3', self.token)))
        body = self.call('/v3/native/backups?all_tenants=true&'
                         'with_count=true&limit=1', self.token,
                         version='3.45').json()
        self.assertEqual(len(self.everything), body['count'])

    def test_all_tenants_one_project(self):
        response = self.call('/v3/native/backups?all_tenants=true&'
                             'project_id=' + self.p2, self.token,
                             version='3.45')
        self.assertEqual(sorted(self.env.backups[self.p2]),
                         sorted(self.ids(response)))

    def test_own_project_without_all_tenants(self):
        response = self.call('/v3/native/backups', self.token)
        self.assertEqual(sorted(self.env.backups[self.p1]),
                         sorted(self.ids(response)))

    def test_project_attributes(self):
        for version, keys in (('3.17', set()),
                              ('3.18', {'os-backup-project-attr:project_id'}),
                              ('3.56', {'os-backup-project-attr:project_id',
                                        'user_id'})):
            response = self.call('/v3/native/backups/detail?all_tenants=true',
                                 self.token, version=version)
            backups = response.json()['backups']
            self.assertEqual(len(self.everything), len(backups))
            for backup in backups:
                self.assertEqual(keys, keys & set(backup), version)
                self.assertNotIn('user_id', set(backup) - keys)
                if keys:
                    project = backup['os-backup-project-attr:project_id']
                    self.assertIn(backup['id'], self.env.backups[project])
            show = self.call('/v3/native/backups/' + backups[0]['id'],
                             self.token, version=version).json()['backup']
            self.assertEqual(keys, keys & set(show), version)
