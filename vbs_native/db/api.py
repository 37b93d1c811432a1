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

"""The DB API: every query the service makes, as flat functions over one
enginefacade transaction context (db/engine.py). Rows come back as
SQLAlchemy Row objects holding only the columns a view needs."""

import dataclasses

import sqlalchemy as sa

from vbs_native.db import backend as db_backend
from vbs_native.db import engine
from vbs_native.db import faults
from vbs_native.db import keyset
from vbs_native.db import models
from vbs_native.db import reconnect
from vbs_native.db import replica
from vbs_native import exception

_reader = engine.main_context_manager.reader
_backups = models.backups
_metadata = models.backup_metadata

SUMMARY_COLUMNS = ('id', 'display_name')
DETAIL_COLUMNS = (
    'id', 'status', 'size', 'object_count', 'availability_zone', 'container',
    'created_at', 'updated_at', 'display_name', 'display_description',
    'fail_reason', 'volume_id', 'parent_id', 'num_dependent_backups',
    'snapshot_id', 'data_timestamp', 'encryption_key_id', 'project_id',
    'user_id')

# Columns a list may be sorted by.
SORT_KEYS = frozenset((
    'created_at', 'updated_at', 'id', 'status', 'size', 'display_name',
    'volume_id', 'availability_zone', 'container', 'data_timestamp'))


@dataclasses.dataclass(frozen=True)
class ListQuery:
    """A validated list request, in database terms (api/params.py makes
    it from the query)."""

    project_id: str | None  # None: every project
    sort: tuple  # ((column name, descending), ...), ending with id
    limit: int
    offset: int = 0
    marker: str | None = None
    marker_project_id: str | None = None  # None: a marker may be any row
    filters: tuple = ()  # ((column name, value), ...), exact
    fuzzy: tuple = ()  # ((column name, value), ...), substring
    with_count: bool = False
    detail: bool = False
    metadata: bool = False  # each backup's metadata too (detail only)


@dataclasses.dataclass
class Page:
    rows: list
    more: bool
    count: int | None
    metadata: dict | None = None  # {backup id: {key: value}} of its rows


# Built once: SQLAlchemy expressions are immutable, and building them is
# a good part of a small page's cost.
_SUMMARY = tuple(_backups.c[name] for name in SUMMARY_COLUMNS)
_DETAIL = tuple(_backups.c[name] for name in DETAIL_COLUMNS)
_LIVE = _backups.c.deleted == sa.false()
_TIMES = frozenset(column.name for column in _DETAIL
                   if isinstance(column.type, sa.DateTime))
# A metadata row the API shows: a NULL key names nothing (and would be no
# JSON object's key).
_SHOWN_METADATA = (_metadata.c.deleted == sa.false(),
                   _metadata.c.key.is_not(None))


def _columns(detail):
    return list(_DETAIL if detail else _SUMMARY)


def _scope(project_id):
    clauses = [_LIVE]
    if project_id is not None:
        clauses.append(_backups.c.project_id == project_id)
    return clauses


def _where(backend, query, bound=False):
    """The where-clauses of ``query``; with ``bound``, its values are the
    parameters that ``_bound_values`` names."""
    def value(name, actual):
        return sa.bindparam(name) if bound else actual

    clauses = _scope(None if query.project_id is None
                     else value('project_id', query.project_id))
    for index, (name, actual) in enumerate(query.filters):
        clauses.append(_backups.c[name] == value('filter%d' % index, actual))
    for name, actual in query.fuzzy:
        clauses.append(backend.contains(_backups.c[name], actual))
    return clauses


def _bound_values(query):
    values = {'fetch': query.limit + 1, 'offset': query.offset,
              # A segment's own rows, when several make the page.
              'window': query.limit + 1 + query.offset,
              'project_id': query.project_id}
    values.update(('filter%d' % index, value)
                  for index, (_name, value) in enumerate(query.filters))
    return values


def _unstorable(*values):
    """Whether a value holds NUL, which names no row on any database:
    PostgreSQL cannot store it (psycopg2 refuses to send it), and the
    others are answered the same, without a query."""
    return any(value is not None and '\x00' in value for value in values)


def read(context, function, *args):
    """``function(*args)``, whose DB API calls share one connection (a
    backup and its metadata, a marker's row and the page; checking one
    out costs about 0.15 ms; on MariaDB and PostgreSQL each statement is
    its own transaction, db/engine.py); run again on a new connection if
    the pooled one was dropped."""
    with faults.translated():
        return reconnect.run(lambda: _reader.connection.using(context),
                             lambda _connection: function(*args))


