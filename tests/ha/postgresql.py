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

"""A PostgreSQL primary and a hot standby on loopback, started and stopped
by the tests: the standby is made by ``pg_basebackup`` and follows the
primary by streaming replication."""

import glob
import os
import shutil
import subprocess

import fixtures
import psycopg2

from tests.ha import daemons
from tests.harness import processes

USER = 'postgres'


def bin_dir():
    """The newest Debian PostgreSQL's programs."""
    found = sorted(glob.glob('/usr/lib/postgresql/*/bin/postgres'),
                   key=lambda path: int(path.split('/')[-3]))
    if not found:
        raise AssertionError('PostgreSQL is missing: install the Debian '
                             'packages of bindep.txt')
    return os.path.dirname(found[-1])


class Server:

    def __init__(self, pair, name):
        self.pair = pair
        self.name = name
        self.datadir = os.path.join(pair.directory, name)
        self.port = processes.free_port()
        self.process = None

    def start(self):
        self.log_path = os.path.join(self.pair.directory, self.name + '.log')
        self.log = open(self.log_path, 'ab')
        self.process = subprocess.Popen(
            [os.path.join(self.pair.bin, 'postgres'), '-D', self.datadir,
             '-p', str(self.port), '-k', self.pair.directory,
             '-c', 'listen_addresses=127.0.0.1',
             # A test server: no need to survive a power cut.
             '-c', 'fsync=off', '-c', 'full_page_writes=off'],
            stdout=self.log, stderr=subprocess.STDOUT,
            cwd=self.pair.directory, **daemons.as_user(USER))
        daemons.wait_for(self.ready, 60, 'PostgreSQL %s' % self.name,
                         self.process, self.logs, psycopg2.Error)

    def ready(self):
        with self.connect() as connection:
            return bool(connection)

    def stop(self):
        daemons.stop(self.process)
        if self.process is not None:
            self.log.close()

    def logs(self):
        return daemons.tail(self.log_path)

    def connect(self, database='postgres'):
        return Connection(psycopg2.connect(
            host='127.0.0.1', port=self.port, user=USER, dbname=database,
            connect_timeout=5))

    def url(self, database):
        return 'postgresql+psycopg2://%s@127.0.0.1:%d/%s' % (
            USER, self.port, database)

    def sql(self, statement, database='postgres'):
        with self.connect(database) as connection:
            cursor = connection.cursor()
            cursor.execute(statement)
            return cursor.fetchone() if cursor.description else None


class Connection:
    """An autocommit psycopg2 connection, closed on leaving ``with``."""

    def __init__(self, connection):
        connection.autocommit = True
        self.connection = connection

    def __enter__(self):
        return self.connection

    def __exit__(self, *exc_info):
        self.connection.close()


class Pair(fixtures.Fixture):
    """``primary`` and ``standby``, which has replayed all of the
    primary's writes when set up."""

    def _setUp(self):
        self.bin = bin_dir()
        self.directory = daemons.directory(USER, 'vbs-postgresql-')
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)
        self.primary = Server(self, 'primary')
        self.standby = Server(self, 'standby')
        daemons.run([os.path.join(self.bin, 'initdb'), '--no-sync',
                     '-D', self.primary.datadir, '-U', USER,
                     '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'],
                    USER, cwd=self.directory)
        self.addCleanup(self.primary.stop)
        self.primary.start()
        daemons.run([os.path.join(self.bin, 'pg_basebackup'), '--no-sync',
                     '-h', '127.0.0.1', '-p', str(self.primary.port),
                     '-U', USER, '-D', self.standby.datadir,
                     '-X', 'stream', '--write-recovery-conf'], USER,
                    cwd=self.directory)
        self.addCleanup(self.standby.stop)
        self.standby.start()
        self.wait_replayed()

    def create_database(self, name):
        self.primary.sql('CREATE DATABASE %s' % name)
        self.wait_replayed()

    def wait_replayed(self):
        """Until the standby has replayed what the primary wrote so far."""
        position = self.primary.sql('SELECT pg_current_wal_lsn()')[0]
        daemons.wait_for(lambda: self.standby.sql(
            "SELECT pg_last_wal_replay_lsn() >= '%s'" % position)[0],
            60, 'the standby replaying the primary', self.standby.process,
            self.standby.logs, psycopg2.Error)

    def pause(self):
        """Stop the standby's replay; it resumes on ``resume``."""
        self.standby.sql('SELECT pg_wal_replay_pause()')

    def resume(self):
        self.standby.sql('SELECT pg_wal_replay_resume()')
