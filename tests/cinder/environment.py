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

"""A real Cinder 29 deployment on this machine, built once per test run.

One fresh MariaDB database, migrated by ``cinder-manage db sync`` and
filled by Cinder's own DB API (tests/cinder/cinder_data.py); a read-only
MariaDB user for vbs-native; real ``cinder-api`` processes with Cinder's
shipped api-paste.ini, stock and with the vbs-native filters added exactly
as the install guide says; and the standalone ``vbs-native-api`` pointed at
Cinder's database. Everything listens on free loopback ports and is
stopped, and the database and user dropped, when the run ends.
"""

import atexit
import configparser
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

import pymysql

from tests.cinder import data
from tests.cinder import install_guide
from tests import harness
from tests.harness import config
from tests.harness import databases
from tests.harness import processes
from tests.harness import service

BIN = os.path.dirname(sys.executable)
CINDER_ETC = os.path.join(sys.prefix, 'etc', 'cinder')
TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# The page size of every server here, so that lists take several pages.
MAX_LIMIT = 7
# A role the test policy file lets list and show backups, to show that
# Cinder's policy.yaml applies to Cinder and to vbs-native alike.
AUDITOR_ROLE = 'backup_auditor'
POLICY = {
    'backup:get_all': 'rule:xena_system_admin_or_project_reader or '
                      'role:%s' % AUDITOR_ROLE,
    'backup:get': 'rule:xena_system_admin_or_project_reader or '
                  'role:%s' % AUDITOR_ROLE,
}


class MariaDB(databases.Database):
    """A database and a read-only user of it (the install guide's), dropped
    at the end."""

    def __init__(self):
        super().__init__('mysql', prefix='vbs_cinder')

    def add_ro_user(self):
        """The install guide's read-only user (after Cinder's tables)."""
        self.ro_user, self.ro_password = self.user(
            lambda user, password: install_guide.grant_statements(
                self.name, user, password), prefix='vbs_ro')

    def connect(self, database=None):
        return pymysql.connect(
            host=self.host, port=self.port, user=self.admin_user,
            password=self.admin_password, database=database, autocommit=True)

    @property
    def ro_url(self):
        return self.url(self.ro_user, self.ro_password)

    def fingerprint(self):
        """Every table's checksum and row count, and the schema: what a
        write of any kind would change."""
        result = {}
        with self.connect(self.name) as conn, conn.cursor() as cur:
            cur.execute('SHOW TABLES')
            tables = sorted(row[0] for row in cur.fetchall())
            for table in tables:
                cur.execute('CHECKSUM TABLE `%s`' % table)
                checksum = cur.fetchone()[1]
                cur.execute('SELECT COUNT(*) FROM `%s`' % table)
                count = cur.fetchone()[0]
                cur.execute('SHOW CREATE TABLE `%s`' % table)
                schema = cur.fetchone()[1]
                result[table] = (checksum, count, schema)
        return result


