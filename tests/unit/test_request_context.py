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
        wrapped = oslo.RequestId(oslo.CurrentContext(app), conf)
        # A context left over by an earlier request of this thread.
        oslo_context.RequestContext(user_id='earlier', project_id='p')
        for _ in range(2):
            response = webob.Request.blank('/').get_response(wrapped)
            current = seen[-1]
            self.assertEqual(response.headers['x-openstack-request-id'],
                             current.request_id)
            self.assertIsNone(current.user_id)


class RequestIdTests(oslotest_base.BaseTestCase):
    """The service's request id middleware answers as oslo.middleware's
    does, without its webob response."""

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(test_fixtures.Conf()).conf
        self.seen = []

    def app(self, headers):
        def app(environ, start_response):
            self.seen.append(dict(environ))
            start_response('200 OK', list(headers))
            return [b'{}']
        return app

    def answers(self, middleware_class, headers=(), request_headers=None,
                compat_headers=()):
        wrapped = middleware_class(self.app(headers), self.conf)
        wrapped.compat_headers = list(compat_headers)
        request = webob.Request.blank('/', headers=request_headers or {})
        response = request.get_response(wrapped)
        environ = self.seen[-1]
        return response, environ

    def test_same_answers_as_oslo(self):
        inbound = 'req-0123abcd-0123-4567-89ab-0123456789ab'
        cases = [
            {},
            {'request_headers': {'X-Openstack-Request-Id': inbound}},
            {'request_headers': {'X-Openstack-Request-Id': 'not-an-id'}},
            {'headers': [('x-openstack-request-id', 'req-own')]},
            {'compat_headers': ['x-compute-request-id']},
            {'headers': [('X-Compute-Request-Id', 'mine')],
             'compat_headers': ['x-compute-request-id']},
        ]
        for case in cases:
            ours, ours_environ = self.answers(oslo.RequestId, **case)
            theirs, their_environ = self.answers(request_id.RequestId,
                                                 **case)
            request_id_ours = ours_environ[request_id.ENV_REQUEST_ID]
            request_id_theirs = their_environ[request_id.ENV_REQUEST_ID]
            self.assertRegex(request_id_ours, request_id.ID_FORMAT)
            self.assertEqual(
                their_environ.get(request_id.GLOBAL_REQ_ID),
                ours_environ.get(request_id.GLOBAL_REQ_ID), case)
            self.assertEqual(
                [(name.lower(), value.replace(request_id_theirs, 'ID'))
                 for name, value in theirs.headerlist],
                [(name.lower(), value.replace(request_id_ours, 'ID'))
                 for name, value in ours.headerlist], case)
        # Ours saw the caller's global id (case 2), not the bad one (3).
        self.assertEqual(inbound, self.seen[2][request_id.GLOBAL_REQ_ID])
        self.assertNotIn(request_id.GLOBAL_REQ_ID, self.seen[4])

    def test_each_request_has_its_own_id(self):
        first, _environ = self.answers(oslo.RequestId)
        second, _environ = self.answers(oslo.RequestId)
        self.assertNotEqual(first.headers['x-openstack-request-id'],
                            second.headers['x-openstack-request-id'])


class GunicornLoggerTests(oslotest_base.BaseTestCase):

    def test_gunicorn_messages_go_through_the_root_handlers(self):
        root = self.useFixture(fixtures.FakeLogger(level=logging.INFO))
        logger = api.OsloLogger(gunicorn_config.Config())
        logger.info('Booting worker with pid: %s', 42)
        logger.error('Worker (pid:%s) was sent SIGKILL!', 43)
        self.assertIn('Booting worker with pid: 42', root.output)
        self.assertIn('Worker (pid:43) was sent SIGKILL!', root.output)
        self.assertEqual([], logging.getLogger('gunicorn.error').handlers)
