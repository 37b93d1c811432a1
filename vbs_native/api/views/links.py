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

"""The URLs a response points to: self and bookmark links of items, and the
next page of a list. They follow the request: its host (or
``public_endpoint``), its route family, with or without its project."""

import re
import urllib.parse

_VERSION_SEGMENT = re.compile(r'^v([0-9]+|[0-9]+\.[0-9]+)$')
_SAFE_ID = re.compile(r'^[A-Za-z0-9._~-]*$').match
_ORIGIN = re.compile(r'^([^:/?#]+://[^/?#]*)(.*)$', re.DOTALL)


def _split(url):
    """(``scheme://host``, path) of an application URL. The host comes from
    the request's Host header, which may be anything (``[``): never parse
    it, only carry it."""
    match = _ORIGIN.match(url)
    return (match.group(1), match.group(2)) if match else ('', url)


def with_public_endpoint(url, public_endpoint):
    """Cinder's rule: the endpoint's scheme and host replace the URL's, and
    its path is put in front of the URL's path."""
    if not public_endpoint:
        return url
    endpoint = urllib.parse.urlsplit(public_endpoint)
    return '%s://%s%s%s' % (endpoint.scheme, endpoint.netloc,
                            endpoint.path.rstrip('/'),
                            _split(url)[1].rstrip('/'))


def without_version(url):
    """The URL without its first version segment (``/v3``)."""
    origin, path = _split(url)
    segments = path.split('/')
    for index, segment in enumerate(segments):
        if _VERSION_SEGMENT.match(segment):
            del segments[index]
            break
    return (origin + '/'.join(segments)).rstrip('/')


def quote_id(value):
    return value if _SAFE_ID(value) else urllib.parse.quote(value, safe='')


class Links:

    def __init__(self, application_url, public_endpoint, family,
                 project_id=None):
        path = ('/' + project_id if project_id else '') + family + '/backups'
        self.collection = with_public_endpoint(
            application_url, public_endpoint) + path
        self.bookmark = with_public_endpoint(
            without_version(application_url), public_endpoint) + path
        self._item = self.collection + '/'
        self._item_bookmark = self.bookmark + '/'

    def item(self, backup_id):
        # Once per item of a page of up to a thousand: kept to one call.
        if not _SAFE_ID(backup_id):
            backup_id = urllib.parse.quote(backup_id, safe='')
        return [{'rel': 'self', 'href': self._item + backup_id},
                {'rel': 'bookmark', 'href': self._item_bookmark + backup_id}]

    def next(self, query_items, detail, marker):
        """Every original parameter but offset and marker, then the marker:
        following next links from any first page visits each row once."""
        params = [(key, value) for key, value in query_items
                  if key not in ('offset', 'marker')]
        params.append(('marker', marker))
        return [{'rel': 'next',
                 'href': '%s%s?%s' % (self.collection,
                                      '/detail' if detail else '',
                                      urllib.parse.urlencode(params))}]
