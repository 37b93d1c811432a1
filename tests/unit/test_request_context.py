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

"""The request context as the middlewares make it: from auth_token's
headers in keystone mode, and current for logging from the first line of
a request."""

import logging

import fixtures
from gunicorn import config as gunicorn_config
from oslo_context import context as oslo_context
from oslo_middleware import request_id
from oslotest import base as oslotest_base
import webob

from tests import fixtures as test_fixtures
from vbs_native.api.middleware import auth
from vbs_native.api.middleware import oslo
from vbs_native.cmd import api
from vbs_native import context as vbs_context
from vbs_native import policy


def _ok(environ, start_response):
    start_response('200 OK', [('Content-Type', 'application/json')])
    return [b'{}']


class KeystoneContextTests(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        conf = self.useFixture(test_fixtures.Conf()).conf
        self.app = auth.KeystoneContext(_ok, conf)

    def get(self, **headers):
        return webob.Request.blank('/native/backups',
                                   headers=headers).get_response(self.app)

    def test_invalid_token_answered_not_raised(self):
        # Returned, so that it goes back through auth_token, which adds
        # WWW-Authenticate.
        response = self.get(**{'X-Identity-Status': 'Invalid'})
        self.assertEqual(401, response.status_int)
        self.assertEqual('unauthorized', list(response.json)[0])

    def test_no_project_is_403(self):
        response = self.get(**{'X-Identity-Status': 'Confirmed',
                               'X-User-Id': 'u1', 'X-Roles': ''})
        self.assertEqual(403, response.status_int)
        self.assertEqual('A token scoped to a project is required.',
                         response.json['forbidden']['message'])

    def test_project_token(self):
        response = self.get(**{'X-Identity-Status': 'Confirmed',
                               'X-User-Id': 'u1', 'X-Project-Id': 'p1',
                               'X-Roles': 'reader'})
        self.assertEqual(200, response.status_int)


class PolicyValuesTests(oslotest_base.BaseTestCase):

    def test_is_admin(self):
        conf = self.useFixture(test_fixtures.Conf()).conf
        enforcer = policy.make_enforcer(conf)
        for roles, is_admin in ((['admin'], True), (['reader'], False)):
            context = vbs_context.RequestContext(
                user_id='u', project_id='p', roles=roles,
                is_admin_project=False, enforcer=enforcer)
            self.assertIs(is_admin, context.to_policy_values()['is_admin'])
            self.assertIs(is_admin, context.can(
                'backup:backup_project_attribute', fatal=False))


class CurrentContextTests(oslotest_base.BaseTestCase):

    def test_each_request_replaces_the_current_context(self):
        seen = []

        def app(environ, start_response):
            seen.append(oslo_context.get_current())
            return _ok(environ, start_response)

        conf = self.useFixture(test_fixtures.Conf()).conf
        wrapped = request_id.RequestId(oslo.CurrentContext(app), conf)
        # A context left over by an earlier request of this thread.
        oslo_context.RequestContext(user_id='earlier', project_id='p')
        for _ in range(2):
            response = webob.Request.blank('/').get_response(wrapped)
            current = seen[-1]
            self.assertEqual(response.headers['x-openstack-request-id'],
                             current.request_id)
            self.assertIsNone(current.user_id)


class GunicornLoggerTests(oslotest_base.BaseTestCase):

    def test_gunicorn_messages_go_through_the_root_handlers(self):
        root = self.useFixture(fixtures.FakeLogger(level=logging.INFO))
        logger = api.OsloLogger(gunicorn_config.Config())
        logger.info('Booting worker with pid: %s', 42)
        logger.error('Worker (pid:%s) was sent SIGKILL!', 43)
        self.assertIn('Booting worker with pid: 42', root.output)
        self.assertIn('Worker (pid:43) was sent SIGKILL!', root.output)
        self.assertEqual([], logging.getLogger('gunicorn.error').handlers)
