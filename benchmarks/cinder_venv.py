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

"""Real cinder-api 29.0.0 for the comparison: a virtualenv of its own,
pinned as the cinder tox env is, with vbs-native installed beside Cinder
(as the cinder tox env has it) for its paste filter; and the
configuration, stock or with the install guide's filters."""

import os
import subprocess
import sys

from progress import log
from tests.cinder import install_guide
from tests.harness import config

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CINDER_VERSION = '29.0.0'
CONSTRAINTS = [os.path.join(ROOT, 'upper-constraints.txt'),
               os.path.join(ROOT, 'tools', 'cinder-constraints.txt')]


def make(work):
    """A virtualenv with cinder==29.0.0 (made once; a few minutes), and
    vbs-native with its requirements (again when requirements.txt
    changes). The filter's code comes from this checkout at run time
    (``filter_env``), not from the copy installed there."""
    venv = os.path.join(work, 'cinder-venv')
    python = os.path.join(venv, 'bin', 'python')
    marker = os.path.join(venv, '.bench-ready')
    pins = []
    for path in CONSTRAINTS:
        pins += ['-c', path]
    if not os.path.exists(marker):
        log('installing cinder==%s into %s', CINDER_VERSION, venv)
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        subprocess.run([python, '-m', 'pip', 'install', '--quiet',
                        '--disable-pip-version-check'] + pins + [
                        'cinder==%s' % CINDER_VERSION, 'gunicorn',
                        'PyMySQL', 'psycopg2-binary'], check=True)
        open(marker, 'w').close()
    vbs_marker = os.path.join(venv, '.bench-vbs-native')
    with open(os.path.join(ROOT, 'requirements.txt'),
              encoding='utf-8') as handle:
        requirements = handle.read()
    try:
        with open(vbs_marker, encoding='utf-8') as handle:
            installed = handle.read()
    except OSError:
        installed = None
    if installed != requirements:
        log('installing vbs-native (%s) into %s', ROOT, venv)
        subprocess.run([python, '-m', 'pip', 'install', '--quiet',
                        '--disable-pip-version-check'] + pins + [ROOT],
                       check=True)
        with open(vbs_marker, 'w', encoding='utf-8') as handle:
            handle.write(requirements)
    return venv


def filter_env():
    """The environment of a cinder-api with the filter: this checkout's
    vbs_native first on the path."""
    path = os.environ.get('PYTHONPATH')
    return {'PYTHONPATH': ROOT + (os.pathsep + path if path else '')}


def _policy(work):
    """Cinder's policy file, for Cinder and the filter alike (as the
    install guide has it): empty, the defaults."""
    path = os.path.join(work, 'cinder-policy.yaml')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('{}\n')
    return path


def _filter_paste(work, name, url, venv):
    """Cinder's api-paste.ini with the install guide's filters, and the
    guide's vbs-native.conf for them on ``url``, with ``cinder_routes``
    on: the filter answers Cinder's own GET /backups paths."""
    filter_conf = os.path.join(work, name + '.vbs-native.conf')
    text = install_guide.filter_conf({
        install_guide.POLICY_PATH: _policy(work),
        install_guide.RO_URL: url})
    text += '\n[vbs_native]\ncinder_routes = true\n'
    with open(filter_conf, 'w', encoding='utf-8') as handle:
        handle.write(text)
    with open(os.path.join(venv, 'etc', 'cinder', 'api-paste.ini'),
              encoding='utf-8') as handle:
        stock = handle.read()
    paste = os.path.join(work, name + '.api-paste.ini')
    with open(paste, 'w', encoding='utf-8') as handle:
        handle.write(install_guide.apply_paste(
            stock, {install_guide.CONF_PATH: filter_conf}))
    return paste


def conf(work, name, url, venv, with_filter=False):
    """cinder.conf for cinder-api on ``url``, noauth; stock, or with the
    vbs-native filters in its pipelines."""
    # Cinder's own driver on MariaDB, as it is deployed; the filter reads
    # Cinder's database as Cinder does.
    url = url.replace('mysql+mysqldb://', 'mysql+pymysql://')
    state = os.path.join(work, 'cinder-state')
    os.makedirs(state, exist_ok=True)
    paste = os.path.join(venv, 'etc', 'cinder', 'api-paste.ini')
    if with_filter:
        paste = _filter_paste(work, name, url, venv)
    return config.write(os.path.join(work, name + '.cinder.conf'), {
        'DEFAULT': {
            'auth_strategy': 'noauth',
            'state_path': state,
            'api_paste_config': paste,
            'log_file': os.path.join(work, 'logs',
                                     name + '.cinder-api.log'),
        },
        'database': {'connection': url},
        'oslo_concurrency': {'lock_path': state},
        'oslo_policy': {'policy_file': _policy(work)},
    })
