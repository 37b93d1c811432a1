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

"""The servers under load (tests/harness/processes.py): vbs-native-api,
real cinder-api (stock or with the vbs-native filter) and the ceiling, each
gunicorn on a free loopback port; and one request to them."""

import contextlib
import http.client
import json
import os
import sys

import cinder_venv
from tests.harness import processes
from tests.harness import service

HERE = os.path.dirname(os.path.abspath(__file__))


def fetch(port, path, headers, project):
    """(status, content type, body) of GET ``path`` as a member of
    ``project``; ``headers`` are 'Name: value' strings."""
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    all_headers = {'X-Auth-Token': 'bench:%s' % project}
    for header in headers:
        key, _sep, value = header.partition(':')
        all_headers[key.strip()] = value.strip()
    connection.request('GET', path, headers=all_headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader('Content-Type'), body


def rss_kb(server):
    """The largest worker's resident set, in KiB."""
    return max(server.rss().values(), default=None)


def vbs(work, name, url, workers):
    return service.Api(os.path.join(work, 'servers', name), url, workers,
                       name=name)


def least(work, name, url):
    """vbs-native-api with least.py's summary handler in its router (see
    there): the service's paste file with ``[app:apiv3]`` replaced."""
    directory = os.path.join(work, 'servers', name)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(os.path.dirname(HERE), 'etc', 'vbs_native',
                           'api-paste.ini'), encoding='utf-8') as source:
        paste = source.read()
    service_app = 'paste.app_factory = vbs_native.api.router:app_factory'
    if paste.count(service_app) != 1:
        raise RuntimeError('api-paste.ini: no single %r' % service_app)
    path = os.path.join(directory, 'api-paste.ini')
    with open(path, 'w', encoding='utf-8') as target:
        target.write(paste.replace(service_app,
                                   'paste.app_factory = least:app_factory'))
    server = service.Api(directory, url, 1,
                         options={'api_paste_config': path}, name=name)
    # least.py is imported by the server's paste file.
    server.env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [HERE] + [entry for entry in os.environ.get(
            'PYTHONPATH', '').split(os.pathsep) if entry]))
    return server


def _gunicorn(work, name, python, module, env):
    port = processes.free_port()
    return processes.Server(
        name, [python, '-m', 'gunicorn', '--no-control-socket', '--workers',
               '1', '--worker-class', 'sync', '--bind',
               '127.0.0.1:%d' % port, '--log-level', 'warning', module],
        os.path.join(work, 'logs', name + '.log'), port,
        env=dict(os.environ, **env), cwd=HERE)


def cinder(work, name, url, venv, with_filter=False):
    """cinder-api, stock or with the vbs-native paste filters (this
    checkout's) as the install guide adds them."""
    conf = cinder_venv.conf(work, name, url, venv, with_filter)
    env = {'BENCH_CINDER_CONF': conf}
    if with_filter:
        env.update(cinder_venv.filter_env())
    return _gunicorn(work, name, os.path.join(venv, 'bin', 'python'),
                     'cinder_wsgi:application', env)


def ceiling(work, name, pages):
    """The same answers as ``pages`` ({path: {status, content_type,
    body}}), served from memory."""
    path = os.path.join(work, name + '.pages.json')
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(pages, handle)
    return _gunicorn(work, name, sys.executable, 'ceiling:application',
                     {'BENCH_CEILING_FILE': path})


@contextlib.contextmanager
def running(*servers):
    """The servers started, answering, and stopped at the end."""
    with contextlib.ExitStack() as stack:
        for server in servers:
            stack.enter_context(server)
        for server in servers:
            server.wait()
        yield servers
