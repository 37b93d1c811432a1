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

"""gophercloud, the Go SDK, as a client of the service: main.go here,
built with Debian's Go and gophercloud (``golang-go`` and
``golang-github-gophercloud-gophercloud-dev``, in bindep.txt, which
.ci/packages installs) in GOPATH mode, offline. Without them the tests
that use it fail: they do not skip."""

import json
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
# Where Debian installs the sources of Go libraries.
GOPATH = '/usr/share/gocode'
PACKAGES = 'golang-go golang-github-gophercloud-gophercloud-dev'
_built = []


def build(directory):
    """The path of the client, built in ``directory`` once per process."""
    if _built:
        return _built[0]
    go = shutil.which('go')
    if go is None or not os.path.isdir(os.path.join(
            GOPATH, 'src', 'github.com', 'gophercloud', 'gophercloud')):
        raise AssertionError('Go and gophercloud are missing: apt-get '
                             'install %s' % PACKAGES)
    binary = os.path.join(directory, 'gophercloud-backups')
    env = dict(os.environ, GOPATH=GOPATH, GO111MODULE='off', GOFLAGS='',
               GOENV='off', GOCACHE=os.path.join(directory, 'go-cache'))
    result = subprocess.run([go, 'build', '-o', binary, '.'], cwd=HERE,
                            env=env, capture_output=True, text=True,
                            timeout=600)
    if result.returncode:
        raise AssertionError('go build failed:\n%s' % result.stderr)
    _built.append(binary)
    return binary


def run(binary, env, *args):
    """What the client read (main.go's result), or AssertionError with
    its error."""
    result = subprocess.run([binary, *args], env=env, capture_output=True,
                            text=True, timeout=120)
    if result.returncode:
        raise AssertionError('gophercloud client failed: %s'
                             % result.stderr)
    return json.loads(result.stdout)
