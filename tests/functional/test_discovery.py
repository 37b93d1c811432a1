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

"""Version discovery as keystoneauth does it for openstacksdk and the
openstack CLI (``EndpointData.get_versioned_data``): given the native
endpoint, from a catalog or as an endpoint override, the service URL it
finds is the native endpoint itself, for the standalone service and for
the versions filter in front of Cinder's pipeline. keystoneauth takes that
URL from the self link of the version document it reads there."""

import itertools

from keystoneauth1 import discover
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from oslotest import base as oslotest_base
from wsgi_intercept import interceptor

from tests import fixtures as test_fixtures
from tests.functional import data
from vbs_native.api import cinder_filter

# A project id as Keystone makes them, and one of digits only (as
# data.PROJECT), which keystoneauth can mistake for a version segment.
HEX = '5a1e0c6d9f2b4e7a8c3d1f0e6b9a2c4d'
DIGITS = data.PROJECT
STANDALONE = 'standalone.test'
CINDER = 'cinder.test'


def _cinder_behind_auth(environ, start_response):
    """Cinder's keystone pipeline after the versions filter: a caller
    without a token gets 401; every other request is Cinder's, never a
    version document."""
    status = '401 Unauthorized' if 'HTTP_X_AUTH_TOKEN' not in environ \
        else '404 Not Found'
    start_response(status, [('Content-Type', 'application/json')])
    return [b'{}']


class _Cinder:
    """cinder-api's root: ``/`` answers Cinder's version list (the same as
    ours), ``/v3`` goes through the versions filter to the rest."""

    def __init__(self, root, conf):
        self.root = root
        self.v3 = cinder_filter.VersionsFilter(_cinder_behind_auth, conf)

    def __call__(self, environ, start_response):
        path = environ['PATH_INFO']
        if path.startswith('/v3'):
            environ['SCRIPT_NAME'] += '/v3'
            environ['PATH_INFO'] = path[3:]
            return self.v3(environ, start_response)
        return self.root(environ, start_response)


class TestDiscovery(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        conf = self.useFixture(test_fixtures.Conf()).conf
        db = self.useFixture(test_fixtures.Database())
        self.rows = data.BACKUPS + [
            (data.backup(number, project=HEX), {}) for number in (31, 32)]
        db.insert(self.rows)
        app = self.useFixture(test_fixtures.Application(conf)).app
        self.paths = []
        for host, wsgi_app in ((STANDALONE, app), (CINDER, _Cinder(
                app, self.useFixture(test_fixtures.Conf()).conf))):
            intercept = interceptor.RequestsInterceptor(
                lambda wsgi_app=wsgi_app: self._recorded(wsgi_app),
                host=host, port=80)
            intercept.install_intercept()
            self.addCleanup(intercept.uninstall_intercept)

    def _recorded(self, wsgi_app):
        def recording(environ, start_response):
            self.paths.append(environ['HTTP_HOST'] + environ['PATH_INFO'])
            return wsgi_app(environ, start_response)
        return recording

    def discover(self, url, project, known_project=True, catalog=True):
        """The service URL keystoneauth finds at ``url`` for a client of
        ``project``, and the client's session: from a catalog (a version
        asked for, URL guessing allowed) or an endpoint override; auth
        that knows the project (password, token) or not (admin_token,
        noauth) when ``known_project`` is False."""
        session = ks_session.Session(auth=token_endpoint.Token(
            None, 'u1:%s' % project))
        if catalog:
            kwargs = dict(min_version='3', max_version='latest',
                          allow_version_hack=True)
        else:
            kwargs = dict(allow_version_hack=False)
        endpoint = discover.EndpointData(
            catalog_url=url, service_type='block-storage').get_versioned_data(
                session, project_id=project if known_project else None,
                **kwargs)
        self.assertEqual((3, 71), endpoint.max_microversion, url)
        return endpoint.url, session

    def assertStaysNative(self, host, path, project, found, session):
        """The URL found is the native endpoint, and a list sent there by
        the client lands there and answers the project's backups."""
        self.assertEqual('http://%s%s/' % (host, path), found)
        self.paths.clear()
        response = session.get(found + 'backups', raise_exc=False)
        self.assertEqual(['%s%s/backups' % (host, path)], self.paths)
        if host == STANDALONE:
            self.assertEqual(
                sorted(row['id'] for row, _meta in self.rows
                       if row['project_id'] == project
                       and not row['deleted']),
                sorted(backup['id'] for backup in response.json()[
                    'backups']))

    def test_clients_that_know_their_project(self):
        """Password and token auth, from a catalog or an override: with
        and without the project in the URL, any project id."""
        for host, project, in_url, catalog in itertools.product(
                (STANDALONE, CINDER), (HEX, DIGITS), (True, False),
                (True, False)):
            path = '/v3%s/native' % ('/' + project if in_url else '')
            found, session = self.discover('http://%s%s' % (host, path),
                                           project, catalog=catalog)
            self.assertStaysNative(host, path, project, found, session)

    def test_clients_that_do_not_know_their_project(self):
        """admin_token and noauth: the URL with a project as Keystone
        makes them."""
        for host, catalog in itertools.product((STANDALONE, CINDER),
                                               (True, False)):
            path = '/v3/%s/native' % HEX
            found, session = self.discover('http://%s%s' % (host, path),
                                           HEX, known_project=False,
                                           catalog=catalog)
            self.assertStaysNative(host, path, HEX, found, session)
