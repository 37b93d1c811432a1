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

"""The Cinder paste filters without Cinder: a stand-in for the rest of
Cinder's pipeline, a context as Cinder's auth filters leave it, and the
service's own SQLite database. tests/cinder runs them in a real cinder-api.
"""

import json

from oslo_context import context as oslo_context
from oslotest import base as oslotest_base
import webob

from tests import fixtures as test_fixtures
from tests.functional import data
from vbs_native.api import cinder_filter

P = data.PROJECT
REQUEST_ID = 'req-11111111-2222-3333-4444-555555555555'


class _Cinder:
    """What is left of Cinder's pipeline: records what reaches it."""

    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append((environ['REQUEST_METHOD'], environ['PATH_INFO']))
        start_response('299 Cinder', [('Content-Type', 'text/plain')])
        return [b'cinder']


class FilterTest(oslotest_base.BaseTestCase):

    cinder_routes = False

    def setUp(self):
        super().setUp()
        conf = self.useFixture(test_fixtures.Conf(**{
            'vbs_native.cinder_routes': self.cinder_routes})).conf
        self.useFixture(test_fixtures.Database()).insert(data.BACKUPS)
        self.cinder = _Cinder()
        self.app = cinder_filter.NativeFilter(self.cinder, conf)
        self.versions = cinder_filter.VersionsFilter(self.cinder, conf)

    def request(self, path, app=None, method='GET', context=True,
                headers=None):
        req = webob.Request.blank('/v3' + path, method=method,
                                  headers=headers or {})
        req.script_name, req.path_info = '/v3', path.partition('?')[0]
        req.environ['openstack.request_id'] = REQUEST_ID
        if context:
            # As Cinder's noauth or keystonecontext filter leaves it.
            req.environ['cinder.context'] = oslo_context.RequestContext(
                user_id='u1', project_id=P, roles=['reader'],
                request_id=REQUEST_ID)
        return req.get_response(app or self.app)

    def test_native_list_for_cinders_caller(self):
        response = self.request('/%s/native/backups?limit=2' % P)
        self.assertEqual(200, response.status_int)
        self.assertEqual(2, len(response.json['backups']))
        self.assertEqual(REQUEST_ID, response.headers['x-compute-request-id'])
        self.assertEqual('volume 3.0',
                         response.headers['OpenStack-API-Version'])
        self.assertEqual([], self.cinder.calls)

    def test_everything_else_is_cinders(self):
        for method, path in (('GET', '/%s/backups' % P),
                             ('POST', '/%s/backups' % P),
                             ('GET', '/%s/backups/detail' % P),
                             ('GET', '/%s/volumes' % P),
                             ('GET', '/%s/resource_filters' % P),
                             ('GET', '/'),
                             ('GET', '/%s/nativex/backups' % P)):
            response = self.request(path, method=method)
            self.assertEqual('299 Cinder', response.status, path)
            self.assertEqual(b'cinder', response.body)
        self.assertEqual(7, len(self.cinder.calls))

    def test_native_methods(self):
        response = self.request('/%s/native/backups' % P, method='DELETE')
        self.assertEqual(405, response.status_int)
        self.assertEqual('GET, HEAD', response.headers['Allow'])
        self.assertEqual(REQUEST_ID, response.headers['x-compute-request-id'])
        self.assertEqual([], self.cinder.calls)

    def test_headers_are_no_identity_without_cinder_context(self):
        # The filter placed before Cinder's auth filters: the headers are
        # the client's own.
        for headers in ({'X-User-Id': 'u1', 'X-Project-Id': P,
                         'X-Roles': 'admin'},
                        {'X-User-Id': 'u1', 'X-Project-Id': P,
                         'X-Roles': 'admin', 'X-Identity-Status': 'Confirmed'},
                        {'X-Auth-Token': 'u1:%s' % P}):
            response = self.request('/native/backups', context=False,
                                    headers=headers)
            self.assertEqual(401, response.status_int, headers)
            self.assertEqual(401, response.json['unauthorized']['code'])

    def test_no_identity(self):
        response = self.request('/%s/native/backups' % P, context=False)
        self.assertEqual(401, response.status_int)
        self.assertEqual(401, response.json['unauthorized']['code'])
        self.assertEqual(REQUEST_ID, response.headers['x-compute-request-id'])

    def test_cinder_context_without_project(self):
        req = webob.Request.blank('/v3/native/backups')
        req.script_name, req.path_info = '/v3', '/native/backups'
        req.environ['cinder.context'] = oslo_context.RequestContext(
            user_id='u1', roles=['reader'])
        response = req.get_response(self.app)
        self.assertEqual(403, response.status_int)
        self.assertEqual(403, response.json['forbidden']['code'])

    def test_policy_from_roles(self):
        req = webob.Request.blank('/v3/%s/native/backups' % P)
        req.script_name, req.path_info = '/v3', '/%s/native/backups' % P
        req.environ['cinder.context'] = oslo_context.RequestContext(
            user_id='u1', project_id=P, roles=['member'])
        response = req.get_response(self.app)
        self.assertEqual(403, response.status_int)
        self.assertIn('backup:get_all', response.text)

    def test_version_document_before_auth(self):
        for path in ('/%s/native' % P, '/native', '/native/'):
            response = self.request(path, app=self.versions, context=False)
            self.assertEqual(200, response.status_int, path)
            version = json.loads(response.body)['versions'][0]
            self.assertEqual('3.71', version['version'])
            # The native endpoint itself: clients stay off Cinder's /v3/.
            self.assertEqual(
                {'rel': 'self',
                 'href': 'http://localhost/v3%s/' % path.rstrip('/')},
                version['links'][1])
            self.assertEqual(REQUEST_ID,
                             response.headers['x-compute-request-id'])
        response = self.request('/%s/native' % P, app=self.versions,
                                method='PUT', context=False)
        self.assertEqual(405, response.status_int)
        for path in ('/', '/%s/native/backups' % P, '/%s/backups' % P):
            response = self.request(path, app=self.versions, context=False)
            self.assertEqual('299 Cinder', response.status, path)

    def test_version_document_takes_no_body(self):
        # As every route of the standalone service.
        req = webob.Request.blank('/v3/native', method='GET',
                                  body=b'{}', content_type='application/json')
        req.script_name, req.path_info = '/v3', '/native'
        response = req.get_response(self.versions)
        self.assertEqual(400, response.status_int)
        self.assertEqual('A GET request takes no body.',
                         response.json['badRequest']['message'])
        self.assertEqual([], self.cinder.calls)


class CinderRoutesTest(FilterTest):
    """``[vbs_native] cinder_routes = true``: GET on Cinder's /backups paths
    is the filter's, other methods there are still Cinder's."""

    cinder_routes = True

    def test_everything_else_is_cinders(self):
        for method, path in (('POST', '/%s/backups' % P),
                             ('DELETE', '/%s/backups/x' % P),
                             ('POST', '/%s/backups/x/action' % P),
                             ('GET', '/%s/backups.json' % P),
                             ('GET', '/%s/volumes' % P)):
            response = self.request(path, method=method)
            self.assertEqual('299 Cinder', response.status, path)

    def test_cinder_paths(self):
        for path in ('/%s/backups' % P, '/%s/backups/detail' % P,
                     '/backups'):
            response = self.request(path)
            self.assertEqual(200, response.status_int, path)
            self.assertNotIn('/native/',
                             response.json['backups'][0]['links'][0]['href'])
        self.assertEqual([], self.cinder.calls)
