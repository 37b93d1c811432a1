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

"""The route table and dispatch: every route with and without the project,
in each family; HEAD wherever GET; 405 with Allow for other methods."""

from oslotest import base as oslotest_base

from tests import fixtures as test_fixtures
from vbs_native.api.handlers import backups
from vbs_native.api.handlers import resource_filters
from vbs_native.api.handlers import root
from vbs_native.api import router

P = '0123456789abcdef'


class TestRouteTable(oslotest_base.BaseTestCase):

    def test_every_backup_route_with_and_without_project(self):
        table = {path: (methods, facts) for path, methods, facts
                 in router.route_table([router.NATIVE, router.CINDER])}
        for family in ('/native', ''):
            for path, handler in [('/backups', backups.list_summary),
                                  ('/backups/detail', backups.list_detail),
                                  ('/backups/{backup_id}', backups.show)]:
                for prefix in ('', '/{project_id}'):
                    methods, facts = table[prefix + family + path]
                    self.assertEqual({'GET': handler}, methods)
                    self.assertEqual({'family': family}, facts)
        for prefix in ('', '/{project_id}'):
            self.assertEqual(
                {'GET': resource_filters.list_filters},
                table[prefix + '/resource_filters'][0])
        self.assertEqual({'GET': root.get_version}, table['/'][0])
        # The native endpoint's version document.
        for prefix in ('', '/{project_id}'):
            for path in ('/native', '/native/'):
                self.assertEqual({'GET': root.get_native_version},
                                 table[prefix + path][0])
        self.assertEqual(19, len(table))

    def test_native_only(self):
        paths = [path for path, _m, _f in router.route_table(
            [router.NATIVE])]
        self.assertEqual(13, len(paths))
        self.assertFalse([p for p in paths if p.startswith('/backups')
                          or p.startswith('/{project_id}/backups')])


class TestDispatch(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        conf = self.useFixture(test_fixtures.Conf()).conf
        self.mapper = router.Router(
            conf, [router.NATIVE, router.CINDER]).mapper

    def match(self, path, method='GET'):
        return self.mapper.match(path, environ={'REQUEST_METHOD': method})

    def test_get_and_head(self):
        for method in ('GET', 'HEAD'):
            for path, handler, args in [
                    ('/backups', backups.list_summary, {}),
                    ('/native/backups/detail', backups.list_detail, {}),
                    ('/%s/native/backups/b1' % P, backups.show,
                     {'project_id': P, 'backup_id': 'b1'}),
                    ('/%s/backups/detail' % P, backups.list_detail,
                     {'project_id': P}),
                    ('/resource_filters', resource_filters.list_filters,
                     {}),
                    ('/', root.get_version, {})]:
                match = self.match(path, method)
                self.assertIs(handler, match.pop('action'), path)
                match.pop('family', None)
                match.pop('public', None)
                self.assertEqual(args, match, path)

    def test_other_methods(self):
        for method in ('POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'):
            for path in ('/backups', '/%s/native/backups/b1' % P, '/',
                         '/resource_filters'):
                handler = self.match(path, method)['action']
                self.assertTrue(handler.method_not_allowed)

    def test_no_match(self):
        for path in ('/backups/', '/native/backups/b1/x', '/ABC/backups',
                     '/%s' % P, '/volumes', '/nativex', ''):
            self.assertIsNone(self.match(path), path)

    def test_detail_is_not_an_id(self):
        self.assertIs(backups.list_detail,
                      self.match('/backups/detail')['action'])


class TestPublic(oslotest_base.BaseTestCase):

    def test_the_version_documents_are_public(self):
        public = {path for path, _m, facts in router.route_table(
            [router.NATIVE, router.CINDER]) if facts.get('public')}
        self.assertEqual({'/', '/native', '/native/', '/{project_id}/native',
                          '/{project_id}/native/'}, public)
        # /v3 itself, and a project segment the router would refuse (its
        # 404 needs no identity either).
        for path in ('', '/', '/native', '/native/', '/%s/native' % P,
                     '/NOT-A-PROJECT/native/'):
            self.assertTrue(router.is_public(path), path)

    def test_everything_else_needs_identity(self):
        for path in ('/backups', '/native/backups', '/%s/native/backups' % P,
                     '/resource_filters', '/%s' % P, '/a/b/native',
                     '/native/x', '//native', '/nativex'):
            self.assertFalse(router.is_public(path), path)
