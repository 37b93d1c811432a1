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

"""The one place where exceptions become responses: JSON faults shaped as
Cinder's (``{"<name>": {"code": N, "message": "..."}}``)."""

from oslo_log import log as logging
import webob.exc

from vbs_native.api import json_body
from vbs_native.api import microversion
from vbs_native import exception

LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    406: 'notAcceptable',
    409: 'conflictingRequest',
    413: 'overLimit',
    # Request line and header fields over the HTTP server's limits: overLimit
    # as 413 and 429 are in Cinder; Cinder itself would say computeFault.
    414: 'overLimit',
    415: 'badMediaType',
    431: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}
GENERIC_MESSAGE = ('The server has either erred or is incapable of '
                   'performing the requested operation.')


def fault_response(environ, code, message, headers=None):
    name = FAULT_NAMES.get(code, 'computeFault')
    response = json_body.response(
        environ, {name: {'code': code, 'message': message}}, status=code)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    version = environ.get(microversion.ENVIRON_KEY)
    if version is not None:
        response.headerlist.extend(microversion.response_headers(version))
    return response


def from_exception(environ, exc):
    """The response for any exception; only safe messages are shown."""
    if isinstance(exc, exception.VbsNativeException):
        code = exc.code
        message = exc.message if exc.safe else None
        headers = exc.headers
    elif isinstance(exc, webob.exc.HTTPException):
        code = exc.code
        message = exc.explanation
        headers = {key: value for key, value in exc.headers.items()
                   if key.lower() in ('allow', 'retry-after',
                                      'www-authenticate')}
    elif isinstance(exc, UnicodeDecodeError):
        code = 400
        message = ('Error decoding your request. Either the URL or the '
                   'request body contained characters that could not be '
                   'decoded.')
        headers = None
    else:
        code, message, headers = 500, None, None
    if code >= 500 and message is None:
        LOG.error('Request %s failed', environ.get('openstack.request_id'),
                  exc_info=exc)
    if message is None:
        message = GENERIC_MESSAGE if code >= 500 else (
            webob.exc.status_map[code].explanation)
    return fault_response(environ, code, message, headers)


class FaultWrapper:
    """Catch whatever the application below raises and answer a fault."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            return self.application(environ, start_response)
        except Exception as exc:
            return from_exception(environ, exc)(environ, start_response)


def filter_factory(global_conf, **local_conf):
    return FaultWrapper
