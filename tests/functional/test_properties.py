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

"""Property test: arbitrary query strings and headers through the real
application never get a 500; every answer is JSON (a fault, a list, a
backup, a document) and carries ``x-openstack-request-id``."""

import json
import string

import hypothesis
from hypothesis import strategies as st

from tests.functional import base
from tests.functional import data
from tests.functional import model

FAULTS = {400: 'badRequest', 401: 'unauthorized', 403: 'forbidden',
          404: 'itemNotFound', 405: 'badMethod', 406: 'notAcceptable',
          413: 'overLimit', 415: 'badMediaType'}

PROJECTS = [data.PROJECT, data.OTHER_PROJECT, 'ABC', 'p-1', '']
PATHS = [
    '/v3/{p}/native/backups', '/v3/{p}/native/backups/detail',
    '/v3/{p}/native/backups/{id}', '/v3/{p}/backups',
    '/v3/{p}/backups/detail', '/v3/{p}/backups/{id}',
    '/v3/native/backups', '/v3/native/backups/detail',
    '/v3/native/backups/{id}', '/v3/backups', '/v3/backups/detail',
    '/v3/backups/{id}', '/v3/{p}/resource_filters', '/v3/resource_filters',
    '/v3/', '/v3/{p}/native/backups/', '/v3/{p}', '/v3/{p}/{id}',
]
KEYS = ['limit', 'offset', 'marker', 'sort', 'sort_key', 'sort_dir',
        'name', 'status', 'volume_id', 'name~', 'status~', 'volume_id~',
        'with_count', 'all_tenants', 'project_id', 'display_name', 'size',
        'resource', 'deleted', 'metadata', 'id', 'foo~', 'r\u00e9sum\u00e9']
VALUES = ['', '0', '1', '-1', '2147483648', '1.5', 'abc', 'true', 'false',
          'yes', 'name:asc', 'size:desc,name', 'name:ASC', ':asc', ',',
          'created_at', data.PROJECT, data.OTHER_PROJECT, data.VOLUME_A,
          model.backup_id(1), model.backup_id(17), model.backup_id(19),
          model.backup_id(22), 'R\u00c9SUM\u00c9', '%', '_', '\\', "'",
          '\x00', '1e3', '\u0663', '1_0', ' 3 ']
RAW = ['%', '%zz', '%C3', '%C3%28', '%FF', '%00', '+', ';', '=', '&&', '%2F',
       '%E2%82', '%ED%A0%80', '#', '?']
VERSIONS = ['volume 3.0', 'volume 3.71', 'volume latest', 'volume 3.72',
            'volume 3.30', 'volume 3.31', 'volume 3.45', 'volume 3.045',
            'volume 4.0', 'volume 2.0', 'volume 3.-1', 'volume abc',
            'volume', 'volume 3.0 extra', 'Volume 3.5', 'compute 2.1',
            'compute 2.1, volume 3.5', 'volume 3.5, volume 3.99', 'latest',
            'volume 3.', 'volume .5', 'volume 99999999999999999999.0',
            'volume 3.1_0', 'volume \u0663.\u0665', '', 'volumev3 3.45',
            'block-storage 3.72', 'block-store abc', 'volumev2 latest',
            'volumev3 3.0, volume x', 'volumev3, volume 3.1']
HEADER_NAMES = ['Accept', 'Content-Type', 'X-Roles', 'X-Auth-Token',
                'X-User-Id', 'X-Project-Id', 'X-Forwarded-Host',
                'X-Forwarded-Proto', 'Forwarded', 'X-OpenStack-Request-ID',
                'Host', 'Content-Length']
HEADER_VALUES = ['application/json', 'application/vnd.openstack.volume+json',
                 'application/vnd.openstack.volume+json;q=abc', '*/*',
                 'text/html', 'text/plain', 'admin', 'reader', '', ',',
                 'u1:%s' % data.PROJECT, 'u1', ':', 'req-abc', 'a, b',
                 'for=1;host=x;proto=https', '0', '-1', 'x']

# What an HTTP client can put in a header value: latin-1, no controls.
header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xff,
                  blacklist_characters='\x7f'), max_size=30)
any_text = st.text(max_size=20)


def _quote(text):
    return ''.join(c if c in string.ascii_letters + string.digits + '-._~'
                   else ''.join('%%%02X' % b for b in c.encode('utf-8'))
                   for c in text)


