"""gophercloud, the Go SDK, as a client of the service: main.go here,
built with Debian's Go and gophercloud (``golang-go`` and
``golang-github-gophercloud-gophercloud-dev``, in bindep.txt, which
.ci/packages installs) in GOPATH mode, offline. Without them the tests that use it
fail: they do not skip."""

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
