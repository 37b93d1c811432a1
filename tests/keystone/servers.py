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

"""The servers of the Keystone tests, each a child process on a free
loopback port: a real Keystone, run from its own virtualenv, and
vbs-native-api with its keystone pipeline."""

import os
import subprocess

import fixtures
import requests

from tests.harness import config
from tests.harness import processes
from tests.harness import service

# keystone-manage's four steps in one interpreter: 2 s instead of 7.
_KEYSTONE_INIT = """
import ast, sys
from keystone.cmd import cli
from keystone.conf import CONF
for i, args in enumerate(ast.literal_eval(sys.argv[2])):
    if i:
        CONF.reset()
        CONF.unregister_opt(cli.command_opt)
    cli.main(argv=['keystone-manage', '--config-file', sys.argv[1]] + args)
"""

# Keystone's WSGI module hands sys.argv to oslo.config, which would reject
# gunicorn's arguments.
_KEYSTONE_WSGI = """
import sys
sys.argv = sys.argv[:1]
from keystone.wsgi.api import application  # noqa
"""

# A token past its expiry, made with Keystone's own fernet keys from a valid
# one (Keystone cannot issue one: the lifetime is a global option).
_EXPIRE_TOKEN = """
import sys
conf, token = sys.argv[1:]
sys.argv = sys.argv[:1]
import keystone.conf
keystone.conf.configure()
keystone.conf.CONF([], project='keystone', default_config_files=[conf])
from keystone.token import token_formatters
formatter = token_formatters.TokenFormatter()
(user_id, methods, audit_ids, system, domain_id,
 project_id) = formatter.validate_token(token)[:6]
print(formatter.create_token(
    user_id, '2020-01-01T00:00:00.000000Z', audit_ids,
    token_formatters.ProjectScopedPayload, methods=methods,
    project_id=project_id))
"""


