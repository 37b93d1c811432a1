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

"""The access log: one INFO line per request, through oslo.log.

Modelled on Placement's ``requestlog``. The line is logged under the
request's context (oslo.log's context format adds its request id, user and
project); it never holds a header, so never a token. It is written when the
server closes the body (PEP 3333: after sending it), so the caller does
not wait for the log.
"""

import time

from oslo_log import log as logging

from vbs_native.api import microversion

LOG = logging.getLogger(__name__)

FORMAT = ('%(REMOTE_ADDR)s "%(REQUEST_METHOD)s %(REQUEST_URI)s" '
          'status: %(status)s len: %(bytes)s microversion: %(microversion)s '
          'time: %(time).4f')


class RequestLog:

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not LOG.isEnabledFor(logging.INFO):
            return self.application(environ, start_response)
        started = time.monotonic()
        response = {}

        def record(status, headers, exc_info=None):
            response['status'] = status.split(None, 1)[0]
            response['bytes'] = next(
                (value for name, value in headers
                 if name.lower() == 'content-length'), None)
            return start_response(status, headers, exc_info)

        body = self.application(environ, record)
        return _LoggedBody(body, environ, response, started)


class _LoggedBody:
    """A response body that logs the request's line when the server closes
    it, which it does once the body is sent (or the client is gone)."""

    def __init__(self, body, environ, response, started):
        self._body = body
        self._environ = environ
        self._response = response
        self._started = started

    def __iter__(self):
        return iter(self._body)

    def close(self):
        try:
            close = getattr(self._body, 'close', None)
            if close is not None:
                close()
        finally:
            self._log()

    def _log(self):
        environ, response, body = self._environ, self._response, self._body
        size = response.get('bytes')
        if size is None and isinstance(body, list):
            size = sum(len(chunk) for chunk in body)
        LOG.info(FORMAT, {
            'REMOTE_ADDR': environ.get('REMOTE_ADDR', '-'),
            'REQUEST_METHOD': environ.get('REQUEST_METHOD', '-'),
            'REQUEST_URI': _uri(environ),
            'status': response.get('status', '-'),
            'bytes': size or '-',
            'microversion': _microversion(environ),
            'time': time.monotonic() - self._started,
        })


def _uri(environ):
    uri = environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', '')
    if environ.get('QUERY_STRING'):
        uri += '?' + environ['QUERY_STRING']
    return uri


def _microversion(environ):
    version = environ.get(microversion.ENVIRON_KEY)
    return '-' if version is None else '%d.%d' % tuple(version)[:2]


def filter_factory(global_conf, **local_conf):
    return RequestLog
