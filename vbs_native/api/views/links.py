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

"""The URLs a response points to: self and bookmark links of items, the
next page of a list, and the Location of a redirect. They follow the
request: its host (or ``public_endpoint``), its route family, with or
without its project. Every URL is percent-encoded ASCII."""

import re
import typing
import urllib.parse

from vbs_native import exception

_VERSION_SEGMENT = re.compile(r'^v([0-9]+|[0-9]+\.[0-9]+)$')
# What an id may hold to go into a URL as it is (RFC 3986 unreserved).
_UNRESERVED = r'[A-Za-z0-9._~-]*'
# fullmatch: '$' would also match before a final newline.
_SAFE_ID = re.compile(_UNRESERVED).fullmatch
# A plain host[:port] (a name, an IPv4 or a bracketed IPv6 address): the
# Host header, or a forwarded host, is the client's to choose, and
# anything more (``/``, ``?``, ``#``, ``@``, spaces) would shape the path,
# query or fragment of every link.
_HOST = re.compile(r'^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]*)?\Z')
_SCHEMES = ('http', 'https')
# What webob leaves unquoted in a path; a query keeps its escapes too.
_PATH_SAFE = "/~!$&'()*+,;=:@"
_QUERY_SAFE = _PATH_SAFE + '?%'


def quote_environ(value, safe=_PATH_SAFE):
    """A WSGI string (bytes as latin-1), percent-encoded as ASCII."""
    return urllib.parse.quote(value.encode('latin-1'), safe=safe)


class Base(typing.NamedTuple):
    """Where the application a request reached is: ``origin`` (scheme,
    host and public_endpoint's path) and ``path`` (its SCRIPT_NAME,
    percent-encoded)."""

    origin: str
    path: str

    @property
    def url(self):
        return self.origin + self.path

    @property
    def root(self):
        """The URL without its version segment: the service's root."""
        return self.origin + without_version(self.path)


def base(req, public_endpoint):
    """The Base of a request. With ``public_endpoint`` (Cinder's rule: its
    scheme and host, its path in front of the application's path) the
    request's host is not read; without, it must be a plain host[:port]
    and the scheme http or https, else 400."""
    path = quote_environ(req.environ.get('SCRIPT_NAME', ''))
    if public_endpoint:
        return Base(_endpoint_origin(public_endpoint), path)
    if req.scheme not in _SCHEMES or not _HOST.match(req.host):
        raise exception.InvalidHost()
    return Base(req.host_url, path)


def _endpoint_origin(public_endpoint):
    endpoint = urllib.parse.urlsplit(public_endpoint)
    return '%s://%s%s' % (endpoint.scheme, endpoint.netloc,
                          endpoint.path.rstrip('/'))


def request_url(req, public_endpoint):
    """The URL of the request's path (without its query)."""
    return base(req, public_endpoint).url + quote_environ(
        req.environ.get('PATH_INFO', ''))


def query(req):
    """``?`` and the request's query, percent-encoded; '' without one."""
    value = req.environ.get('QUERY_STRING')
    return '?' + quote_environ(value, _QUERY_SAFE) if value else ''


def without_version(path):
    """The path without its first version segment (``/v3``)."""
    segments = path.split('/')
    for index, segment in enumerate(segments):
        if _VERSION_SEGMENT.match(segment):
            del segments[index]
            break
    return '/'.join(segments).rstrip('/')


def quote_id(value):
    return value if _SAFE_ID(value) else urllib.parse.quote(value, safe='')


class Links:

    def __init__(self, base, family, project_id=None):
        path = ('/' + quote_id(project_id) if project_id else ''
                ) + family + '/backups'
        self.collection = base.url.rstrip('/') + path
        self.bookmark = base.root + path
        self._item = self.collection + '/'
        self._item_bookmark = self.bookmark + '/'

    def item_prefixes(self, backup_ids):
        """(self, bookmark): the prefixes each of ``backup_ids`` is
        appended to as it is; None when one must be quoted. One check for
        a page instead of one per item."""
        if _SAFE_ID(''.join(backup_ids)) is None:
            return None
        return self._item, self._item_bookmark

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
