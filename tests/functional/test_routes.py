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

"""Walk the route table: every route answers with and without the project,
a caller with no role gets 403 on every route's methods whatever the query,
any other method is a 405 with Allow; every answer is JSON with a request
id."""

from tests.functional import base
from tests.functional import data
from tests.functional import model
from vbs_native.api import router

OTHER_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE',
                 'PROPFIND')
BAD_QUERY = ('?limit=abc&offset=-1&marker=nope&sort=foo:bar&sort_key=x'
             '&with_count=maybe&all_tenants=abc&foo=1&name~=x&%C3%A9=1')


def concrete_paths(families):
    """(URL path, methods, needs identity) for every route of the table."""
    paths = []
    for template, methods, facts in router.route_table(families):
        path = '/v3' + template.format(project_id=data.PROJECT,
                                       backup_id=model.backup_id(1))
        # The version documents need no identity.
        paths.append((path, sorted(methods), not facts.get('public')))
    return paths


class TestRouteWalk(base.APITestCase):

    families = (router.NATIVE, router.CINDER)

    def check_fault(self, response, status, name, context):
        self.assertEqual(status, response.status, context)
        self.assertIn('x-openstack-request-id', response.headers, context)
        if response.body:
            self.assertEqual([name], list(response.json), context)

    def test_table_covers_both_families_with_and_without_project(self):
        paths = {path for path, _m, _i in concrete_paths(self.families)}
        for family in ('/native', ''):
            for suffix in ('', '/detail', '/' + model.backup_id(1)):
                self.assertIn('/v3%s/backups%s' % (family, suffix), paths)
                self.assertIn('/v3/%s%s/backups%s' % (
                    data.PROJECT, family, suffix), paths)
        self.assertIn('/v3/resource_filters', paths)
        self.assertIn('/v3/%s/resource_filters' % data.PROJECT, paths)

    def test_a_reader_reaches_every_route(self):
        for path, methods, _identity in concrete_paths(self.families):
            for method in methods + ['HEAD']:
                response = self.request(method, path, roles='reader',
                                        version='3.33')
                self.assertEqual(200, response.status, (method, path))
                self.assertIn('x-openstack-request-id', response.headers)

    def test_no_role_is_403_on_every_route_whatever_the_query(self):
        for path, methods, identity in concrete_paths(self.families):
            if not identity:
                continue
            for method in methods + ['HEAD']:
                for query in ('', BAD_QUERY):
                    for version in ('3.0', '3.33', '3.71'):
                        response = self.request(
                            method, path + query, roles='',
                            version=version)
                        self.check_fault(response, 403, 'forbidden',
                                         (method, path, query, version))
                        self.assertEqual(
                            'volume %s' % version,
                            response.headers['OpenStack-API-Version'])

    def test_other_methods_are_405_with_allow(self):
        for path, methods, _identity in concrete_paths(self.families):
            allowed = ', '.join(sorted(set(methods) | {'HEAD'}))
            for method in OTHER_METHODS:
                for roles in ('', 'admin'):
                    response = self.request(method, path, roles=roles)
                    self.check_fault(response, 405, 'badMethod',
                                     (method, path))
                    self.assertEqual(allowed, response.headers['Allow'])

    def test_no_identity_is_401_on_every_route(self):
        for path, methods, identity in concrete_paths(self.families):
            if not identity:
                continue
            for method in methods + ['HEAD']:
                response = self.request(method, path, project=None)
                self.check_fault(response, 401, 'unauthorized',
                                 (method, path))


class TestRouteWalkNativeOnly(TestRouteWalk):

    overrides = {'vbs_native.cinder_routes': False}
    families = (router.NATIVE,)

    def test_table_covers_both_families_with_and_without_project(self):
        paths = {path for path, _m, _i in concrete_paths(self.families)}
        self.assertIn('/v3/native/backups', paths)
        self.assertNotIn('/v3/backups', paths)
        for path in ('/v3/backups', '/v3/%s/backups/detail' % data.PROJECT,
                     '/v3/backups/%s' % model.backup_id(1)):
            self.check_fault(self.get(path), 404, 'itemNotFound', path)


class TestProjectIdRegex(base.APITestCase):
    """``project_id_regex`` decides what a project segment may be."""

    overrides = {'project_id_regex': '[0-9a-zA-Z_]+'}

    def test_configured_regex(self):
        body = self.get_json('/v3/Proj_1/native/backups', project='Proj_1')
        self.assertEqual({'backups': []}, body)
        response = self.get('/Proj_1/backups/x')
        self.assertEqual(302, response.status)
        self.assertEqual(base.BASE + '/v3/Proj_1/backups/x',
                         response.headers['Location'])
        # A dash is no longer in it.
        self.check_fault(self.get('/v3/p-1/backups', project='p-1'), 404,
                         'itemNotFound', 'p-1')

    check_fault = TestRouteWalk.check_fault
