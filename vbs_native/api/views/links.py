"""The URLs a response points to: self and bookmark links of items, and the
next page of a list. They follow the request: its host (or
``public_endpoint``), its route family, with or without its project."""

import re
import urllib.parse

_VERSION_SEGMENT = re.compile(r'^v([0-9]+|[0-9]+\.[0-9]+)$')
_SAFE_ID = re.compile(r'^[A-Za-z0-9._~-]*$').match


def with_public_endpoint(url, public_endpoint):
    """Cinder's rule: the endpoint's scheme and host replace the URL's, and
    its path is put in front of the URL's path."""
    if not public_endpoint:
        return url
    parts = list(urllib.parse.urlsplit(url))
    endpoint = urllib.parse.urlsplit(public_endpoint)
    parts[0:2] = endpoint[0:2]
    parts[2] = endpoint.path.rstrip('/') + parts[2]
    return urllib.parse.urlunsplit(parts).rstrip('/')


def without_version(url):
    """The URL without its first version segment (``/v3``)."""
    parts = list(urllib.parse.urlsplit(url))
    segments = parts[2].split('/')
    for index, segment in enumerate(segments):
        if _VERSION_SEGMENT.match(segment):
            del segments[index]
            break
    parts[2] = '/'.join(segments)
    return urllib.parse.urlunsplit(parts).rstrip('/')


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

    def item(self, backup_id):
        backup_id = quote_id(backup_id)
        return [{'rel': 'self', 'href': self.collection + '/' + backup_id},
                {'rel': 'bookmark', 'href': self.bookmark + '/' + backup_id}]

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
