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

"""Query parameters of the list routes, validated in a fixed order; each bad
value is a 400 that says what is wrong. What comes out is the DB API's
query."""

from oslo_utils import strutils

from vbs_native.api import microversion as mv
from vbs_native.db import api as db_api
from vbs_native import exception

MAX_OFFSET = 0x7FFFFFFF
PAGINATION_KEYS = ('limit', 'marker', 'offset')
SORT_KEYS_PARAMS = ('sort', 'sort_key', 'sort_dir')
ALL_TENANTS = 'all_tenants'
WITH_COUNT = 'with_count'
# Filter parameter -> column.
EXACT_FILTERS = {'name': 'display_name', 'status': 'status',
                 'volume_id': 'volume_id'}
FUZZY_FILTERS = {'name~': 'display_name', 'status~': 'status',
                 'volume_id~': 'volume_id'}
_RESERVED = frozenset(PAGINATION_KEYS + SORT_KEYS_PARAMS +
                      (ALL_TENANTS, WITH_COUNT))


def _bad(message):
    return exception.InvalidParameter(reason=message)


def _needs_version(name, version):
    return _bad("The '%s' parameter needs API version %s or later." % (
        name, mv.as_string(version)))


def parse(params, version, max_limit, scope, detail=False):
    """The list of ``params`` (the query, a webob MultiDict) as a
    ``db_api.ListQuery``. ``scope``: the project the request is about
    (``project_id``) and whether the caller may see every project
    (``all_projects``, asked only when the answer matters)."""
    for key in params:
        if not key.isascii():
            raise _bad('Filter keys can only contain ASCII characters.')
    limit = _limit(_first(params, 'limit'), max_limit)
    offset = _offset(_first(params, 'offset'))
    marker = _first(params, 'marker')
    sort = _sort(params, version)
    with_count = _with_count(_first(params, WITH_COUNT), version)

    all_tenants = False
    if ALL_TENANTS in params and scope.all_projects:
        value = _first(params, ALL_TENANTS)
        if not strutils.is_valid_boolstr(value):
            raise _bad("all_tenants must be a boolean, got '%s'." % value)
        all_tenants = strutils.bool_from_string(value)

    strict = version.matches(mv.RESOURCE_FILTERS)
    # ``unknown`` is a dict, kept in order: a list's ``in`` would make
    # thousands of parameters quadratic.
    filters, fuzzy, unknown, project_filter = {}, {}, {}, None
    for key, value in params.items():
        if key in _RESERVED:
            continue
        if key in EXACT_FILTERS:
            filters[EXACT_FILTERS[key]] = value
        elif key in FUZZY_FILTERS:
            if not strict:
                raise _needs_version(key, mv.RESOURCE_FILTERS)
            fuzzy[FUZZY_FILTERS[key]] = value
        elif key == 'project_id' and all_tenants:
            project_filter = value
        else:
            unknown[key] = None
    if unknown and strict:
        raise _bad('Invalid filters %s are found in query options.' %
                   ','.join(unknown))

    return db_api.ListQuery(
        project_id=project_filter if all_tenants else scope.project_id,
        sort=sort, limit=limit, offset=offset, marker=marker,
        # A marker is a row of a project the caller may see.
        marker_project_id=None if not marker or scope.all_projects
        else scope.project_id,
        filters=tuple(sorted(filters.items())),
        fuzzy=tuple(sorted(fuzzy.items())),
        with_count=with_count, detail=detail,
        metadata=detail and version.matches(mv.BACKUP_METADATA))


def _first(params, key, default=None):
    """Pagination and sort parameters: the first occurrence, as Cinder."""
    values = params.getall(key)
    return values[0] if values else default


def _limit(value, max_limit):
    if value is None:
        return max_limit
    try:
        limit = strutils.validate_integer(value, 'limit')
    except ValueError:
        raise _bad('limit param must be an integer')
    if limit < 0:
        raise _bad('limit param must be positive')
    return min(limit, max_limit)


def _offset(value):
    if value is None:
        return 0
    try:
        return strutils.validate_integer(value, 'offset', 0, MAX_OFFSET)
    except ValueError as exc:
        raise _bad(str(exc))


def _with_count(value, version):
    if value is None:
        return False
    if not version.matches(mv.SUPPORT_COUNT_INFO):
        raise _needs_version(WITH_COUNT, mv.SUPPORT_COUNT_INFO)
    if not strutils.is_valid_boolstr(value):
        raise _bad("Value '%s' for 'with_count' is not a boolean." % value)
    return strutils.bool_from_string(value)


def _sort(params, version):
    """((column, descending), ...) as Cinder orders: the keys given, then
    created_at and id in the first key's direction; nothing after id, which
    is unique."""
    if 'sort' in params and ('sort_key' in params or 'sort_dir' in params):
        raise _bad("The 'sort_key' and 'sort_dir' parameters are deprecated "
                   "and cannot be used with the 'sort' parameter.")
    if 'sort' in params:
        pairs = []
        for item in _first(params, 'sort').strip().split(','):
            key, _sep, direction = item.partition(':')
            pairs.append((key.strip(), direction.strip() or 'desc'))
    else:
        pairs = [(_first(params, 'sort_key', 'created_at').strip(),
                  _first(params, 'sort_dir', 'desc').strip())]
    for _key, direction in pairs:
        if direction not in ('asc', 'desc'):
            raise _bad("Invalid input received: Unknown sort direction, "
                       "must be 'desc' or 'asc'.")
    first_desc = pairs[0][1] == 'desc'
    keys = []
    for key, direction in pairs + [('created_at', None), ('id', None)]:
        if key == 'name' and version.matches(mv.BACKUP_SORT_NAME):
            key = 'display_name'
        if key not in db_api.SORT_KEYS:
            raise _bad('Invalid input received: Invalid sort key')
        if any(key == seen for seen, _desc in keys):
            continue
        keys.append((key, first_desc if direction is None
                     else direction == 'desc'))
        if key == 'id':
            break
    return tuple(keys)
