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

"""The ceiling: a bare WSGI callable that answers each benchmark URL with
the bytes vbs-native answered it with, from memory, doing no work. Served
by the same gunicorn sync worker as the service, it shows what the server
itself allows.

``BENCH_CEILING_FILE`` names a JSON object {"<path>?<query>": {"status",
"content_type", "body"}}; the driver writes it.
"""

import gc
import json
import os

with open(os.environ['BENCH_CEILING_FILE'], encoding='utf-8') as _handle:
    _PAGES = {
        key: ('%d OK' % page['status'] if page['status'] == 200
              else '%d Error' % page['status'],
              [('Content-Type', page['content_type']),
               ('Content-Length', str(len(page['body'].encode('utf-8'))))],
              page['body'].encode('utf-8'))
        for key, page in json.load(_handle).items()}
_MISSING = ('404 Not Found', [('Content-Length', '0')], b'')
gc.freeze()


def application(environ, start_response):
    key = environ.get('PATH_INFO', '')
    query = environ.get('QUERY_STRING')
    if query:
        key += '?' + query
    status, headers, body = _PAGES.get(key, _MISSING)
    start_response(status, headers)
    return [body]
