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

"""Links: self, bookmark and next, as CONTRACT.md section 4 says."""

import urllib.parse

from oslotest import base as oslotest_base

from vbs_native.api.views import links


class TestUrlHelpers(oslotest_base.BaseTestCase):

    def test_without_version(self):
        for url, expected in [
                ('http://h:8776/v3', 'http://h:8776'),
                ('http://h/volume/v3', 'http://h/volume'),
                ('http://h/v3.0', 'http://h'),
                ('http://h/v3/x/v2', 'http://h/x/v2'),  # the first only
                ('http://h/volume', 'http://h/volume'),  # none: unchanged
                ('http://h', 'http://h')]:
            self.assertEqual(expected, links.without_version(url), url)

    def test_public_endpoint_replaces_origin_and_prefixes_path(self):
        for endpoint in ('https://pub.example/api',
                         'https://pub.example/api/'):
            self.assertEqual(
                'https://pub.example/api/v3',
                links.with_public_endpoint('http://h:8776/v3', endpoint))
        self.assertEqual(
            'https://pub.example:8443/v3',
            links.with_public_endpoint('http://h/v3',
                                       'https://pub.example:8443'))

    def test_no_public_endpoint(self):
        for endpoint in (None, ''):
            self.assertEqual('http://h/v3',
                             links.with_public_endpoint('http://h/v3',
                                                        endpoint))

    def test_any_host_is_carried_not_parsed(self):
        # The host comes from the request's Host header: '[' is not a valid
        # URL host, and must not fail (it was a 500).
        for host in ('[', ']', '[::1', 'a b', 'x:y:z', 'h:abc', '%zz'):
            url = 'http://%s/v3' % host
            self.assertEqual('http://%s' % host, links.without_version(url))
            self.assertEqual('https://pub/v3',
                             links.with_public_endpoint(url, 'https://pub'))
            item = links.Links(url, None, '/native', 'p').item('b1')
            self.assertEqual('http://%s/v3/p/native/backups/b1' % host,
                             item[0]['href'])

    def test_quote_id(self):
        self.assertEqual('abc-DEF_1.2~', links.quote_id('abc-DEF_1.2~'))
        self.assertEqual('a%2Fb%3Fc%20d%C3%A9',
                         links.quote_id('a/b?c d\u00e9'))


class TestLinks(oslotest_base.BaseTestCase):

    def test_items_follow_family_and_project(self):
        for family, project, path in [
                ('/native', 'p1', '/v3/p1/native/backups/b1'),
                ('/native', None, '/v3/native/backups/b1'),
                ('', 'p1', '/v3/p1/backups/b1'),
                ('', None, '/v3/backups/b1')]:
            item = links.Links('http://h:8776/v3', None, family,
                               project).item('b1')
            self.assertEqual(
                [{'rel': 'self', 'href': 'http://h:8776' + path},
                 {'rel': 'bookmark',
                  'href': 'http://h:8776' + path[len('/v3'):]}], item)

    def test_items_with_public_endpoint(self):
        item = links.Links('http://h:8776/v3', 'https://pub.example/vol/',
                           '/native', 'p1').item('b1')
        self.assertEqual(
            [{'rel': 'self',
              'href': 'https://pub.example/vol/v3/p1/native/backups/b1'},
             {'rel': 'bookmark',
              'href': 'https://pub.example/vol/p1/native/backups/b1'}],
            item)

    def test_next_keeps_parameters_drops_offset_and_marker(self):
        link = links.Links('http://h/v3', None, '/native', 'p1').next(
            [('name~', 'a b'), ('offset', '3'), ('limit', '2'),
             ('marker', 'old'), ('sort', 'name:asc,size'),
             ('status', 'x'), ('marker', 'older'), ('status', 'y')],
            False, 'b/9')
        self.assertEqual(1, len(link))
        self.assertEqual('next', link[0]['rel'])
        url = urllib.parse.urlsplit(link[0]['href'])
        self.assertEqual('/v3/p1/native/backups', url.path)
        self.assertEqual(
            [('name~', 'a b'), ('limit', '2'), ('sort', 'name:asc,size'),
             ('status', 'x'), ('status', 'y'), ('marker', 'b/9')],
            urllib.parse.parse_qsl(url.query, keep_blank_values=True))

    def test_next_of_detail(self):
        link = links.Links('http://h/v3', None, '', None).next(
            [], True, 'b1')
        self.assertEqual('http://h/v3/backups/detail?marker=b1',
                         link[0]['href'])
