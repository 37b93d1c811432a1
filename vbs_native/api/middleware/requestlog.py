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
project); it never holds a header, so never a token.
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
        if response.get('bytes') is None and isinstance(body, list):
            response['bytes'] = sum(len(chunk) for chunk in body)
        LOG.info(FORMAT, {
            'REMOTE_ADDR': environ.get('REMOTE_ADDR', '-'),
            'REQUEST_METHOD': environ.get('REQUEST_METHOD', '-'),
            'REQUEST_URI': _uri(environ),
            'status': response.get('status', '-'),
            'bytes': response.get('bytes') or '-',
            'microversion': _microversion(environ),
            'time': time.monotonic() - started,
        })
        return body


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
