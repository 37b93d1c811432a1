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
headers; a warning; only when configured, and only on loopback unless
allowed."""

import fixtures
from keystoneauth1 import loading as ksa_loading
from oslo_config import cfg
from oslotest import base as oslotest_base

from tests import fixtures as test_fixtures
from vbs_native.api.middleware import auth
from vbs_native import conf as vbs_conf
from vbs_native import exception
from vbs_native import wsgi


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

    def test_warns(self):
        self.assertIn('noauth', self.logger.output)

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


class TestDefaults(oslotest_base.BaseTestCase):

    def test_keystone_on_loopback(self):
        conf = cfg.ConfigOpts()
        vbs_conf.register_opts(conf)
        conf([], default_config_files=[])
        self.assertEqual('keystone', conf.auth_strategy)
        self.assertEqual('127.0.0.1', conf.osapi_volume_listen)
        self.assertFalse(conf.noauth_allow_non_loopback)


class TestExposure(oslotest_base.BaseTestCase):

    def conf(self, **overrides):
        return self.useFixture(test_fixtures.Conf(**overrides)).conf

    def test_noauth_on_loopback(self):
        conf = self.conf()
        for address in ('127.0.0.1', '127.0.0.2', '::1', 'localhost'):
            wsgi.check_exposure(conf, address)

    def test_noauth_elsewhere_is_refused(self):
        conf = self.conf()
        for address in ('0.0.0.0', '::', '192.0.2.1', 'api.example.com'):
            exc = self.assertRaises(exception.NoauthExposed,
                                    wsgi.check_exposure, conf, address)
            self.assertIn('on %s,' % address, str(exc))
            self.assertIn('noauth_allow_non_loopback', str(exc))
        # Under a WSGI server: the address is unknown.
        exc = self.assertRaises(exception.NoauthExposed,
                                wsgi.check_exposure, conf, None)
        self.assertIn('WSGI server', str(exc))

    def test_allowed(self):
        conf = self.conf(noauth_allow_non_loopback=True)
        for address in ('0.0.0.0', '::', None):
            wsgi.check_exposure(conf, address)

    def test_keystone_anywhere(self):
        conf = self.conf(auth_strategy='keystone')
        for address in ('0.0.0.0', None):
            wsgi.check_exposure(conf, address)


class TestIdentityConfigured(oslotest_base.BaseTestCase):
    """The keystone pipeline needs [keystone_authtoken] to validate a
    token; without it every request with one would be a 500."""

    def conf(self, **authtoken):
        conf = self.useFixture(test_fixtures.Conf(
            auth_strategy='keystone')).conf
        ksa_loading.register_auth_conf_options(conf, wsgi.AUTHTOKEN_GROUP)
        for name, value in authtoken.items():
            conf.set_override(name, value, group=wsgi.AUTHTOKEN_GROUP)
        return conf

    def test_refused_without_an_auth_plugin(self):
        exc = self.assertRaises(exception.KeystoneNotConfigured,
                                wsgi.check_identity, self.conf())
        self.assertIn('[keystone_authtoken]', str(exc))
        self.assertIn('auth_strategy = noauth', str(exc))

    def test_an_auth_plugin_or_its_section(self):
        wsgi.check_identity(self.conf(auth_type='password'))
        wsgi.check_identity(self.conf(auth_section='service_user'))

    def test_noauth_needs_none(self):
        wsgi.check_identity(self.useFixture(test_fixtures.Conf()).conf)
