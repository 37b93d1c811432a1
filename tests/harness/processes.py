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

"""Server processes: each on a loopback port, in a session of its own with
its workers, stopped together at cleanup and, should the test process die
first, with it."""

import ctypes
import http.client
import os
import signal
import socket
import subprocess
import time

import fixtures


def free_port():
    """A loopback TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def die_with_parent():
    """Run in the child: SIGTERM when the parent dies (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def status(port, path, timeout=30):
    """The status of GET ``path`` on the loopback ``port``; OSError when
    nothing answers."""
    connection = http.client.HTTPConnection('127.0.0.1', port,
                                            timeout=timeout)
    try:
        connection.request('GET', path)
        return connection.getresponse().status
    finally:
        connection.close()


class Server(fixtures.Fixture):
    """``argv`` run with its output to the file ``output``; ``logs`` are other
    files it writes, shown with its output when it fails to start."""

    def __init__(self, name, argv, output, port, env=None, cwd=None,
                 logs=()):
        super().__init__()
        self.name = name
        self.argv = argv
        self.output = output
        self.port = port
        self.env = env
        self.cwd = cwd
        self.other_logs = list(logs)
        self.process = None

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.port

    def _setUp(self):
        self.start()
        self.addCleanup(self.stop)

    def start(self):
        os.makedirs(os.path.dirname(self.output), exist_ok=True)
        with open(self.output, 'ab') as log:
            self.process = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env=self.env, cwd=self.cwd,
                start_new_session=True, preexec_fn=die_with_parent)

    def wait_ready(self, ready, timeout=120):
        """Poll ``ready()`` until it is true; fail if the process exits
        first or the deadline passes."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError('%s exited with %s:\n%s' % (
                    self.name, self.process.returncode, self.log_tail()))
            try:
                if ready():
                    return
            except OSError:
                # Not listening yet, or the first request (which may load
                # the whole application on a busy machine) timed out.
                pass
            if time.monotonic() > deadline:
                raise RuntimeError('%s not ready in %d s:\n%s' % (
                    self.name, timeout, self.log_tail()))
            time.sleep(0.1)

    def wait(self, timeout=120):
        """Wait until GET / gets any answer."""
        self.wait_ready(lambda: status(self.port, '/') > 0, timeout)

    def stop(self, timeout=30):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            self.process.wait()

    def kill(self):
        """SIGKILL the process and its workers together: a server that
        crashes, or a node that dies."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def worker_pids(self):
        """The master's children: gunicorn's workers."""
        pid = self.process.pid
        with open('/proc/%d/task/%d/children' % (pid, pid)) as stream:
            return sorted(int(child) for child in stream.read().split())

    def rss(self):
        """{worker pid: resident set size in KiB}."""
        sizes = {}
        for pid in self.worker_pids():
            try:
                with open('/proc/%d/status' % pid) as stream:
                    for line in stream:
                        if line.startswith('VmRSS:'):
                            sizes[pid] = int(line.split()[1])
            except FileNotFoundError:
                pass
        return sizes

    def log_tail(self, chars=5000):
        text = ''
        for path in [self.output] + self.other_logs:
            if os.path.exists(path):
                with open(path, errors='replace') as stream:
                    text += stream.read()[-chars:]
        return text[-chars:]
