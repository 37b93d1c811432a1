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

"""What the Cinder tests share: HTTP helpers and comparisons of a native
response with Cinder's own answer to the same request."""

import os
import re
import subprocess
import urllib.parse

from oslotest import base as oslotest_base
import requests

from tests.cinder import data
from tests.cinder import environment
from tests.harness import links

REQUEST_ID = re.compile(r'^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-'
                        r'[0-9a-f]{4}-[0-9a-f]{12}$')


def version_headers(headers, version):
    headers = dict(headers)
    if version is not None:
        headers['OpenStack-API-Version'] = 'volume %s' % version
    return headers


def query_string(query):
    return urllib.parse.urlencode(list(query.items()) if isinstance(
        query, dict) else query)


def client_env():
    """The environment of a client: none of the caller's OS_* settings."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith('OS_') and key != 'CINDER_ENDPOINT'}
    env['PYTHONWARNINGS'] = 'ignore'
    return env


def native_to_cinder(value):
    """A native body as Cinder's routes would word it: links under
    ``/backups`` instead of ``/native/backups``."""
    if isinstance(value, dict):
        return {key: native_to_cinder(item) for key, item in value.items()}
    if isinstance(value, list):
        return [native_to_cinder(item) for item in value]
    if isinstance(value, str):
        return value.replace('/native/backups', '/backups')
    return value


def without_offset(href):
    parts = urllib.parse.urlsplit(href)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(
        parts.query, keep_blank_values=True) if k != 'offset']
    return urllib.parse.urlunsplit(parts._replace(
        query=urllib.parse.urlencode(query)))


class TestCase(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.env = environment.get()

    def get(self, server, path, headers=None, version=None, query=None,
            method='GET', **kwargs):
        url = server.url + path
        if query:
            url += '?' + query_string(query)
        return requests.request(method, url,
                                headers=version_headers(headers or {},
                                                        version),
                                timeout=60, **kwargs)

    def run_cli(self, argv):
        """The output of a client command line, which must succeed."""
        result = subprocess.run(argv, capture_output=True, text=True,
                                env=client_env(), timeout=120)
        self.assertEqual(0, result.returncode, '%s\n%s\n%s' % (
            ' '.join(argv), result.stdout, result.stderr))
        return result.stdout

    def walk(self, href, headers, version=None):
        """Follow next links from ``href``; the ids in order and the number
        of requests made."""
        def fetch(href):
            response = requests.get(href, headers=version_headers(
                headers, version), timeout=60)
            self.assertEqual(200, response.status_code, response.text)
            return response.json()

        ids = []
        requests_made = 0
        for _href, body in links.walk(fetch, href, max_pages=99):
            requests_made += 1
            ids += [item['id'] for item in body['backups']]
        return ids, requests_made

    def assertSameList(self, native, cinder, headers, version, what):
        """A native list page against Cinder's page for the same request:
        the same backups and count; a next link where Cinder has one,
        except Cinder's empty last page; the same link but for offset."""
        self.assertEqual(cinder.status_code, native.status_code,
                         '%s: %s / %s' % (what, native.text, cinder.text))
        if cinder.status_code != 200:
            return
        mine, theirs = native_to_cinder(native.json()), cinder.json()
        self.assertEqual(theirs['backups'], mine['backups'], what)
        self.assertEqual(theirs.get('count'), mine.get('count'), what)
        mine_next, theirs_next = links.next_href(mine), links.next_href(theirs)
        self.assertEqual([key for key in theirs
                          if key != 'backups_links' or mine_next],
                         list(mine), what)
        if mine_next:
            self.assertIsNotNone(theirs_next, what)
            self.assertEqual(without_offset(theirs_next), mine_next, what)
        elif theirs_next:
            # Cinder's extra link after a full last page: an empty page.
            page = requests.get(theirs_next, headers=version_headers(
                headers, version), timeout=60)
            self.assertEqual([], page.json()['backups'], what)

    def assertSameError(self, native, cinder, what):
        self.assertEqual(cinder.status_code, native.status_code,
                         '%s: %s / %s' % (what, native.text, cinder.text))
        self.assertEqual(cinder.json(), native.json(), what)


def live_ids(project=data.PROJECT):
    return [row['id'] for row in data.live(project)]
