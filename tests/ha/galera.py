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

"""A three-node MariaDB Galera cluster on loopback, each node with its own
data directory and ports, started and stopped by the tests.

The first node bootstraps the cluster (``--wsrep-new-cluster``) from a data
directory made by ``mariadb-install-db``; the others join it and get their
data by rsync state transfer. ``admin_url`` reaches any node over TCP as a
user with every privilege; HAProxy's health check logs in as
``haproxy_check`` (no password, no privilege).
"""

import os
import shutil
import signal
import subprocess
import uuid

import fixtures
import pymysql
import sqlalchemy as sa

from tests.ha import daemons
from tests.harness import processes
from tests.harness import service

MARIADBD = '/usr/sbin/mariadbd'
INSTALL_DB = '/usr/bin/mariadb-install-db'
PROVIDER = '/usr/lib/galera/libgalera_smm.so'
USER = 'mysql'
CHECK_USER = 'haproxy_check'

CONFIG = """[mysqld]
datadir = {datadir}
socket = {home}/mysqld.sock
pid-file = {home}/mysqld.pid
log-error = {home}/error.log
port = {port}
bind-address = 127.0.0.1
skip-name-resolve
performance_schema = OFF
innodb_buffer_pool_size = 32M
innodb_log_file_size = 16M
# A test cluster: durability on the other nodes, not the disk.
innodb_flush_log_at_trx_commit = 2
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
wsrep_on = ON
wsrep_provider = {provider}
wsrep_cluster_name = vbs_ha_test
wsrep_cluster_address = gcomm://{members}
wsrep_node_name = {name}
wsrep_node_address = 127.0.0.1
wsrep_provider_options = "{provider_options}"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:{sst}
"""


class Node:

    def __init__(self, cluster, name):
        self.name = name
        self.home = daemons.subdirectory(cluster.directory, name, USER)
        # A joiner's stays empty until its state transfer fills it.
        self.datadir = daemons.subdirectory(self.home, 'data', USER)
        self.port = processes.free_port()
        self.gcomm = processes.free_port()
        self.ist = processes.free_port()
        self.sst = processes.free_port()
        self.config = os.path.join(self.home, 'my.cnf')
        self.process = None

    def write_config(self, members):
        with open(self.config, 'w') as stream:
            stream.write(CONFIG.format(
                home=self.home, datadir=self.datadir, port=self.port,
                provider=PROVIDER, members=members, name=self.name,
                sst=self.sst, provider_options=';'.join((
                    'gmcast.listen_addr=tcp://127.0.0.1:%d' % self.gcomm,
                    'ist.recv_addr=127.0.0.1:%d' % self.ist,
                    'gcache.size=64M'))))
        os.chmod(self.config, 0o644)

    def start(self, bootstrap=False):
        command = [MARIADBD, '--defaults-file=%s' % self.config]
        if bootstrap:
            command.append('--wsrep-new-cluster')
        self.log = open(os.path.join(self.home, 'stdout.log'), 'ab')
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT,
            cwd=self.home, **daemons.as_user(USER))

    def kill(self):
        """SIGKILL: the node dies as a crashed server does."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        self.log.close()

    def stop(self):
        daemons.stop(self.process)
        if self.process is not None and not self.log.closed:
            self.log.close()

    def logs(self):
        return ''.join(daemons.tail(os.path.join(self.home, name))
                       for name in ('stdout.log', 'error.log'))

    def admin(self, **kwargs):
        """A root connection on the node's socket."""
        return pymysql.connect(unix_socket=os.path.join(
            self.home, 'mysqld.sock'), user='root', password='',
            autocommit=True, **kwargs)

    def status(self, name):
        with self.admin(connect_timeout=2) as connection, \
                connection.cursor() as cursor:
            cursor.execute("SHOW GLOBAL STATUS LIKE %s", (name,))
            row = cursor.fetchone()
        return row and row[1]

    def synced(self, size):
        return (self.status('wsrep_local_state_comment') == 'Synced'
                and self.status('wsrep_cluster_size') == str(size))

    def wait_synced(self, size=3, timeout=120):
        daemons.wait_for(lambda: self.synced(size), timeout,
                         '%s synced in a cluster of %d' % (self.name, size),
                         self.process, self.logs,
                         (OSError, pymysql.err.Error))


class Cluster(fixtures.Fixture):
    """Three Galera nodes, synced; ``nodes[0]`` bootstrapped the cluster."""

    size = 3

    def _setUp(self):
        for path in (MARIADBD, INSTALL_DB, PROVIDER):
            if not os.path.exists(path):
                raise AssertionError(
                    '%s is missing: install the Debian packages of '
                    'bindep.txt' % path)
        self.directory = daemons.directory(USER, 'vbs-galera-')
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)
        self.nodes = [Node(self, 'node%d' % number)
                      for number in range(1, self.size + 1)]
        members = ','.join('127.0.0.1:%d' % node.gcomm
                           for node in self.nodes)
        for node in self.nodes:
            node.write_config(members)
            self.addCleanup(node.stop)
        first = self.nodes[0]
        daemons.run([INSTALL_DB, '--defaults-file=%s' % first.config,
                     '--auth-root-authentication-method=normal',
                     '--skip-test-db'], USER, cwd=self.directory)
        first.start(bootstrap=True)
        first.wait_synced(size=1)
        self.password = uuid.uuid4().hex
        with first.admin() as connection, connection.cursor() as cursor:
            for statement in (
                    "CREATE USER 'vbs'@'127.0.0.1' IDENTIFIED BY '%s'"
                    % self.password,
                    "GRANT ALL ON *.* TO 'vbs'@'127.0.0.1' "
                    "WITH GRANT OPTION",
                    "CREATE USER '%s'@'127.0.0.1'" % CHECK_USER):
                cursor.execute(statement)
        # One joiner at a time: the donor serves one state transfer.
        for number, node in enumerate(self.nodes[1:], start=2):
            node.start()
            node.wait_synced(size=number)

    def url(self, port, database=''):
        """A SQLAlchemy URL of ``database`` through ``port`` (a node's,
        or a proxy's)."""
        return 'mysql+pymysql://vbs:%s@127.0.0.1:%d/%s?charset=utf8mb4' % (
            self.password, port, database)

    def restart(self, node):
        """Start a node that died again, and wait until it is synced."""
        node.start()
        node.wait_synced(size=self.size)


class Database(fixtures.Fixture):
    """A database of our schema on ``cluster``, filled by
    vbs-native-manage; the cluster's ``vbs`` user reads it. It goes with
    the cluster."""

    name = 'vbs_ha'
    user = 'vbs'

    def __init__(self, cluster, count, projects=1, seed=7):
        super().__init__()
        self.cluster = cluster
        self.count = count
        self.projects = projects
        self.seed = seed

    def _setUp(self):
        first = self.cluster.nodes[0]
        with first.admin() as connection, connection.cursor() as cursor:
            cursor.execute('CREATE DATABASE %s CHARACTER SET utf8mb4'
                           % self.name)
        url = self.url(first.port)
        directory = self.useFixture(fixtures.TempDir()).path
        self.project_ids = service.generate(directory, url, self.count,
                                            self.projects, self.seed)
        # The tests' own reads and writes, straight to the first node.
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        self.addCleanup(self.engine.dispose)

    def url(self, port):
        """Through ``port``: a node's, or a proxy's."""
        return self.cluster.url(port, self.name)
