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

"""One Keystone and the vbs-native servers behind it, shared by every test
of the process, started by the first test that needs them and stopped when
the process exits.

Set VBS_NATIVE_TEST_KEYSTONE_VENV to a virtualenv with Keystone and the
clients (tools/keystone-venv.sh makes one; ``tox -e keystone`` does it all);
without it these tests skip. VBS_NATIVE_TEST_KEYSTONE_DIR keeps the servers'
state and logs in a new directory there (kept afterwards) instead of in a
temporary one.
"""

import atexit
import configparser
import os
import re
import subprocess
import tempfile

import fixtures
from oslotest import base as oslotest_base
import requests
import sqlalchemy
import testtools

from tests.functional import data
from tests import harness
from tests.harness import links
from tests.keystone import servers
from vbs_native.db import migration
from vbs_native.db import sample

README = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir,
                      'README.rst')
# The Keystone of the README's example; the tests put theirs in its place.
README_KEYSTONE = 'http://keystone.example.com:5000'

P1 = 'vbs-p1'
P2 = 'vbs-p2'
SERVICE_PROJECT = 'service'
# name: (password, project, role)
USERS = {
    'p1-admin': ('p1-admin-pw', P1, 'admin'),
    'p1-member': ('p1-member-pw', P1, 'member'),
    'p1-reader': ('p1-reader-pw', P1, 'reader'),
    'p2-member': ('p2-member-pw', P2, 'member'),
    'no-role': ('no-role-pw', None, None),
}
# Appended to the README's configuration: keystonemiddleware's token
# cache off, so that Keystone validates the token of every request.
UNCACHED = '''
[keystone_authtoken]
token_cache_time = -1
'''
# What the libraries log at debug level must not hold a token either.
LIBRARY_DEBUG = '''
[DEFAULT]
default_log_levels = keystonemiddleware=DEBUG,keystoneauth=DEBUG,
    oslo_policy=DEBUG,urllib3=DEBUG,routes=INFO,stevedore=INFO
'''


def readme_keystone_config():
    """The configuration of the README's Keystone section: the first ini
    block after its title."""
    with open(README) as readme:
        text = readme.read()
    match = re.search(r'\nKeystone\n-+\n.*?\.\. code-block:: ini\n\n'
                      r'((?:(?:    [^\n]*)?\n)+)', text, re.S)
    if match is None:
        raise AssertionError('README.rst has no Keystone section with an '
                             'ini block')
    lines = match.group(1).rstrip().splitlines()
    return '\n'.join(line[4:] for line in lines) + '\n'


class Environment(fixtures.Fixture):
    """Keystone with two projects, their users and the catalog; the service
    database with backups in both projects; and three vbs-native servers
    configured as the README says: ``cached`` (keystonemiddleware's token
    cache on, as by default; the catalog points here), ``uncached``
    (``token_cache_time = -1``) and ``policy`` (for tests that write its
    policy file)."""

    def __init__(self, venv, directory=None):
        super().__init__()
        self.venv = venv
        self.directory = directory

    def _setUp(self):
        if self.directory:
            os.makedirs(self.directory, exist_ok=True)
            top = tempfile.mkdtemp(prefix='servers-', dir=self.directory)
        else:
            top = self.useFixture(fixtures.TempDir(rootdir=harness.TMP)).path
        self.directory = top
        keystone = servers.Keystone(self.venv, os.path.join(top, 'keystone'))
        config = readme_keystone_config().replace(README_KEYSTONE,
                                                  keystone.root)
        authtoken = configparser.ConfigParser()
        authtoken.read_string(config)
        self.service_user = dict(authtoken['keystone_authtoken'])
        database = 'sqlite:///%s' % os.path.join(top, 'vbs_native.sqlite')
        self.servers = {
            name: self.useFixture(servers.VbsNative(
                os.path.join(top, name), {'keystone.conf': config + extra},
                database))
            for name, extra in (('cached', ''),
                                ('uncached', UNCACHED + LIBRARY_DEBUG),
                                ('policy', ''))}
        # Keystone starts while the vbs-native servers load.
        self.keystone = self.useFixture(keystone)
        users = dict(USERS)
        users[self.service_user['username']] = (
            self.service_user['password'],
            self.service_user['project_name'], 'service')
        self.identity = self.useFixture(servers.Identity(
            keystone, [P1, P2, SERVICE_PROJECT], users,
            self.servers['cached'].url + '/v3/%(project_id)s'))
        self.p1 = self.identity.projects[P1]
        self.p2 = self.identity.projects[P2]
        self._fill(database)
        for server in self.servers.values():
            server.wait()
        # Every token handed out, for the test that greps the logs.
        self.tokens = []
        self._tokens = {}

    def _fill(self, url):
        engine = sqlalchemy.create_engine(url)
        self.addCleanup(engine.dispose)
        migration.upgrade(engine)
        rows = []
        for number in range(1, 9):
            rows.append(data.backup(number, project=self.p1,
                                    name='p1-%d' % number,
                                    deleted=number == 8))
        for number in range(11, 16):
            rows.append(data.backup(number, project=self.p2,
                                    name='p2-%d' % number))
        sample.insert(engine, [(row, {}) for row in rows])
        self.backups = {
            project: [row['id'] for row in rows
                      if row['project_id'] == project and not row['deleted']]
            for project in (self.p1, self.p2)}

    def token(self, user, fresh=False, **kwargs):
        """A token of ``user``; the same one each time unless ``fresh``."""
        key = (user, tuple(sorted(kwargs.items())))
        if fresh or key not in self._tokens:
            token = self.identity.token(user, **kwargs)
            self.tokens.append(token)
            if fresh:
                return token
            self._tokens[key] = token
        return self._tokens[key]