@faults.translate
@_reader.connection
def backup_get(context, backup_id, project_id=None, detail=True):
    """A live backup, in ``project_id`` unless that is None."""
    if _unstorable(backup_id, project_id):
        raise exception.BackupNotFound(backup_id=backup_id)
    stmt = sa.select(*_columns(detail)).where(
        _backups.c.id == backup_id, *_scope(project_id))
    row = context.connection.execute(stmt).first()
    if row is None:
        raise exception.BackupNotFound(backup_id=backup_id)
    return row


@faults.translate
@_reader.connection
def backup_metadata(context, backup_ids):
    """{backup id: {key: value}} of live metadata, for every id given (a
    list's page has its own, ``ListQuery.metadata``)."""
    result = {backup_id: {} for backup_id in backup_ids}
    if not backup_ids:
        return result
    connection = context.connection
    backend = db_backend.for_connection(connection)
    # Built once per engine: building and keying it took a third of its
    # time.
    statement = backend.statements(('metadata',), lambda: sa.select(
        _metadata.c.backup_id, _metadata.c.key, _metadata.c.value).where(
        backend.one_of(_metadata.c.backup_id, 'backup_ids'),
        *_SHOWN_METADATA).order_by(_metadata.c.id))
    for backup_id, key, value in connection.execute(
            statement, {'backup_ids': list(backup_ids)}):
        result[backup_id][key] = value
    return result


@faults.translate
@_reader.connection
def backup_list(context, query):
    """One page of backups and, if asked, the count of all that match.

    Keyset pagination (db/keyset.py): the rows strictly after the marker in
    sort order, the marker being only a position (it may be deleted, or
    outside the filters). Page and count come from one statement, so one
    snapshot (an empty page's from one statement after it).
    """
    if query.marker is not None and _unstorable(query.marker,
                                                query.marker_project_id):
        raise exception.BackupNotFound(backup_id=query.marker)
    if _unstorable(query.project_id,
                   *[value for _name, value in query.filters + query.fuzzy]):
        return Page([], False, 0 if query.with_count else None)
    connection = context.connection
    backend = db_backend.for_connection(connection)
    hint = backend.table_hint(connection, query.project_id, query.sort,
                              [name for name, _value in query.filters])
    if not query.fuzzy:
        (page, count), params = _cached(connection, backend, query, hint)
    else:
        (page, count), params = _statements(connection, backend, query,
                                            hint), {}

    if query.limit == 0:
        return Page([], False, connection.scalar(count, params)
                    if query.with_count else None)
    rows = connection.execute(page, params).all()
    total = None
    if query.with_count:
        if rows:
            total = rows[0]._count
        else:
            rows, total = _count_of_empty_page(connection, page, count,
                                               params)
    metadata = None
    if query.metadata:
        rows, metadata = _grouped(rows)
    return Page(rows[:query.limit], len(rows) > query.limit, total,
                metadata)


def _grouped(rows):
    """The rows of a page joined with its metadata (``_with_metadata``)
    as one row per backup, in order, and {backup id: {key: value}}."""
    backups, metadata = [], {}
    for row in rows:
        values = metadata.get(row[0])
        if values is None:
            values = metadata[row[0]] = {}
            backups.append(row)
        if row[-2] is not None:
            values[row[-2]] = row[-1]
    return backups, metadata


def _count_of_empty_page(connection, page, count, params):
    """(rows, count) for a page that came back empty: its count read by a
    statement that finds the page empty too, so that both hold in one
    snapshot (each read is a statement on its own); if rows came in
    between, the page is read again, with its count."""
    total, empty = connection.execute(sa.select(
        count.scalar_subquery(),
        ~sa.exists(page.subquery().select())), params).one()
    if empty:
        return [], total
    rows = connection.execute(page, params).all()
    return rows, rows[0]._count if rows else total


def _cached(connection, backend, query, hint):
    """The statements of a page without fuzzy filters, built once per shape
    and engine with the values as parameters: building and keying a
    statement costs more than running it for a small page. A marker's sort
    values are parameters too; which of them are NULL is part of the shape
    (it decides the segments). A fuzzy filter's expression depends on its
    value: those are built for each request."""
    values = (None if query.marker is None
              else _marker_values(connection, query))
    nulls = None if values is None else tuple(v is None for v in values)
    shape = (query.project_id is None,
             tuple(name for name, _value in query.filters), query.sort,
             query.with_count, query.detail, query.metadata,
             bool(query.offset), hint, nulls)

    def build():
        keys = _keys(backend, query)
        marker = None if values is None else [
            None if null else sa.bindparam('marker%d' % index,
                                           type_=expr.type)
            for index, (null, (expr, _d, _n)) in enumerate(zip(nulls, keys))]
        segments = _segments(backend, keys, marker)
        return _build(
            backend, query, _where(backend, query, bound=True), segments,
            sa.bindparam('fetch', type_=sa.Integer),
            sa.bindparam('offset', type_=sa.Integer)
            if query.offset else 0, hint, keys)

    params = _bound_values(query)
    if values is not None:
        params.update(('marker%d' % index, value)
                      for index, value in enumerate(values)
                      if value is not None)
    return backend.statements(shape, build), params