class Keystone(fixtures.Fixture):
    """Keystone on SQLite with fernet tokens, bootstrapped (the ``admin``
    user, project and role; roles admin > manager > member > reader and
    service; region RegionOne; the identity endpoint) and served by
    gunicorn, one worker and one thread (SQLite and the in-process cache
    want no more)."""

    ADMIN_PASSWORD = 'admin-password'

    def __init__(self, venv, directory):
        super().__init__()
        self.venv = venv
        self.dir = directory
        self.port = processes.free_port()
        self.root = 'http://127.0.0.1:%d' % self.port
        self.url = self.root + '/v3'

    def _bin(self, name):
        return os.path.join(self.venv, 'bin', name)

    def _setUp(self):
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, 'keystone.conf')
        keys = os.path.join(self.dir, 'fernet-keys')
        config.write(self.conf, {
            'DEFAULT': {'log_file': os.path.join(self.dir, 'keystone.log')},
            'database': {'connection': 'sqlite:///%s' % os.path.join(
                self.dir, 'keystone.db')},
            'token': {'provider': 'fernet'},
            'fernet_tokens': {'key_repository': keys},
            'fernet_receipts': {'key_repository': keys},
            'credential': {'key_repository': os.path.join(
                self.dir, 'credential-keys')},
            'identity': {'password_hash_rounds': 4},
            'resource': {'admin_project_name': 'admin',
                         'admin_project_domain_name': 'Default'},
            'cache': {'enabled': 'true',
                      'backend': 'dogpile.cache.memory'},
        })
        self.env = dict(os.environ, PYTHONWARNINGS='ignore',
                        OS_KEYSTONE_CONFIG_FILES=self.conf)
        owner = ['--keystone-user', str(os.getuid()),
                 '--keystone-group', str(os.getgid())]
        steps = [['db_sync'], ['fernet_setup'] + owner,
                 ['credential_setup'] + owner,
                 ['bootstrap', '--bootstrap-password', self.ADMIN_PASSWORD,
                  '--bootstrap-region-id', 'RegionOne',
                  '--bootstrap-public-url', self.url,
                  '--bootstrap-internal-url', self.url]]
        self._python(_KEYSTONE_INIT, self.conf, repr(steps))
        with open(os.path.join(self.dir, 'ks_wsgi.py'), 'w') as module:
            module.write(_KEYSTONE_WSGI)
        server = self.useFixture(processes.Server(
            'keystone',
            [self._bin('gunicorn'), '--bind', '127.0.0.1:%d' % self.port,
             '--workers', '1', '--threads', '1', '--no-control-socket',
             '--graceful-timeout', '3', '--pythonpath', self.dir,
             'ks_wsgi:application'],
            os.path.join(self.dir, 'gunicorn.log'), self.port, env=self.env,
            cwd=self.dir))
        server.wait_ready(
            lambda: processes.status(self.port, '/v3') == 200, 60)

    def _python(self, code, *args):
        result = subprocess.run([self._bin('python'), '-c', code, *args],
                                env=self.env, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError('keystone helper failed:\n%s'
                               % result.stderr[-3000:])
        return result.stdout.strip()

    def expired(self, token):
        """The same token, expired."""
        return self._python(_EXPIRE_TOKEN, self.conf, token)


class Client:
    """Keystone's REST API, as one user."""

    def __init__(self, url, token=None):
        self.url = url
        self.session = requests.Session()
        if token:
            self.session.headers['X-Auth-Token'] = token

    def request(self, method, path, **kwargs):
        response = self.session.request(method, self.url + path, timeout=30,
                                        **kwargs)
        response.raise_for_status()
        return response

    def post(self, path, key, **body):
        return self.request('POST', path, json={key: body}).json()[key]

    def issue(self, user, password, project=None, unscoped=False):
        """A new token (the X-Subject-Token)."""
        auth = {'identity': {'methods': ['password'], 'password': {'user': {
            'name': user, 'password': password,
            'domain': {'id': 'default'}}}}}
        if not unscoped:
            auth['scope'] = {'project': {'name': project,
                                         'domain': {'id': 'default'}}}
        response = self.session.post(self.url + '/auth/tokens', timeout=30,
                                     json={'auth': auth})
        response.raise_for_status()
        return response.headers['X-Subject-Token']

    def revoke(self, token):
        self.request('DELETE', '/auth/tokens',
                     headers={'X-Subject-Token': token})


class Identity(fixtures.Fixture):
    """Projects, users and the catalog of the tests, made through
    Keystone's API as its admin.

    ``users`` maps a name to (password, project, role): a role on one
    project, or none. ``endpoint`` is the block-storage URL, with
    ``%(project_id)s``.
    """

    def __init__(self, keystone, projects, users, endpoint):
        super().__init__()
        self.keystone = keystone
        self.project_names = projects
        self.user_specs = users
        self.endpoint = endpoint

    def _setUp(self):
        anonymous = Client(self.keystone.url)
        admin = Client(self.keystone.url, anonymous.issue(
            'admin', self.keystone.ADMIN_PASSWORD, 'admin'))
        roles = {role['name']: role['id'] for role in
                 admin.request('GET', '/roles').json()['roles']}
        self.projects = {
            name: admin.post('/projects', 'project', name=name,
                             domain_id='default')['id']
            for name in self.project_names}
        self.users = {}
        for name, (password, project, role) in self.user_specs.items():
            self.users[name] = admin.post(
                '/users', 'user', name=name, password=password,
                domain_id='default')['id']
            if role:
                admin.request('PUT', '/projects/%s/users/%s/roles/%s' % (
                    self.projects[project], self.users[name], roles[role]))
        # The service type, and the alias older clients look for.
        for service_type, name in (('block-storage', 'cinderv3'),
                                   ('volumev3', 'cinderv3-legacy')):
            service = admin.post('/services', 'service', type=service_type,
                                 name=name)
            admin.post('/endpoints', 'endpoint', service_id=service['id'],
                       interface='public', region_id='RegionOne',
                       url=self.endpoint)
        self.anonymous = anonymous
        self.admin = admin

    def token(self, user, unscoped=False, project=None):
        """A new token of ``user``, scoped to its project (or ``project``)
        unless ``unscoped``."""
        password, own_project, _role = self.user_specs[user]
        return self.anonymous.issue(user, password, project or own_project,
                                    unscoped=unscoped)


class VbsNative(service.Api):
    """vbs-native-api (gunicorn, one worker) on ``database``, configured by
    its own file then by the ``configs`` ({file name: text}), with a
    policy file of its own, ``policy_file`` (absent at start: the defaults
    in code apply). Started at setUp; ``wait`` waits until it answers."""

    def __init__(self, directory, configs, database):
        self.configs = configs
        self.policy_file = os.path.join(directory, 'policy.yaml')
        super().__init__(
            directory, database, options={
                'debug': 'true',
                'oslo_policy.policy_file': self.policy_file},
            config_files=[os.path.join(directory, name)
                          for name in configs])
        self.dir = directory
        self.log_file = os.path.join(directory, 'api.log')

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        for name, text in self.configs.items():
            with open(os.path.join(self.dir, name), 'w') as conf:
                conf.write(text)
        super().start()
