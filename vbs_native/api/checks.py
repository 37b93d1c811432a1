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

"""Checks every route makes of a request: the path must be UTF-8 (before
it is dispatched), a GET carries no body (in each handler, after its
policy check: authorization comes before validation), and the method of a
path that only reads."""

from vbs_native.api import json_body
from vbs_native import exception


def _has_body(environ):
    if 'chunked' in environ.get('HTTP_TRANSFER_ENCODING', '').lower():
        return True
    try:
        return int(environ.get('CONTENT_LENGTH') or 0) > 0
    except ValueError:
        return True


def check_body(environ):
    """Every route is a read, which takes no body: a body of another type
    than JSON is 415 (as Cinder), any other 400, rather than silently
    ignored. One over ``max_request_body_size`` is 413 before it gets
    here."""
    if not _has_body(environ):
        return
    content_type = environ.get('CONTENT_TYPE')
    if content_type and content_type.split(';')[0].strip() not in (
            json_body.JSON, json_body.VENDOR_JSON):
        raise exception.UnsupportedMediaType()
    raise exception.BodyNotAllowed(method=environ.get('REQUEST_METHOD'))


def decode_path(value):
    """A WSGI path string (bytes as latin-1) as the UTF-8 text it is; a
    path that is not UTF-8 raises UnicodeDecodeError, which the fault
    middleware answers with 400."""
    return value.encode('latin-1').decode('utf-8')


def check_read(environ):
    """A path that only reads: a method other than GET and HEAD is 405."""
    method = environ.get('REQUEST_METHOD')
    if method not in ('GET', 'HEAD'):
        raise exception.MethodNotAllowed('GET, HEAD', method=method)
