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
import webob

from vbs_native.api.views import links
from vbs_native import exception

BASE = links.Base('http://h', '/v3')


def request(host='h:8776', path='', script='/v3', scheme='http',
            query=''):
    return webob.Request.blank(path, base_url='%s://%s%s' % (
        scheme, host, script), environ={'QUERY_STRING': query})


class TestUrlHelpers(oslotest_base.BaseTestCase):

    def test_without_version(self):
        for path, expected in [
                ('/v3', ''),
                ('/volume/v3', '/volume'),
                ('/v3.0', ''),
                ('/v3/x/v2', '/x/v2'),  # the first only
                ('/volume', '/volume'),  # none: unchanged
                ('', '')]:
            self.assertEqual(expected, links.without_version(path), path)

    def test_base_of_the_request(self):
        base = links.base(request(), None)
        self.assertEqual(('http://h:8776', '/v3'), base)
        self.assertEqual('http://h:8776/v3', base.url)
        self.assertEqual('http://h:8776', base.root)
        self.assertEqual('https://[::1]:8443/volume/v3', links.base(
            request('[::1]:8443', script='/volume/v3', scheme='https'),
            None).url)

    def test_public_endpoint_replaces_origin_and_prefixes_path(self):
        for endpoint in ('https://pub.example/api',
                         'https://pub.example/api/'):
            base = links.base(request(), endpoint)
            self.assertEqual('https://pub.example/api/v3', base.url)
            self.assertEqual('https://pub.example/api', base.root)
        self.assertEqual(
            'https://pub.example:8443/v3',
            links.base(request(), 'https://pub.example:8443').url)

    def test_a_host_that_is_not_plain_is_refused(self):
        for host in ('[', ']', '[::1', 'a b', 'x:y:z', 'h:abc', '%zz',
                     'evil.example/x/y?z=', 'h#frag', 'u@h', 'h\r\nX: y',
                     'h?'):
            req = request()
            req.environ['HTTP_HOST'] = host
            self.assertRaises(exception.InvalidHost, links.base, req, None)
            # public_endpoint is the host: the request's is not read.
            self.assertEqual('https://pub/v3',
                             links.base(req, 'https://pub').url)

    def test_a_scheme_that_is_not_http_is_refused(self):
        req = request()
        req.environ['wsgi.url_scheme'] = 'javascript'
        self.assertRaises(exception.InvalidHost, links.base, req, None)

    def test_urls_are_percent_encoded_ascii(self):
        # WSGI strings: the bytes of the request, as latin-1.
        req = request(query='x=\xc3\xa9 \r\n#%41')
        req.environ['SCRIPT_NAME'] = '/v\xc3\xa9'
        req.environ['PATH_INFO'] = '/a b/\xc3\xa9\r\n\x00\x7f'
        self.assertEqual('http://h:8776/v%C3%A9/a%20b/%C3%A9%0D%0A%00%7F',
                         links.request_url(req, None))
        self.assertEqual('?x=%C3%A9%20%0D%0A%23%41', links.query(req))
        self.assertEqual('', links.query(request()))

    def test_quote_id(self):
        self.assertEqual('abc-DEF_1.2~', links.quote_id('abc-DEF_1.2~'))
        self.assertEqual('a%2Fb%3Fc%20d%C3%A9',
                         links.quote_id('a/b?c d\u00e9'))
        # A final newline too (a regex's '$' matches just before it).
        self.assertEqual('b1%0A', links.quote_id('b1\n'))
        item = links.Links(links.Base('http://h', '/v3'), '/native').item(
            'b1\n')
        self.assertEqual('http://h/v3/native/backups/b1%0A',
                         item[0]['href'])


class TestLinks(oslotest_base.BaseTestCase):

    def test_items_follow_family_and_project(self):
        for family, project, path in [
                ('/native', 'p1', '/v3/p1/native/backups/b1'),
                ('/native', None, '/v3/native/backups/b1'),
                ('', 'p1', '/v3/p1/backups/b1'),
                ('', None, '/v3/backups/b1')]:
            item = links.Links(links.Base('http://h:8776', '/v3'),
                               family, project).item('b1')
            self.assertEqual(
                [{'rel': 'self', 'href': 'http://h:8776' + path},
                 {'rel': 'bookmark',
                  'href': 'http://h:8776' + path[len('/v3'):]}], item)

    def test_items_with_public_endpoint(self):
        item = links.Links(links.Base('https://pub.example/vol', '/v3'),
                           '/native', 'p1').item('b1')
        self.assertEqual(
            [{'rel': 'self',
              'href': 'https://pub.example/vol/v3/p1/native/backups/b1'},
             {'rel': 'bookmark',
              'href': 'https://pub.example/vol/p1/native/backups/b1'}],
            item)

    def test_next_keeps_parameters_drops_offset_and_marker(self):
        link = links.Links(BASE, '/native', 'p1').next(
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
        link = links.Links(BASE, '', None).next(
            [], True, 'b1')
        self.assertEqual('http://h/v3/backups/detail?marker=b1',
                         link[0]['href'])
