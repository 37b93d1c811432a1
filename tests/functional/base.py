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

"""Python functional tests: HTTP requests (urllib3, intercepted by
wsgi-intercept) to the application built from the real paste file, over the
data set of tests/functional/data.py. For what gabbi YAML cannot say:
walking next links to the end, comparing whole orders, many combinations."""

import json
import urllib.parse

from oslotest import base as oslotest_base
import urllib3
from wsgi_intercept import interceptor

from tests import fixtures as test_fixtures
from tests.functional import data

HOST = 'vbs.test'
BASE = 'http://%s' % HOST


class Response:

    def __init__(self, raw):
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.data
        self._json = None

    @property
    def json(self):
        if self._json is None:
            self._json = json.loads(self.body.decode('utf-8'))
        return self._json

    def __repr__(self):
        return '<%s %s %r>' % (self.status, dict(self.headers),
                               self.body[:500])


class APITestCase(oslotest_base.BaseTestCase):
    """The noauth service over the shared data set."""

    overrides = {}

    def config_overrides(self):
        """Options to set, ``group.name`` or ``name``: value."""
        return self.overrides

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(
            test_fixtures.Conf(**self.config_overrides())).conf
        self.db = self.useFixture(test_fixtures.Database())
        self.db.insert(data.BACKUPS)
        app = self.useFixture(test_fixtures.Application(self.conf)).app
        intercept = interceptor.Urllib3Interceptor(lambda: app, host=HOST)
        intercept.install_intercept()
        self.addCleanup(intercept.uninstall_intercept)
        self.http = urllib3.PoolManager(retries=False)

    def request(self, method, path, headers=None, project=data.PROJECT,
                user='u1', roles=None, version=None, body=None):
        """``path`` is absolute (``/v3/...``) or a whole URL (a link)."""
        all_headers = {}
        if project is not None:
            all_headers['X-Auth-Token'] = '%s:%s' % (user, project)
        if roles is not None:
            all_headers['X-Roles'] = roles
        if version is not None:
            all_headers['OpenStack-API-Version'] = 'volume %s' % version
        all_headers.update(headers or {})
        url = path if '://' in path else BASE + path
        return Response(self.http.request(
            method, url, headers=all_headers, body=body, redirect=False))

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def get_json(self, path, status=200, **kwargs):
        response = self.get(path, **kwargs)
        self.assertEqual(status, response.status, response)
        return response.json


def query(**params):
    return urllib.parse.urlencode(params)
