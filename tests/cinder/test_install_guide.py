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

"""The install guide and the devstack plugin say the same thing.

The other Cinder tests build their deployment from the guide's blocks;
this one runs devstack/plugin.sh's paste and configuration steps on a copy
of Cinder's shipped api-paste.ini (with small stand-ins for devstack's
``iniget``/``iniset``) and checks the result is what the guide says.
"""

import configparser
import os
import subprocess
import tempfile

from tests.cinder import base
from tests.cinder import environment
from tests.cinder import install_guide

PLUGIN = os.path.join(environment.TOP, 'devstack', 'plugin.sh')
# Stand-ins for devstack's inifile functions, enough for the plugin.
INIFILE = r'''
function iniget {
    python3 - "$@" <<'PY'
import configparser, sys
p = configparser.RawConfigParser(strict=False); p.optionxform = str
p.read(sys.argv[1])
s, k = sys.argv[2:4]
print(p.get(s, k) if p.has_option(s, k) else '')
PY
}
function iniset {
    python3 - "$@" <<'PY'
import configparser, sys
p = configparser.RawConfigParser(strict=False); p.optionxform = str
p.read(sys.argv[1])
if sys.argv[2] != 'DEFAULT' and not p.has_section(sys.argv[2]):
    p.add_section(sys.argv[2])
p.set(sys.argv[2], sys.argv[3], sys.argv[4])
with open(sys.argv[1], 'w') as f:
    p.write(f)
PY
}
function is_service_enabled { return 1; }
function trueorfalse { echo ${!2:-$1}; }
'''


def _read(path):
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str
    parser.read(path)
    return parser


