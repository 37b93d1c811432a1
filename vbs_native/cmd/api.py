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

"""vbs-native-api: the service on gunicorn, a multi-process WSGI server."""

import contextlib
import gc
import os
import sys
import time
import uuid

from gunicorn.app import base
from gunicorn import glogging
from gunicorn.http import wsgi as gunicorn_wsgi
from gunicorn import util as gunicorn_util
from gunicorn.workers import sync
from oslo_log import log as logging

from vbs_native.api import faults
from vbs_native.api import json_body
from vbs_native import exception
from vbs_native import wsgi

LOG = logging.getLogger(__name__)


class Server(base.BaseApplication):

    def __init__(self, conf):
        self.conf = conf
        super().__init__(prog='vbs-native-api')

    def load_config(self):
        conf = self.conf
        host = conf.osapi_volume_listen
        if ':' in host:
            host = '[%s]' % host
        settings = {
            'bind': '%s:%d' % (host, conf.osapi_volume_listen_port),
            'workers': conf.osapi_volume_workers or _cpu_count(),
            'worker_class': SyncWorker,
            'preload_app': True,
            # Each gunicorn of a user shares one control socket path by
            # default; the service needs none.
            'control_socket_disable': True,
            'accesslog': None,
            'logger_class': OsloLogger,
            'pre_request': _pre_request,
            'proc_name': 'vbs-native-api',
            # gunicorn kills a worker silent this long. A request waits for
            # the database at most a few database_timeout steps (pool,
            # connection, query): never kill one that is only waiting.
            'timeout': max(30, 3 * conf.vbs_native.database_timeout + 5),
        }
        SyncWorker.client_timeout = conf.client_socket_timeout
        for key, value in settings.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self):
        application = wsgi.init_application(
            self.conf, listen=self.conf.osapi_volume_listen)
        # Objects built at start-up live as long as the process; keep the
        # garbage collector from walking them on every collection.
        gc.freeze()
        return application


class OsloLogger(glogging.Logger):
    """gunicorn's own messages (workers started, stopped, killed) through
    the handlers oslo.log set up, like every other line of the service.
    The access log is the paste pipeline's ``requestlog``."""

    def setup(self, cfg):
        self.cfg = cfg
        self._access_log_enabled = False
        self.loglevel = logging.getLogger().logger.getEffectiveLevel()
        for log in (self.error_log, self.access_log):
            for handler in list(log.handlers):
                log.removeHandler(handler)
            log.propagate = True
            log.setLevel(logging.NOTSET)

    def access(self, resp, req, environ, request_time):
        pass

    def reopen_files(self):
        pass  # oslo.log owns the files (WatchedFileHandler reopens them)

    def close_on_exec(self):
        pass


def _pre_request(worker, req):
    """Nothing: gunicorn's default logs each request line at DEBUG before
    the request has its id, so under the previous request's ids; the
    access log (requestlog) says it, under the right ones."""


# What gunicorn itself refuses before the application sees the request (a
# request line or headers over its limits, a header it cannot parse), as a
# JSON fault like every other error; never an HTML page, never gunicorn's
# text, which names its configured limits.
_PROTOCOL_MESSAGES = {
    400: 'The request could not be parsed as HTTP.',
    403: 'The request was refused.',
    414: 'The request line is too long.',
    417: 'The expectation given cannot be met.',
    431: 'The request header fields are too large.',
    501: 'The transfer coding is not supported.',
}


def protocol_error(status, reason):
    """The bytes of a JSON fault response for an error gunicorn answers."""
    message = _PROTOCOL_MESSAGES.get(status, faults.GENERIC_MESSAGE)
    name = faults.FAULT_NAMES.get(status, 'computeFault')
    body = json_body.dumps({name: {'code': status, 'message': message}})
    request_id = 'req-%s' % uuid.uuid4()
    head = ('HTTP/1.1 %d %s\r\n'
            'Connection: close\r\n'
            'Content-Type: %s\r\n'
            'Content-Length: %d\r\n'
            'x-openstack-request-id: %s\r\n'
            '\r\n') % (status, reason, json_body.JSON, len(body), request_id)
    return head.encode('latin-1') + body


def _write_json_error(sock, status_int, reason, mesg):
    gunicorn_util.write_nonblock(sock, protocol_error(status_int, reason))


class _Response(gunicorn_wsgi.Response):
    """gunicorn's response without its ``Server`` header, which tells
    anyone who asks what serves the API."""

    def default_headers(self):
        return [line for line in super().default_headers()
                if not line.startswith('Server:')]


@contextlib.contextmanager
def _swapped(module, name, value):
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


class SyncWorker(sync.SyncWorker):
    """gunicorn's sync worker, answering its own errors as JSON faults and
    its responses without a ``Server`` header.

    gunicorn writes errors with ``gunicorn.util.write_error`` and responses
    with ``gunicorn.http.wsgi.Response``; a sync worker serves one request
    at a time, so swapping them for the length of one ``handle_error`` or
    ``handle_request`` changes nothing else.
    """

    def handle_error(self, req, client, addr, exc):
        with _swapped(gunicorn_util, 'write_error', _write_json_error):
            super().handle_error(req, client, addr, exc)

    # A sync worker serves one connection at a time: a client that sends
    # its request head slowly (nothing, or a byte now and then) holds a
    # worker. The whole head must arrive within this many seconds of the
    # connection's accept; then each later read or write waits as long.
    # 0: no limit.
    client_timeout = 0

    def handle(self, listener, client, addr):
        if self.client_timeout:
            client = _HeadDeadline(client, self.client_timeout, addr,
                                   self.log)
        super().handle(listener, client, addr)

    def handle_request(self, listener, req, client, addr):
        if isinstance(client, _HeadDeadline):
            client.head_read()
        with _swapped(gunicorn_wsgi, 'Response', _Response):
            return super().handle_request(listener, req, client, addr)


class _HeadDeadline:
    """A client socket whose reads end at a deadline until the request
    head is read: each read waits at most the time left, and past the
    deadline the connection reads as closed (gunicorn then closes it
    quietly). Everything else is the socket's."""

    def __init__(self, sock, seconds, addr, log):
        self._sock = sock
        self._seconds = seconds
        self._deadline = time.monotonic() + seconds
        self._addr = addr or ('',)
        self._log = log

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def recv(self, size, *flags):
        if self._deadline is None:
            return self._sock.recv(size, *flags)
        left = self._deadline - time.monotonic()
        if left > 0:
            # A shorter wait set by gunicorn (closing, it drains for 2 s)
            # stands.
            current = self._sock.gettimeout()
            self._sock.settimeout(left if current is None
                                  else min(left, current))
            try:
                return self._sock.recv(size, *flags)
            except TimeoutError:
                pass
        if self._addr is not None:  # said once
            self._log.info('Closed a connection from %s that did not send '
                           'its request head in %d s', self._addr[0],
                           self._seconds)
            self._addr = None
        return b''

    def head_read(self):
        self._deadline = None
        self._sock.settimeout(self._seconds)


def _cpu_count():
    return len(os.sched_getaffinity(0)) or 1


def main(argv=None):
    conf = wsgi.load_config(sys.argv[1:] if argv is None else argv)
    try:
        # Before gunicorn binds the address.
        wsgi.check_start(conf, conf.osapi_volume_listen)
    except exception.RefusedToStart as exc:
        sys.exit('vbs-native-api: %s' % exc)
    Server(conf).run()
