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

"""Keystone goes down under a running service: a request whose token
cannot be validated gets 503 serviceUnavailable with Retry-After, as from
Cinder, never a 401 (which sends clients to authenticate again instead of
retrying). A Keystone of its own, stopped by the test; vbs-native
configured as the README says, with the token cache off."""

import configparser
import os
import time

import fixtures
from oslotest import base as oslotest_base
import requests
import sqlalchemy

from tests.keystone import base
from tests.keystone import servers
from vbs_native.db import migration

PROJECT = 'vbs-down'
USER = ('down-reader', 'down-reader-pw')
# keystonemiddleware tries three more times, 0.5, 1 and 2 s apart; a loaded
# machine adds some.
BOUND = 20


class KeystoneDownTest(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        venv = os.environ.get('VBS_NATIVE_TEST_KEYSTONE_VENV')
        if not venv:
            self.skipTest('VBS_NATIVE_TEST_KEYSTONE_VENV is not set: run '
                          'tox -e keystone')
        top = self.useFixture(fixtures.TempDir()).path
        self.keystone = servers.Keystone(venv, os.path.join(top, 'keystone'))
        readme = base.readme_keystone_config().replace(
            base.README_KEYSTONE, self.keystone.root)
        config = readme + base.UNCACHED
        database = 'sqlite:///%s' % os.path.join(top, 'vbs_native.sqlite')
        engine = sqlalchemy.create_engine(database)
        migration.upgrade(engine)
        engine.dispose()
        self.vbs = self.useFixture(servers.VbsNative(
            os.path.join(top, 'vbs'), {'keystone.conf': config}, database))
        self.keystone.setUp()
        self.keystone_up = True
        self.addCleanup(self.stop_keystone)
        parser = configparser.ConfigParser()
        parser.read_string(readme)
        service = parser['keystone_authtoken']
        self.identity = self.useFixture(servers.Identity(
            self.keystone, [PROJECT, service['project_name']],
            {USER[0]: (USER[1], PROJECT, 'reader'),
             service['username']: (service['password'],
                                   service['project_name'], 'service')},
            self.vbs.url + '/v3/%(project_id)s'))
        self.vbs.wait()

    def stop_keystone(self):
        if self.keystone_up:
            self.keystone_up = False
            self.keystone.cleanUp()

    def list_backups(self, token):
        started = time.monotonic()
        response = requests.get(
            '%s/v3/%s/native/backups' % (
                self.vbs.url, self.identity.projects[PROJECT]),
            headers={'X-Auth-Token': token}, timeout=60)
        return response, time.monotonic() - started

    def test_keystone_down(self):
        token = self.identity.token(USER[0])
        response, _elapsed = self.list_backups(token)
        self.assertEqual(200, response.status_code, response.text)

        self.stop_keystone()
        for _attempt in range(2):
            response, elapsed = self.list_backups(token)
            self.assertEqual(503, response.status_code, response.text)
            self.assertEqual(['serviceUnavailable'], list(response.json()))
            self.assertEqual(503, response.json()[
                'serviceUnavailable']['code'])
            self.assertTrue(response.headers.get('Retry-After', '').isdigit(),
                            response.headers)
            self.assertNotIn('WWW-Authenticate', response.headers)
            self.assertLess(elapsed, BOUND)
