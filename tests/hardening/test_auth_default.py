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

"""Not open by default. A configuration that names no auth_strategy, or
misspells the option, runs the keystone pipeline, as Cinder does: a caller
naming itself in headers is not served. noauth, where every caller names
its own identity, refuses to start on an address that is not loopback
unless ``noauth_allow_non_loopback`` allows it, under vbs-native-api and
under a WSGI server loading ``vbs_native.wsgi.api`` alike."""

import os
import shutil

from tests.hardening import base
from tests.harness import config
from tests.harness import processes
from tests.harness import service

SECTION = 'Identity'
OPEN = '0.0.0.0'  # nosec B104: the address the service must refuse


class TestAuthDefault(base.SQLiteTestCase):

    count = 5
    workers = 0  # each test starts its own

    def setUp(self):
        super().setUp()
        self.project = self.projects[0]
        self.target = '/v3/%s/native/backups' % self.project
        self.headers = [('X-Auth-Token', 'u:%s' % self.project),
                        ('X-Roles', 'admin')]

    def temp_dir(self):
        directory = base.temp_dir()
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        return directory

    def api(self, options):
        return service.Api(self.temp_dir(), self.url, options=options)

    def refused(self, server):
        """``server`` exits at start, saying why and what allows it."""
        server.start()
        self.addCleanup(server.stop)
        self.assertNotEqual(0, server.process.wait(120))
        output = server.log_tail()
        self.assertIn('noauth_allow_non_loopback', output)
        return output

    def test_no_strategy_is_keystone(self):
        closed = processes.free_port()
        keystone = 'http://127.0.0.1:%d/v3' % closed
        for options in ({'auth_strategy': None},
                        {'auth_strategy': None, 'auth_stratgy': 'noauth'}):
            options = dict(options, **{
                'osapi_volume_listen': OPEN,
                'keystone_authtoken.www_authenticate_uri': keystone,
                'keystone_authtoken.auth_url': keystone,
                'keystone_authtoken.auth_type': 'password',
                'keystone_authtoken.username': 'vbs-native',
                'keystone_authtoken.password': 'secret',
                'keystone_authtoken.project_name': 'service',
                'keystone_authtoken.user_domain_name': 'Default',
                'keystone_authtoken.project_domain_name': 'Default',
                'keystone_authtoken.http_request_max_retries': 0})
            api = self.useFixture(self.api(options))
            api.wait(120)
            response = base.request(api.port, 'GET', self.target,
                                    self.headers)
            # Keystone does not answer: the token is not taken (401, or
            # 503 as Cinder answers while Keystone is away).
            self.assertIn(response.status, (401, 503), response.body)
            self.assertFault(response, response.status)
        base.record(SECTION, 'no auth_strategy (or auth_stratgy = noauth), '
                    'on 0.0.0.0; X-Auth-Token user:project, X-Roles: admin',
                    'the keystone pipeline: %s' % base.describe(response))

    def test_noauth_refused_on_an_open_address(self):
        for listen in (OPEN, '::', '192.0.2.1'):
            output = self.refused(self.api({'auth_strategy': 'noauth',
                                            'osapi_volume_listen': listen}))
            self.assertIn(listen, output)
        base.record(SECTION, 'vbs-native-api: auth_strategy = noauth on '
                    '0.0.0.0', 'refuses to start, naming '
                    'noauth_allow_non_loopback')

    def test_noauth_allowed_on_an_open_address(self):
        api = self.useFixture(self.api({
            'auth_strategy': 'noauth', 'osapi_volume_listen': OPEN,
            'noauth_allow_non_loopback': True}))
        api.wait(120)
        response = base.request(api.port, 'GET', self.target, self.headers)
        self.assertEqual(200, response.status, response.body)

    def wsgi_server(self, options):
        """gunicorn loading vbs_native.wsgi.api, its configuration in the
        directory VBS_NATIVE_CONFIG_DIR names."""
        directory = self.temp_dir()
        port = processes.free_port()
        config.write(os.path.join(directory, 'vbs-native.conf'),
                     service.api_config(directory, port, self.url,
                                        options=options))
        return processes.Server(
            'gunicorn', [os.path.join(service.BIN, 'gunicorn'),
                         '--bind', '127.0.0.1:%d' % port,
                         'vbs_native.wsgi.api:application'],
            os.path.join(directory, 'stdout.log'), port,
            env=dict(os.environ, VBS_NATIVE_CONFIG_DIR=directory),
            logs=[os.path.join(directory, 'api.log')])

    def test_wsgi_module_refuses_noauth(self):
        output = self.refused(self.wsgi_server({'auth_strategy': 'noauth'}))
        self.assertIn('WSGI server', output)
        base.record(SECTION, 'vbs_native.wsgi.api under gunicorn: '
                    'auth_strategy = noauth', 'refuses to load, naming '
                    'noauth_allow_non_loopback')

    def test_wsgi_module_noauth_allowed(self):
        server = self.useFixture(self.wsgi_server({
            'auth_strategy': 'noauth', 'noauth_allow_non_loopback': True}))
        server.wait_ready(lambda: processes.status(
            server.port, '/healthcheck') == 200, 120)
        response = base.request(server.port, 'GET', self.target,
                                self.headers)
        self.assertEqual(200, response.status, response.body)