query_part = st.one_of(
    st.sampled_from(KEYS).map(_quote), any_text.map(_quote),
    st.sampled_from(RAW))
value_part = st.one_of(
    st.sampled_from(VALUES).map(_quote), any_text.map(_quote),
    st.sampled_from(RAW), st.lists(st.sampled_from(RAW + VALUES),
                                   max_size=4).map(''.join))
query_strings = st.lists(
    st.tuples(query_part, value_part, st.booleans()), max_size=6).map(
    lambda items: '&'.join(k + ('=' + v if with_value else '')
                           for k, v, with_value in items))
paths = st.builds(
    lambda template, project, backup: template.format(p=project, id=backup),
    st.sampled_from(PATHS), st.sampled_from(PROJECTS),
    st.one_of(st.sampled_from([model.backup_id(1), model.backup_id(17),
                               model.backup_id(19), 'detail']),
              any_text.map(_quote)))
headers = st.fixed_dictionaries(
    {'X-Auth-Token': st.sampled_from(['u1:%s' % data.PROJECT,
                                      'u2:%s' % data.OTHER_PROJECT])},
    optional={
        'OpenStack-API-Version': st.one_of(st.sampled_from(VERSIONS),
                                           header_text),
        'X-Roles': st.one_of(st.sampled_from(['admin', 'reader', 'member',
                                              '', 'admin,reader']),
                             header_text),
    }).flatmap(lambda fixed: st.dictionaries(
        st.sampled_from(HEADER_NAMES),
        st.one_of(st.sampled_from(HEADER_VALUES), header_text),
        max_size=2).map(lambda extra: {**fixed, **extra}))


class TestAnyRequest(base.APITestCase):

    def check(self, method, path, query, request_headers):
        url = path + ('?' + query if query else '')
        # Bytes as they are on the wire: UTF-8 where the text is not
        # latin-1.
        response = self.request(
            method, url, project=None,
            headers={key: value.encode('utf-8')
                     for key, value in request_headers.items()})
        context = '%s %s %r -> %r' % (method, url, request_headers, response)
        self.assertLess(response.status, 500, context)
        self.assertIn('x-openstack-request-id', response.headers, context)
        if method == 'HEAD':
            self.assertEqual(b'', response.body, context)
            return
        try:
            body = json.loads(response.body.decode('utf-8'))
        except ValueError:
            self.fail('not JSON: %s' % context)
        self.assertIsInstance(body, dict, context)
        if response.status >= 400:
            self.assertEqual([FAULTS[response.status]], list(body), context)
            fault = body[FAULTS[response.status]]
            self.assertEqual(response.status, fault['code'], context)
            self.assertIsInstance(fault['message'], str, context)
            self.assertNotIn('Traceback', fault['message'], context)
        else:
            self.assertEqual(200, response.status, context)
            self.assertTrue(set(body) & {'backups', 'backup',
                                         'resource_filters', 'versions'},
                            context)
            if 'backups' in body:
                self.assertIsInstance(body['backups'], list, context)

    @hypothesis.settings(max_examples=300, deadline=None, database=None,
                         derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(method=st.sampled_from(['GET'] * 6 + ['HEAD']),
                      path=paths, query=query_strings,
                      request_headers=headers)
    def test_never_a_server_error(self, method, path, query,
                                  request_headers):
        self.check(method, path, query, request_headers)


class TestAnyRequestBehindProxy(TestAnyRequest):
    """The same with forwarded headers honoured and a small body limit:
    hosts and prefixes from the client reach the links."""

    overrides = {'oslo_middleware.enable_proxy_headers_parsing': True,
                 'oslo_middleware.max_request_body_size': 1000}

    @hypothesis.settings(max_examples=150, deadline=None, database=None,
                         derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(
        path=paths, query=query_strings, request_headers=headers,
        forwarded=st.dictionaries(
            st.sampled_from(['X-Forwarded-Host', 'X-Forwarded-Proto',
                             'X-Forwarded-Prefix', 'Forwarded']),
            st.one_of(st.sampled_from(HEADER_VALUES + ['[', '/x', 'h:1']),
                      header_text), max_size=3))
    def test_never_a_server_error(self, path, query, request_headers,
                                  forwarded):
        self.check('GET', path, query, {**request_headers, **forwarded})