class DevstackPluginTest(base.TestCase):

    def setUp(self):
        # No Cinder environment needed here.
        super(base.TestCase, self).setUp()

    def _run(self, script, env):
        result = subprocess.run(
            ['bash', '-c', INIFILE + 'source %s\n%s' % (PLUGIN, script)],
            capture_output=True, text=True, env=dict(os.environ, **env))
        self.assertEqual(0, result.returncode, result.stderr)

    def test_paste_as_the_guide(self):
        with tempfile.TemporaryDirectory() as tmp:
            paste = os.path.join(tmp, 'api-paste.ini')
            with open(os.path.join(environment.CINDER_ETC,
                                   'api-paste.ini')) as f:
                stock = f.read()
            with open(paste, 'w') as f:
                f.write(stock)
            env = {'CINDER_API_PASTE_INI': paste,
                   'VBS_NATIVE_CONF': install_guide.CONF_PATH}
            self._run('configure_cinder_paste', env)
            # Twice changes nothing more.
            self._run('configure_cinder_paste', env)
            mine = _read(paste)
            guide = configparser.RawConfigParser(strict=False)
            guide.optionxform = str
            guide.read_string(install_guide.apply_paste(stock, {}))
            for section in guide.sections():
                self.assertEqual(dict(guide.items(section)),
                                 dict(mine.items(section)), section)

    def test_conf_as_the_guide(self):
        with tempfile.TemporaryDirectory() as tmp:
            conf = os.path.join(tmp, 'vbs-native.conf')
            cinder_conf = os.path.join(tmp, 'cinder.conf')
            open(cinder_conf, 'w').close()
            self._sudo(tmp)
            self._run('configure_vbs_native', {
                'VBS_NATIVE_CONF': conf, 'VBS_NATIVE_CONF_DIR': tmp,
                'STACK_USER': str(os.getuid()), 'CINDER_CONF': cinder_conf,
                'CINDER_CONF_DIR': '/etc/cinder', 'MYSQL_HOST': 'controller',
                'VBS_NATIVE_DB_USER': 'vbs_native',
                'VBS_NATIVE_DB_PASSWORD': 'VBS_DBPASS',
                'VBS_NATIVE_CINDER_ROUTES': 'False',
                'PATH': '%s:%s' % (tmp, os.environ['PATH'])})
            mine = _read(conf)
            guide = configparser.RawConfigParser(strict=False)
            guide.optionxform = str
            guide.read_string(install_guide.filter_conf({}))
            for section in guide.sections():
                self.assertEqual(dict(guide.items(section)),
                                 dict(mine.items(section)), section)
            self.assertEqual('False', mine.get('vbs_native', 'cinder_routes'))

    def test_catalog_as_the_guide(self):
        """The plugin's catalog entries are the guide's: its region, both
        service types, the native URL; Keystone's endpoint in the region."""
        with tempfile.TemporaryDirectory() as tmp:
            calls = os.path.join(tmp, 'calls')
            stand_ins = r"""
            function openstack {
                echo "openstack $*" >> %(calls)s
                case "$*" in *"region show"*) return 1;;
                             *"service create"*) echo "id-${@: -1}";; esac
            }
            function get_or_create_endpoint {
                echo "endpoint $*" >> %(calls)s
            }
            """ % {'calls': calls}
            self._run(stand_ins + 'register_vbs_native_endpoint '
                      '"http://HOST:8776/v3/%(project_id)s/native"', {
                          'REGION_NAME': 'RegionOne',
                          'VBS_NATIVE_REGION': 'RegionOne-native',
                          'KEYSTONE_SERVICE_URI':
                              'https://keystone.example.com/identity/v3'})
            with open(calls) as f:
                made = [line.replace(
                    'openstack --os-cloud devstack-system-admin ', '')
                    for line in f.read().splitlines()
                    if 'region show' not in line
                    and 'service list' not in line]
        url = 'http://HOST:8776/v3/%(project_id)s/native'
        self.assertEqual([
            'region create --parent-region RegionOne '
            'RegionOne-native',
            'endpoint identity RegionOne-native '
            'https://keystone.example.com/identity/v3',
            'service create --name vbs-native --description '
            'vbs-native backup queries -f value -c id block-storage',
            'endpoint id-block-storage RegionOne-native ' + url,
            'service create --name vbs-native --description '
            'vbs-native backup queries -f value -c id volumev3',
            'endpoint id-volumev3 RegionOne-native ' + url], made)
        guide = install_guide.blocks()['catalog-console']
        for words in ('region create --parent-region RegionOne '
                      'RegionOne-native',
                      '--region RegionOne-native identity public '
                      'https://keystone.example.com/identity/v3',
                      'for type in block-storage volumev3',
                      'service create --name vbs-native',
                      '$service public', "'%s'" % url):
            self.assertIn(words, guide)

    def _sudo(self, directory):
        """A ``sudo`` that runs the command as is (install -d, rm)."""
        path = os.path.join(directory, 'sudo')
        with open(path, 'w') as f:
            f.write('#!/bin/sh\nexec "$@"\n')
        os.chmod(path, 0o755)

    def test_grants_as_the_guide(self):
        with open(PLUGIN) as f:
            plugin = f.read()
        statements = install_guide.grant_statements(
            'cinder', '$VBS_NATIVE_DB_USER', '$VBS_NATIVE_DB_PASSWORD')
        self.assertTrue(statements)
        for statement in statements:
            statement = statement.replace('`cinder`.', 'cinder.').replace(
                'CREATE USER', 'CREATE USER IF NOT EXISTS')
            self.assertIn(statement + ';', plugin)

    def test_guide_filters_load(self):
        guide = configparser.RawConfigParser(strict=False)
        guide.optionxform = str
        guide.read_string(install_guide.blocks()['paste-ini'])
        for section in ('filter:vbs_native', 'filter:vbs_native_versions'):
            module, _sep, name = guide.get(
                section, 'paste.filter_factory').partition(':')
            factory = getattr(__import__(module, fromlist=[name]), name)
            self.assertTrue(callable(factory))
            self.assertEqual(install_guide.CONF_PATH,
                             guide.get(section, 'config_file'))
