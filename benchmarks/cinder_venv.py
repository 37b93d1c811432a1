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
pinned as the cinder tox env is, and its configuration."""

import os
import subprocess
import sys

from progress import log
from tests.harness import config

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CINDER_VERSION = '29.0.0'
CONSTRAINTS = [os.path.join(ROOT, 'upper-constraints.txt'),
               os.path.join(ROOT, 'tools', 'cinder-constraints.txt')]


def make(work):
    """A virtualenv with cinder==29.0.0 (made once; a few minutes)."""
    venv = os.path.join(work, 'cinder-venv')
    python = os.path.join(venv, 'bin', 'python')
    marker = os.path.join(venv, '.bench-ready')
    if not os.path.exists(marker):
        log('installing cinder==%s into %s', CINDER_VERSION, venv)
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        pins = []
        for path in CONSTRAINTS:
            pins += ['-c', path]
        subprocess.run([python, '-m', 'pip', 'install', '--quiet',
                        '--disable-pip-version-check'] + pins + [
                        'cinder==%s' % CINDER_VERSION, 'gunicorn',
                        'PyMySQL', 'psycopg2-binary'], check=True)
        open(marker, 'w').close()
    return venv


def conf(work, name, url, venv):
    """cinder.conf for cinder-api on ``url``, noauth."""
    state = os.path.join(work, 'cinder-state')
    os.makedirs(state, exist_ok=True)
    return config.write(os.path.join(work, name + '.cinder.conf'), {
        'DEFAULT': {
            'auth_strategy': 'noauth',
            'state_path': state,
            'api_paste_config': os.path.join(venv, 'etc', 'cinder',
                                             'api-paste.ini'),
            'log_file': os.path.join(work, 'logs',
                                     name + '.cinder-api.log'),
        },
        'database': {'connection': url},
        'oslo_concurrency': {'lock_path': state},
    })
