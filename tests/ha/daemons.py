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

"""Running the database servers as their own users, and waiting for them.

As root (CI), MariaDB and PostgreSQL run as the ``mysql`` and ``postgres``
users, which own their data directories: PostgreSQL refuses to run as root,
and Galera's rsync state transfer fails as root. As anyone else, they run
as that user.
"""

import os
import shutil
import subprocess
import tempfile
import time

from tests import harness


def as_user(user):
    """Popen keyword arguments that run a program as ``user`` if we are
    root (give it a ``cwd`` it can enter, too)."""
    if os.geteuid() != 0:
        return {}
    return {'user': user, 'group': user, 'extra_groups': []}


def directory(user, prefix):
    """A new directory ``user`` owns, in a temporary directory it can
    reach (not the test's own, which only we can)."""
    path = tempfile.mkdtemp(prefix=prefix, dir=harness.TMP)
    if os.geteuid() == 0:
        os.chmod(path, 0o755)
        shutil.chown(path, user, user)
    return path


def subdirectory(parent, name, user):
    path = os.path.join(parent, name)
    os.mkdir(path, 0o700)
    if os.geteuid() == 0:
        shutil.chown(path, user, user)
    return path


def run(command, user, timeout=120, **kwargs):
    """Run ``command`` as ``user``; its output if it succeeds."""
    result = subprocess.run(command, capture_output=True, text=True,
                            timeout=timeout, check=False, **as_user(user),
                            **kwargs)
    if result.returncode:
        raise AssertionError('%s failed (%d): %s%s' % (
            ' '.join(command), result.returncode, result.stdout,
            result.stderr))
    return result.stdout


def wait_for(condition, timeout, what, process=None, logs=lambda: '',
             errors=(OSError,)):
    """Poll ``condition`` until it returns a true value (returned), or fail
    after ``timeout`` seconds or when ``process`` exits; ``errors`` raised
    by ``condition`` mean not yet (a server not answering yet)."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise AssertionError('%s: the process exited (%s): %s' % (
                what, process.returncode, logs()))
        try:
            value = condition()
        except errors as exc:
            value, last = None, exc
        else:
            last = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('%s: not within %d s (%s): %s' % (
                what, timeout, last, logs()))
        time.sleep(0.2)


def stop(process, timeout=60):
    """SIGTERM, then SIGKILL if it has not exited within ``timeout``."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def tail(path, size=4000):
    try:
        with open(path, errors='replace') as stream:
            return stream.read()[-size:]
    except OSError:
        return ''
