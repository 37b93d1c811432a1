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

"""The service's own commands: vbs-native-api as a server process, and
vbs-native-manage to make and fill a database."""

import os
import subprocess
import sys

from tests.harness import config
from tests.harness import processes

BIN = os.path.dirname(sys.executable)


def api_config(directory, port, connection, workers=1, options=None):
    """The sections of a vbs-native.conf serving ``connection`` on the
    loopback ``port``, noauth, state and log in ``directory``, then
    ``options`` ({'group.name' or 'name': value; None removes it})."""
    sections = {
        'DEFAULT': {
            'state_path': directory,
            'auth_strategy': 'noauth',
            'osapi_volume_listen': '127.0.0.1',
            'osapi_volume_listen_port': port,
            'osapi_volume_workers': workers,
            'log_file': os.path.join(directory, 'api.log'),
        },
        'database': {'connection': connection},
    }
    return config.add_options(sections, options or {})


class Api(processes.Server):
    """vbs-native-api (gunicorn) on a free port, from a vbs-native.conf of
    its own (``api_config``) and then ``config_files``. Started at setUp;
    ``wait`` waits until /healthcheck answers (200, or 503 while the
    database does not) and every worker runs."""

    def __init__(self, directory, connection, workers=1, options=None,
                 config_files=(), name='vbs-native-api'):
        self.directory = directory
        self.connection = connection
        self.workers = workers
        self.options = options
        self.config_file = os.path.join(directory, 'vbs-native.conf')
        argv = [os.path.join(BIN, 'vbs-native-api')]
        for path in [self.config_file] + list(config_files):
            argv += ['--config-file', path]
        super().__init__(name, argv, os.path.join(directory, 'stdout.log'),
                         processes.free_port(),
                         logs=[os.path.join(directory, 'api.log')])

    def start(self):
        os.makedirs(self.directory, exist_ok=True)
        config.write(self.config_file, api_config(
            self.directory, self.port, self.connection, self.workers,
            self.options))
        super().start()

    def wait(self, timeout=300):
        # 503: serving, but the database does not answer.
        self.wait_ready(
            lambda: (processes.status(self.port, '/healthcheck') in (200, 503)
                     and len(self.worker_pids()) == self.workers), timeout)


def manage(config_file, *args):
    """vbs-native-manage's output; fails unless it succeeds."""
    result = subprocess.run(
        [os.path.join(BIN, 'vbs-native-manage'), '--config-file',
         config_file] + list(args),
        capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode:
        raise AssertionError('vbs-native-manage %s: %s%s' % (
            ' '.join(args), result.stdout, result.stderr))
    return result.stdout


def db_sync(directory, connection):
    """Our schema at ``connection``, made or upgraded by vbs-native-manage
    as an operator would; the config file it used."""
    conf = config.write(os.path.join(directory, 'manage.conf'), {
        'DEFAULT': {'state_path': directory},
        'database': {'connection': connection}})
    manage(conf, 'db', 'sync')
    return conf


def generate(directory, connection, count, projects, seed, first_share=None):
    """Our schema at ``connection``, filled by vbs-native-manage as an
    operator would; the project ids."""
    conf = db_sync(directory, connection)
    args = ['--count', str(count), '--projects', str(projects),
            '--seed', str(seed)]
    if first_share is not None:
        args += ['--first-share', str(first_share)]
    output = manage(conf, 'backup', 'generate', *args)
    return output.split(':', 1)[1].split()