def _segments(backend, keys, marker):
    """The segments of a page after ``marker`` (its sort values, or
    parameters in their place), or of a first page (None)."""
    if marker is None:
        return [keyset.EVERY_ROW]
    segments = keyset.after(backend, keys, marker)
    if len(segments) > 1 and not backend.keyset_index:
        segments = [keyset.one_scan(segments)]
    return segments


def _statements(connection, backend, query, hint):
    keys = _keys(backend, query)
    segments = _segments(backend, keys, None if query.marker is None
                         else _marker_values(connection, query))
    return _build(backend, query, _where(backend, query), segments,
                  query.limit + 1, query.offset, hint, keys)


def _keys(backend, query, table=_backups):
    return [(backend.sortable(table.c[name]), desc, table.c[name].nullable)
            for name, desc in query.sort]


def _build(backend, query, where, segments, fetch, offset, hint,
           keys=None):
    """(the page's statement, the count's statement): the page fetches one
    row more than the limit, to tell whether another page follows.
    ``fetch`` and ``offset`` are numbers, or parameters of a first page;
    ``hint`` is the backend's table hint for the page, or None."""
    keys = keys or _keys(backend, query)

    def hinted(select):
        return select.with_hint(_backups, hint) if hint else select

    count = (sa.select(sa.func.count()).select_from(_backups)
             .where(*where))
    columns = _columns(query.detail)
    if query.with_count:
        columns.append(count.scalar_subquery().label('_count'))
    skipping = not (isinstance(offset, int) and not offset)
    if len(segments) == 1 and skipping:
        # The rows an offset skips are read from the index alone; only the
        # page's own rows are then read from the table (MariaDB looks each
        # skipped row up by primary key otherwise).
        order = segments[0].order(backend, keys)
        ids = hinted(sa.select(_backups.c.id)
                     .where(*where, *segments[0].clauses)
                     .order_by(*order).limit(fetch).offset(offset)
                     ).subquery('page_ids')
        page = (sa.select(*columns)
                .join_from(_backups, ids, _backups.c.id == ids.c.id)
                .order_by(*order))
    elif len(segments) == 1:
        page = hinted(sa.select(*columns)
                      .where(*where, *segments[0].clauses)
                      .order_by(*segments[0].order(backend, keys))
                      .limit(fetch))
    else:
        page = keyset.union(backend, columns, where, keys, segments, fetch,
                            offset, hinted)
    if query.metadata:
        page = _with_metadata(backend, query, page)
    return page, count


def _with_metadata(backend, query, page):
    """The page's rows, each followed by its backup's metadata key and
    value (NULL if it has none), in page order, then the metadata's: one
    statement, where a second one keyed by the page's ids cost as much
    again on MariaDB (planning a range per id). A backup's row repeats
    once per key; the page's own limit is inside. Times as the database
    prints them, where it does (``Backend.shown_time``)."""
    rows = page.subquery('page')
    order = keyset.EVERY_ROW.order(backend, _keys(backend, query, rows))
    columns = [backend.shown_time(column).label(column.name)
               if column.name in _TIMES else column for column in rows.c]
    return (sa.select(*columns, _metadata.c.key, _metadata.c.value)
            .select_from(rows.outerjoin(_metadata, sa.and_(
                _metadata.c.backup_id == rows.c.id, *_SHOWN_METADATA)))
            .order_by(*order, _metadata.c.id))


def _marker_values(connection, query):
    names = [name for name, _desc in query.sort]
    stmt = sa.select(*[_backups.c[name] for name in names]).where(
        _backups.c.id == query.marker)
    if query.marker_project_id is not None:
        stmt = stmt.where(_backups.c.project_id == query.marker_project_id)
    row = connection.execute(stmt).first()
    if row is None:
        row = replica.from_primary(engine.main_context_manager, stmt)
    if row is None:
        raise exception.BackupNotFound(backup_id=query.marker)
    return list(row)