_ENVIRONMENT = None


def environment():
    """The Environment of this process, started on first use; a start
    that failed fails every later test at once."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        venv = os.environ.get('VBS_NATIVE_TEST_KEYSTONE_VENV')
        if not venv:
            raise testtools.TestCase.skipException(
                'VBS_NATIVE_TEST_KEYSTONE_VENV is not set: run tox -e '
                'keystone')
        _ENVIRONMENT = Environment(
            venv, os.environ.get('VBS_NATIVE_TEST_KEYSTONE_DIR'))
        atexit.register(_ENVIRONMENT.cleanUp)
        try:
            _ENVIRONMENT.setUp()
        except Exception as exc:
            _ENVIRONMENT = exc
            raise
    if isinstance(_ENVIRONMENT, Exception):
        raise RuntimeError('the servers did not start') from _ENVIRONMENT
    return _ENVIRONMENT


class TestCase(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.env = environment()
        self.p1 = self.env.p1
        self.p2 = self.env.p2

    def call(self, path, token=None, server='cached', method='GET',
             version=None, headers=None):
        """A request to a vbs-native server, as the holder of ``token``."""
        headers = dict(headers or {})
        if token is not None:
            headers['X-Auth-Token'] = token
        if version is not None:
            headers['OpenStack-API-Version'] = 'volume %s' % version
        url = path if '://' in path else self.env.servers[server].url + path
        return requests.request(method, url, headers=headers, timeout=30,
                                allow_redirects=False)

    def client_env(self, user, **extra):
        """The environment of a client that authenticates as ``user``
        with its password, in RegionOne unless ``extra`` says otherwise."""
        password, project, _role = USERS[user]
        env = {key: value for key, value in os.environ.items()
               if not key.startswith('OS_')}
        env.update(
            PYTHONWARNINGS='ignore', OS_AUTH_TYPE='password',
            OS_AUTH_URL=self.env.keystone.url, OS_IDENTITY_API_VERSION='3',
            OS_USERNAME=user, OS_PASSWORD=password, OS_PROJECT_NAME=project,
            OS_USER_DOMAIN_NAME='Default', OS_PROJECT_DOMAIN_NAME='Default',
            OS_REGION_NAME='RegionOne', OS_INTERFACE='public')
        env.update(extra)
        return env

    def run_client(self, user, *argv, **extra_env):
        """The output of a client of Keystone's virtualenv run as
        ``user``; it must succeed."""
        argv = list(argv)
        argv[0] = os.path.join(self.env.venv, 'bin', argv[0])
        result = subprocess.run(argv, env=self.client_env(user, **extra_env),
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        return result.stdout

    def ids(self, response):
        self.assertEqual(200, response.status_code, response.text)
        return [backup['id'] for backup in response.json()['backups']]

    def walk(self, path, token, server='cached', version=None):
        """The ids of every page, following next links from ``path``;
        every link must stay on the same server."""
        ids = []
        root = self.env.servers[server].url
        for url, body in links.walk(
                lambda url: self.call(url, token, version=version).json(),
                root + path):
            self.assertTrue(url.startswith(root + '/'), url)
            ids += [backup['id'] for backup in body['backups']]
        return ids

    def assert_fault(self, response, code, name):
        """A JSON fault that names no backup but those of the request."""
        self.assertEqual(code, response.status_code, response.text)
        if response.request.method != 'HEAD':
            self.assertEqual([name], list(response.json()))
        for backup_id in self.env.backups[self.p1] + self.env.backups[
                self.p2]:
            if backup_id not in response.request.url:
                self.assertNotIn(backup_id, response.text)

    def reads(self, project=None, backup_id=None):
        """(path, version) of every kind of read of ``project``'s backups
        (the token's project when None): summary, detail, show, count, a
        page after a marker, Cinder's paths."""
        backup_id = backup_id or self.env.backups[self.p1][0]
        base = '/v3/%s' % project if project else '/v3'
        return [
            (base + '/native/backups', None),
            (base + '/native/backups/detail', None),
            (base + '/native/backups/' + backup_id, None),
            (base + '/native/backups?with_count=true&limit=2', '3.45'),
            (base + '/native/backups/detail?limit=2&marker=' + backup_id,
             None),
            (base + '/backups', None),
            (base + '/backups/detail', None),
            (base + '/backups/' + backup_id, None),
        ]