def _run(argv, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise RuntimeError('%s failed (%d):\n%s\n%s' % (
            ' '.join(argv), result.returncode, result.stdout[-3000:],
            result.stderr[-3000:]))
    return result


class Environment:
    """Cinder and vbs-native over one Cinder database.

    ``cinder[name]`` for name in ``stock-noauth``, ``filter-noauth``,
    ``stock-keystone``, ``filter-keystone`` (the keystone pipeline with
    ``authtoken`` left out: identity from X-User-Id, X-Project-Id and
    X-Roles), ``filter-keystone-routes`` and ``filter-noauth-routes``:
    the filters reading Cinder's own cinder.conf, plus a file that switches
    ``cinder_routes`` on; ``filter-keystone-misplaced``: the keystone
    pipeline with ``vbs_native`` put before the auth filters, where no
    ``cinder.context`` exists yet;
    ``standalone``: vbs-native-api, noauth, on the read-only user.
    """

    CINDERS = ('stock-noauth', 'filter-noauth', 'stock-keystone',
               'filter-keystone', 'filter-keystone-routes',
               'filter-noauth-routes', 'filter-keystone-misplaced')

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='vbs-cinder-', dir=harness.TMP)
        self.db = MariaDB()
        self.cinder = {}
        self.standalone = None
        self.servers = []

    # -- set-up -------------------------------------------------------

    def start(self):
        self.db.setUp()
        self._write_policy()
        self.cinder_conf = self._cinder_conf('stock-noauth')
        # Cinder's own migrations, then Cinder's own code writes the data.
        _run([os.path.join(BIN, 'cinder-manage'), '--config-file',
              self.cinder_conf, 'db', 'sync'])
        _run([sys.executable, '-m', 'tests.cinder.cinder_data',
              '--config-file', self.cinder_conf], cwd=TOP)
        # The install guide's read-only user.
        self.db.add_ro_user()
        self.fingerprint = self.db.fingerprint()
        self.filter_conf = self._vbs_filter_conf()
        for name in self.CINDERS:
            conf = self._cinder_conf(name)
            server = processes.Server(
                'cinder-api ' + name,
                [os.path.join(BIN, 'cinder-api'), '--config-file', conf],
                self._cinder_log(name) + '.out', self.port_of[name],
                logs=[self._cinder_log(name)])
            server.log_path = self._cinder_log(name)
            self.cinder[name] = server
            self.servers.append(server)
        self.standalone = service.Api(
            os.path.join(self.dir, 'standalone'), self.db.ro_url, options={
                'osapi_max_limit': MAX_LIMIT,
                'oslo_policy.policy_file': self.policy_file})
        self.servers.append(self.standalone)
        for server in self.servers:
            server.start()
        for server in self.servers:
            server.wait(90)

    @property
    def port_of(self):
        if not hasattr(self, '_ports'):
            self._ports = {name: processes.free_port()
                           for name in self.CINDERS}
        return self._ports

    def _write_policy(self):
        self.policy_file = os.path.join(self.dir, 'policy.yaml')
        with open(self.policy_file, 'w') as f:
            json.dump(POLICY, f, indent=1)  # JSON is YAML

    def _paste(self, name):
        """Cinder's shipped api-paste.ini; with the filters of the install
        guide when ``name`` says so; keystone pipelines without
        ``authtoken``."""
        with open(os.path.join(CINDER_ETC, 'api-paste.ini')) as f:
            text = f.read()
        if name.startswith('filter'):
            conf = self.filter_conf
            if name.endswith('-routes'):
                # The guide's other way: Cinder's file, then one of ours.
                conf = '%s %s' % (self._cinder_conf_path(name),
                                  self._routes_conf())
            text = install_guide.apply_paste(
                text, {install_guide.CONF_PATH: conf})
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str
        parser.read_string(text)
        section = parser['composite:openstack_volume_api_v3']
        for key in ('keystone', 'keystone_nolimit'):
            words = [word for word in section[key].split()
                     if word != 'authtoken']
            if name.endswith('-misplaced'):
                # An operator's mistake: the filter before Cinder's auth.
                words.remove('vbs_native')
                words.insert(words.index('keystonecontext'), 'vbs_native')
            section[key] = ' '.join(words)
        path = os.path.join(self.dir, 'api-paste-%s.ini' % name)
        with open(path, 'w') as f:
            parser.write(f)
        return path

    def _cinder_log(self, name):
        return os.path.join(self.dir, 'cinder-api-%s.log' % name)

    def _cinder_conf_path(self, name):
        return os.path.join(self.dir, 'cinder-%s.conf' % name)

    def _routes_conf(self):
        path = os.path.join(self.dir, 'vbs-native-routes.conf')
        config.write(path, {'vbs_native': {'cinder_routes': 'true'}})
        return path

    def _cinder_conf(self, name):
        path = self._cinder_conf_path(name)
        state = os.path.join(self.dir, 'state-%s' % name)
        os.makedirs(state, exist_ok=True)
        config.write(path, {
            'DEFAULT': {
                'auth_strategy': name.split('-')[1],
                'transport_url': 'fake://',
                'state_path': state,
                'api_paste_config': self._paste(name),
                'resource_query_filters_file': os.path.join(
                    CINDER_ETC, 'resource_filters.json'),
                'osapi_volume_listen': '127.0.0.1',
                'osapi_volume_listen_port': self.port_of[name],
                'osapi_volume_workers': 1,
                'osapi_max_limit': MAX_LIMIT,
                'log_file': self._cinder_log(name),
            },
            'database': {'connection': self.db.url()},
            'oslo_concurrency': {'lock_path': state},
            'oslo_policy': {'policy_file': self.policy_file},
        })
        return path

    def _vbs_filter_conf(self):
        """The install guide's vbs-native.conf for the filter."""
        path = os.path.join(self.dir, 'vbs-native-filter.conf')
        text = install_guide.filter_conf({
            install_guide.POLICY_PATH: self.policy_file,
            install_guide.RO_URL: self.db.ro_url,
        })
        text += '\n[DEFAULT]\nosapi_max_limit = %d\n' % MAX_LIMIT
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str
        parser.read_string(text)
        with open(path, 'w') as f:
            parser.write(f)
        return path

    # -- tear-down ----------------------------------------------------

    def stop(self):
        for server in self.servers:
            server.stop()
        try:
            self.db.cleanUp()
        finally:
            if os.environ.get('VBS_NATIVE_TEST_KEEP'):
                print('kept %s' % self.dir, file=sys.stderr)
            else:
                shutil.rmtree(self.dir, ignore_errors=True)


_lock = threading.Lock()
_environment = None
_failure = None


def get():
    """The environment of this test run, started on first use."""
    global _environment, _failure
    with _lock:
        if _failure is not None:
            raise RuntimeError('the Cinder environment failed to start: %s'
                               % _failure)
        if _environment is None:
            environment = Environment()
            atexit.register(environment.stop)
            # A test run stopped with SIGTERM still drops its database.
            if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
                signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
            try:
                environment.start()
            except Exception as exc:
                _failure = exc
                raise
            _environment = environment
        return _environment


# Personas, as headers: the keystone pipeline (authtoken left out) and
# vbs-native's noauth both read them.
def persona(user, project, roles):
    return {'X-User-Id': user, 'X-Project-Id': project,
            'X-Roles': ','.join(roles)}


ADMIN = persona('u-admin', data.ADMIN_PROJECT, ['admin', 'reader', 'member'])
READER = persona(data.USER, data.PROJECT, ['reader', 'member'])
MEMBER_ONLY = persona(data.USER, data.PROJECT, ['member'])
AUDITOR = persona('u-auditor', data.PROJECT, [AUDITOR_ROLE])
OTHER_READER = persona(data.OTHER_USER, data.OTHER_PROJECT, ['reader'])
