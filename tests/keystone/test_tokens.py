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

"""Tokens as keystonemiddleware's auth_token sees them, against a real
Keystone: no token, garbage, expired and revoked tokens are refused with a
401 JSON fault that names Keystone; a valid token reads its own project.
Each case runs against a server with the middleware's token cache on and
one with it off."""

import uuid

from tests.keystone import base


class _TokenTests:

    server = None

    def assert_refused(self, token):
        for project in (self.p1, None):
            for path, version in self.reads(project):
                response = self.call(path, token, server=self.server,
                                     version=version)
                self.assert_fault(response, 401, 'unauthorized')
                self.assertEqual(
                    'Keystone uri="%s"' % self.env.keystone.root,
                    response.headers['WWW-Authenticate'])

    def test_no_token(self):
        self.assert_refused(None)

    def test_garbage_token(self):
        self.assert_refused('garbage-' + uuid.uuid4().hex)

    def test_truncated_token(self):
        self.assert_refused(self.env.token('p1-reader')[:-8])

    def test_expired_token(self):
        expired = self.env.keystone.expired(self.env.token('p1-reader'))
        self.env.tokens.append(expired)
        self.assert_refused(expired)

    def test_revoked_token(self):
        token = self.env.token('p1-reader', fresh=True)
        self.env.identity.admin.revoke(token)
        self.assert_refused(token)

    def test_valid_token(self):
        token = self.env.token('p1-reader')
        for project in (self.p1, None):
            for path, version in self.reads(project):
                response = self.call(path, token, server=self.server,
                                     version=version)
                self.assertEqual(200, response.status_code, path)
                self.assertNotIn('WWW-Authenticate', response.headers)

    def test_versions_need_no_token(self):
        for token in (None, 'garbage'):
            self.assertEqual(300, self.call('/', token,
                                            server=self.server).status_code)
            self.assertEqual(200, self.call('/v3/', token,
                                            server=self.server).status_code)

    def test_identity_headers_from_the_caller_are_ignored(self):
        # auth_token replaces what a caller claims with what the token says.
        forged = {'X-Roles': 'admin', 'X-Project-Id': self.p2,
                  'X-Tenant-Id': self.p2, 'X-Identity-Status': 'Confirmed',
                  'X-Is-Admin-Project': 'True', 'X-User-Id': 'someone'}
        response = self.call(
            '/v3/native/backups?all_tenants=true&limit=100',
            self.env.token('p1-reader'), server=self.server, headers=forged)
        self.assertEqual(sorted(self.env.backups[self.p1]),
                         sorted(self.ids(response)))
        response = self.call('/v3/native/backups', server=self.server,
                             headers=forged)
        self.assert_fault(response, 401, 'unauthorized')


class CachedTokenTests(_TokenTests, base.TestCase):

    server = 'cached'

    def test_revoked_token_served_from_cache(self):
        # The documented cost of the cache: a token validated before it was
        # revoked keeps working here for token_cache_time.
        token = self.env.token('p1-reader', fresh=True)
        path = '/v3/%s/native/backups' % self.p1
        self.assertEqual(200, self.call(path, token).status_code)
        self.env.identity.admin.revoke(token)
        self.assertEqual(200, self.call(path, token).status_code)


class UncachedTokenTests(_TokenTests, base.TestCase):

    server = 'uncached'

    def test_token_revoked_after_use(self):
        token = self.env.token('p1-reader', fresh=True)
        path = '/v3/%s/native/backups' % self.p1
        self.assertEqual(200, self.call(path, token,
                                        server=self.server).status_code)
        self.env.identity.admin.revoke(token)
        self.assert_refused(token)
