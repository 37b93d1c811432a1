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

"""vbs-native-status upgrade check: the checks that need no database, and
the command's exit codes."""

import os

import fixtures
from oslotest import base as oslotest_base

from tests import fixtures as test_fixtures
from vbs_native.cmd import status
from vbs_native.conf import audit

Code = status.Code
TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class StatusTest(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def checks(self, config='', **overrides):
        path = self.write('vbs-native.conf', config)
        conf = self.useFixture(test_fixtures.Conf(**overrides)).conf
        conf(['--config-file', path], default_config_files=[])
        return status.Checks(conf)

    def test_no_policy_file(self):
        result = self.checks(
            '[oslo_policy]\npolicy_file = %s/none.yaml\n' % self.tmp
        ).check_policy()
        self.assertEqual(Code.SUCCESS, result.code)

    def test_policy_file_with_known_rules(self):
        path = self.write('policy.yaml', '"backup:get": "role:admin"\n'
                          '"backup:create": ""\n"volume:create": ""\n')
        result = self.checks('[oslo_policy]\npolicy_file = %s\n' % path
                             ).check_policy()
        self.assertEqual(Code.SUCCESS, result.code, result.details)

    def test_policy_file_naming_an_unknown_rule(self):
        path = self.write('policy.yaml', '"backup:get_al": "role:admin"\n')
        result = self.checks('[oslo_policy]\npolicy_file = %s\n' % path
                             ).check_policy()
        self.assertEqual(Code.WARNING, result.code)
        self.assertIn('backup:get_al', result.details)

    def test_policy_file_that_does_not_parse(self):
        path = self.write('policy.yaml', '"backup:get": [role:admin\n')
        result = self.checks('[oslo_policy]\npolicy_file = %s\n' % path
                             ).check_policy()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn(path, result.details)

    def test_noauth_on_loopback(self):
        for host in ('127.0.0.1', '::1', 'localhost'):
            result = self.checks(auth_strategy='noauth',
                                 osapi_volume_listen=host).check_noauth()
            self.assertEqual(Code.SUCCESS, result.code, host)

    def test_keystone_anywhere(self):
        result = self.checks(auth_strategy='keystone',
                             osapi_volume_listen='0.0.0.0').check_noauth()
        self.assertEqual(Code.SUCCESS, result.code)

    def test_noauth_not_on_loopback(self):
        result = self.checks(auth_strategy='noauth',
                             osapi_volume_listen='0.0.0.0').check_noauth()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('auth_strategy = keystone', result.details)

    def test_noauth_not_on_loopback_allowed(self):
        result = self.checks(auth_strategy='noauth',
                             osapi_volume_listen='192.0.2.1',
                             noauth_allow_non_loopback=True).check_noauth()
        self.assertEqual(Code.WARNING, result.code)

    def test_keystone_needs_an_auth_plugin(self):
        result = self.checks(auth_strategy='keystone').check_identity()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('[keystone_authtoken]', result.details)
        result = self.checks('[keystone_authtoken]\nauth_type = password\n',
                             auth_strategy='keystone').check_identity()
        self.assertEqual(Code.SUCCESS, result.code, result.details)
        result = self.checks(auth_strategy='noauth').check_identity()
        self.assertEqual(Code.SUCCESS, result.code)

    def test_known_options(self):
        result = self.checks(
            '[DEFAULT]\nauth_strategy = keystone\ndebug = true\n'
            'osapi_max_limit = 5\n'
            '[database]\nconnection = sqlite://\nmax_retries = 0\n'
            '[keystone_authtoken]\nauth_type = password\nusername = u\n'
            'password = p\nauth_url = http://k/v3\n'
            'www_authenticate_uri = http://k\n'
            '[oslo_middleware]\nenable_proxy_headers_parsing = true\n'
            '[healthcheck]\nbackends = disable_by_file\n'
            '[oslo_policy]\npolicy_file = p.yaml\n'
            '[vbs_native]\ncinder_routes = false\n').check_options()
        self.assertEqual(Code.SUCCESS, result.code, result.details)

    def test_misspelled_options(self):
        result = self.checks('[DEFAULT]\nauth_stratgy = keystone\n'
                             '[vbs_native]\ncinder_route = false\n'
                             '[databse]\nconnection = sqlite://\n'
                             ).check_options()
        self.assertEqual(Code.WARNING, result.code)
        for text in ('[DEFAULT] auth_stratgy', '[vbs_native] cinder_route',
                     '[databse] connection'):
            self.assertIn(text, result.details)

    def test_namespaces_are_the_sample_config_files(self):
        with open(os.path.join(TOP, 'etc', 'vbs_native',
                               'vbs-native-config-generator.conf')) as f:
            namespaces = [line.split('=', 1)[1].strip() for line in f
                          if line.startswith('namespace')]
        self.assertEqual(sorted(audit.NAMESPACES), sorted(namespaces))
