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

"""noauth identity (CONTRACT.md sections 6 and 8): who the caller is, from
headers; a warning; loopback by default."""

import fixtures
from oslotest import base as oslotest_base

from tests import fixtures as test_fixtures
from vbs_native.api.middleware import auth
from vbs_native import exception


class TestNoAuth(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.logger = self.useFixture(fixtures.FakeLogger(level='WARNING'))
        self.conf = self.useFixture(test_fixtures.Conf()).conf
        self.middleware = auth.NoAuthMiddleware(None, self.conf)

    def context(self, **headers):
        environ = {'HTTP_' + key.upper(): value
                   for key, value in headers.items()}
        return self.middleware.make_context(environ)

    def test_warns_and_listens_on_loopback_by_default(self):
        self.assertIn('noauth', self.logger.output)
        self.assertEqual('127.0.0.1', self.conf.osapi_volume_listen)
        self.assertEqual('noauth', self.conf.auth_strategy)

    def test_token(self):
        context = self.context(x_auth_token='u1:p1')
        self.assertEqual(('u1', 'p1'), (context.user_id, context.project_id))
        self.assertEqual(['reader', 'member'], context.roles)
        self.assertFalse(context.is_admin)
        # The project is everything after the first colon.
        self.assertEqual('p1:x', self.context(
            x_auth_token='u1:p1:x').project_id)

    def test_headers(self):
        context = self.context(x_user_id='u1', x_project_id='p1')
        self.assertEqual(('u1', 'p1'), (context.user_id, context.project_id))

    def test_no_identity(self):
        for headers in ({}, {'x_auth_token': 'u1'},
                        {'x_auth_token': ':p1'}, {'x_auth_token': 'u1:'},
                        {'x_auth_token': ''}, {'x_project_id': 'p1'},
                        {'x_user_id': 'u1'},
                        {'x_auth_token': '', 'x_user_id': 'u1',
                         'x_project_id': 'p1'}):
            exc = self.assertRaises(exception.NotAuthenticated,
                                    self.context, **headers)
            self.assertEqual(401, exc.code)

    def test_roles(self):
        for value, roles in [('', []), (' , ', []), ('admin', ['admin']),
                             (' reader , member ', ['reader', 'member'])]:
            self.assertEqual(roles, self.context(
                x_auth_token='u:p', x_roles=value).roles, value)
        self.assertTrue(self.context(x_auth_token='u:p',
                                     x_roles='admin').is_admin)

    def test_default_roles_are_configurable(self):
        conf = self.useFixture(test_fixtures.Conf(
            noauth_default_roles=['member'])).conf
        middleware = auth.NoAuthMiddleware(None, conf)
        self.assertEqual(['member'], middleware.make_context(
            {'HTTP_X_AUTH_TOKEN': 'u:p'}).roles)
