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

"""HAProxy on loopback, as the HA guide (doc/source/admin/ha.rst)
configures it: the API balanced round-robin with ``/healthcheck`` as the
health check, and MariaDB Galera behind one writer node with the others as
backups."""

import csv
import io
import os
import shutil
import socket
import subprocess
import tempfile

import fixtures

from tests.ha import daemons

HAPROXY = '/usr/sbin/haproxy'

GLOBAL = """global
    maxconn 4096
    stats socket {socket} mode 600 level admin

defaults
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # Longer than /healthcheck waits for the database (2 s).
    timeout check 5s
    retries 3
    option redispatch 1
"""

API = """
listen vbs_native_api
    bind 127.0.0.1:{port}
    mode http
    balance roundrobin
    option httpchk GET /healthcheck
    # 503: the node answers, the database does not; every node shares it,
    # and the node's own JSON 503 carries Retry-After.
    http-check expect rstatus ^(200|503)$
    # A request that reached a node that died unanswered goes to another.
    retry-on conn-failure empty-response
    http-response set-header X-Served-By %s
    default-server inter 1s fall 2 rise 2
{servers}"""

GALERA = """
listen galera
    bind 127.0.0.1:{port}
    mode tcp
    timeout client 1h
    timeout server 1h
    option mysql-check user {user} post-41
    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
{servers}"""


def api_section(port, node_ports):
    return API.format(port=port, servers=''.join(
        '    server api%d 127.0.0.1:%d check\n' % (number, node_port)
        for number, node_port in enumerate(node_ports)))


def galera_section(port, node_ports, user):
    """The first node takes every connection while it is up."""
    return GALERA.format(port=port, user=user, servers=''.join(
        '    server node%d 127.0.0.1:%d check%s\n' % (
            number, node_port, ' backup' if number > 1 else '')
        for number, node_port in enumerate(node_ports, start=1)))


class HAProxy(fixtures.Fixture):
    """``haproxy`` with the given sections; ``ports`` are their frontends
    (free loopback ports, named as the sections' ``{name}`` fields)."""

    def __init__(self, *sections):
        super().__init__()
        self.sections = sections

    def _setUp(self):
        if not os.path.exists(HAPROXY):
            raise AssertionError('%s is missing: install the Debian packages '
                                 'of bindep.txt' % HAPROXY)
        directory = tempfile.mkdtemp(prefix='vbs-haproxy-')
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        self.socket = os.path.join(directory, 'admin.sock')
        self.config = os.path.join(directory, 'haproxy.cfg')
        with open(self.config, 'w') as stream:
            stream.write(GLOBAL.format(socket=self.socket))
            stream.write(''.join(self.sections))
        self.log_path = os.path.join(directory, 'haproxy.log')
        log = open(self.log_path, 'wb')
        self.addCleanup(log.close)
        self.process = subprocess.Popen(
            [HAPROXY, '-db', '-f', self.config], stdout=log,
            stderr=subprocess.STDOUT)
        self.addCleanup(daemons.stop, self.process)
        daemons.wait_for(
            lambda: all(state == 'UP' for state in self.states().values()),
            60, 'HAProxy with every server up', self.process,
            lambda: daemons.tail(self.log_path))

    def command(self, line):
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(self.socket)
            sock.sendall(line.encode() + b'\n')
            # HAProxy answers one command and closes.
            with sock.makefile('rb') as answer:
                return answer.read().decode()

    def stat(self, field):
        """{(proxy, server): ``field`` of ``show stat``} of every server."""
        text = self.command('show stat').lstrip('# ')
        return {(row['pxname'], row['svname']): row[field]
                for row in csv.DictReader(io.StringIO(text))
                if row['svname'] not in ('FRONTEND', 'BACKEND')}

    def states(self):
        """{(proxy, server): status} of every server: UP, DOWN..."""
        return {key: value.split()[0]
                for key, value in self.stat('status').items()}

    def busy(self, proxy):
        """The servers of ``proxy`` with a request in progress."""
        return [server for (name, server), sessions
                in self.stat('scur').items()
                if name == proxy and int(sessions)]

    def wait_state(self, proxy, server, state, timeout=60):
        daemons.wait_for(
            lambda: self.states()[(proxy, server)] == state, timeout,
            'HAProxy sees %s/%s %s' % (proxy, server, state), self.process,
            lambda: daemons.tail(self.log_path))
