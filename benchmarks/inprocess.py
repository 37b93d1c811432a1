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

"""The service's application in this process, and GET requests to it with
no server or socket: what profile_app.py and floor.py time."""

import gc
import io
import sys

from vbs_native import wsgi


def load_app(url):
    """The paste application on the database at ``url``, noauth."""
    conf = wsgi.load_config(['--config-file', '/dev/null'])
    conf.set_override('connection', url, group='database')
    conf.set_override('auth_strategy', 'noauth')
    # Served to this process alone, as on a loopback address.
    app = wsgi.init_application(conf, listen='127.0.0.1')
    # As vbs-native-api: what start-up built is not collected.
    gc.freeze()
    return app


def getter(app, path, project, headers=()):
    """A call that sends ``GET path`` as a caller of ``project`` with the
    ``(name, value)`` headers, and returns (status, body)."""
    path, _sep, query = path.partition('?')
    environ = {
        'REQUEST_METHOD': 'GET', 'PATH_INFO': path, 'QUERY_STRING': query,
        'SCRIPT_NAME': '', 'SERVER_NAME': '127.0.0.1', 'SERVER_PORT': '8776',
        'HTTP_HOST': '127.0.0.1:8776', 'SERVER_PROTOCOL': 'HTTP/1.1',
        'wsgi.url_scheme': 'http', 'wsgi.input': io.BytesIO(),
        'wsgi.errors': sys.stderr, 'wsgi.multithread': False,
        'wsgi.multiprocess': True, 'wsgi.run_once': False,
        'HTTP_X_AUTH_TOKEN': 'bench:%s' % project,
    }
    for name, value in headers:
        environ['HTTP_' + name.strip().upper().replace('-', '_')] = value
    status = [None]

    def start_response(value, _headers, exc_info=None):
        status[0] = value

    def get():
        # The pipeline rewrites its environ (SCRIPT_NAME, PATH_INFO): a copy
        # per request.
        result = app(dict(environ), start_response)
        try:
            body = b''.join(result)
        finally:
            # As a server does once the body is sent (PEP 3333).
            close = getattr(result, 'close', None)
            if close is not None:
                close()
        return status[0], body
    return get
