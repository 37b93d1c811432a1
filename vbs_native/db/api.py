"""The DB API: every query the service makes, as flat functions over one
enginefacade transaction context. Rows come back as SQLAlchemy Row objects
holding only the columns a view needs."""

import contextlib
import dataclasses
import functools
import sys
import typing

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from vbs_native.db import backend as db_backend
from vbs_native.db import faults
from vbs_native.db import models
from vbs_native import exception

main_context_manager = enginefacade.transaction_context()

_backups = models.backups
_metadata = models.backup_metadata

SUMMARY_COLUMNS = ('id', 'display_name')
DETAIL_COLUMNS = (
    'id', 'status', 'size', 'object_count', 'availability_zone', 'container',
    'created_at', 'updated_at', 'display_name', 'display_description',
    'fail_reason', 'volume_id', 'parent_id', 'num_dependent_backups',
    'snapshot_id', 'data_timestamp', 'encryption_key_id', 'project_id',
    'user_id')

# Columns a list may be sorted by and filtered on.
SORT_KEYS = frozenset((
    'created_at', 'updated_at', 'id', 'status', 'size', 'display_name',
    'volume_id', 'availability_zone', 'container', 'data_timestamp'))
FILTER_KEYS = frozenset(('display_name', 'status', 'volume_id'))

_configured = False


def configure(conf):
    """Point the transaction context at ``[database]``; once per process."""
    global _configured
    if _configured:
        return
    options = faults.engine_options(conf, conf.database.items())
    # Every API read may go to a replica when one is configured.
    main_context_manager.configure(
        synchronous_reader=False, thread_checkin=_green(), **{
            key: value for key, value in options.items()
            if key in _ENGINEFACADE_OPTIONS})
    add_engine_hooks(main_context_manager, conf.vbs_native.database_timeout)
    _configured = True


def add_engine_hooks(context_manager, timeout):
    """What the DB API changes on each engine ``context_manager`` creates
    (SQLite only)."""
    context_manager.append_on_engine_create(functools.partial(
        _pool_sqlite, timeout=timeout))
    context_manager.append_on_engine_create(_begin_sqlite)


def _green():
    """Whether eventlet patched threads: only then does oslo.db's
    ``sleep(0)`` on every connection check-in let others run. A worker
    process or thread per request just pays for the system call."""
    patcher = sys.modules.get('eventlet.patcher')
    return bool(patcher and patcher.is_monkey_patched('thread'))


def _pool_sqlite(engine, timeout):
    """Keep SQLite connections open between requests.

    oslo.db gives SQLite files a NullPool, so every transaction opened a
    new connection (and registered our functions on it again): about
    0.25 ms of a 1.9 ms page. This is SQLAlchemy 2's own default for SQLite
    files: a QueuePool, connections usable from any thread (the pool hands
    each to one thread at a time). Left as it is if SQLAlchemy's pool
    internals are not as expected.
    """
    old = engine.pool
    if engine.dialect.name != 'sqlite' or not isinstance(
            old, sa.pool.NullPool):
        return
    try:
        pool = sa.pool.QueuePool(
            old._creator, pool_size=5, max_overflow=10, timeout=timeout,
            recycle=old._recycle,
            echo=old.echo, logging_name=old._orig_logging_name,
            reset_on_return=old._reset_on_return, _dispatch=old.dispatch,
            dialect=old._dialect)
    except AttributeError:
        return
    sa.event.listen(engine, 'do_connect', _any_thread)
    engine.pool = pool


def _begin_sqlite(engine):
    """oslo.db sends SQLite's BEGIN itself (the driver would not), as a
    whole SQLAlchemy statement: a tenth of a small page's time. Its listener
    is replaced by one that sends it on the driver's connection, keeping
    oslo.db's mark that a transaction is open (its commit and rollback
    listeners clear it). Left alone if oslo.db's listener is not found."""
    if engine.dialect.name != 'sqlite':
        return
    theirs = [listener for listener in engine.dispatch.begin
              if getattr(listener, '__name__', '') == '_sqlite_emit_begin']
    if len(theirs) != 1:
        return
    sa.event.remove(engine, 'begin', theirs[0])
    sa.event.listen(engine, 'begin', _sqlite_begin)


def _sqlite_begin(connection):
    if 'in_transaction' not in connection.info:
        connection.connection.driver_connection.execute('BEGIN')
        connection.info['in_transaction'] = True


def _any_thread(dialect, record, cargs, cparams):
    cparams['check_same_thread'] = False


_ENGINEFACADE_OPTIONS = frozenset((
    'connection', 'slave_connection', 'sqlite_fk', 'mysql_sql_mode',
    'mysql_wsrep_sync_wait', 'mysql_enable_ndb', 'connection_recycle_time',
    'connection_debug', 'max_pool_size', 'max_overflow', 'pool_timeout',
    'sqlite_synchronous', 'connection_trace', 'max_retries', 'retry_interval',
    'db_max_retries', 'db_retry_interval', 'db_inc_retry_interval',
    'db_max_retry_interval', 'use_db_reconnect', 'connection_parameters',
    'pool_pre_ping'))


def get_engine():
    return main_context_manager.writer.get_engine()


@dataclasses.dataclass(frozen=True)
class ListQuery:
    """A validated list request, in database terms."""

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


@dataclasses.dataclass
class Page:
    rows: list
    more: bool
    count: int | None


# Built once: SQLAlchemy expressions are immutable, and building them is
# a good part of a small page's cost.
_SUMMARY = tuple(_backups.c[name] for name in SUMMARY_COLUMNS)
_DETAIL = tuple(_backups.c[name] for name in DETAIL_COLUMNS)
_LIVE = _backups.c.deleted == sa.false()


def _columns(detail):
    return list(_DETAIL if detail else _SUMMARY)


def _scope(project_id):
    clauses = [_LIVE]
    if project_id is not None:
        clauses.append(_backups.c.project_id == project_id)
    return clauses


def _where(query, backend):
    clauses = _scope(query.project_id)
    for name, value in query.filters:
        clauses.append(_backups.c[name] == value)
    for name, value in query.fuzzy:
        clauses.append(backend.contains(_backups.c[name], value))
    return clauses


@contextlib.contextmanager
def reading(context):
    """One read transaction for the DB API calls made inside: a page and
    its metadata from one connection and one snapshot (a transaction costs
    about 0.15 ms to open and close)."""
    with faults.translated(), \
            main_context_manager.reader.connection.using(context):
        yield


@faults.translate
@main_context_manager.reader.connection
def backup_get(context, backup_id, project_id=None, detail=True):
    """A live backup, in ``project_id`` unless that is None."""
    stmt = sa.select(*_columns(detail)).where(
        _backups.c.id == backup_id, *_scope(project_id))
    row = context.connection.execute(stmt).first()
    if row is None:
        raise exception.BackupNotFound(backup_id=backup_id)
    return row


@faults.translate
@main_context_manager.reader.connection
def backup_metadata(context, backup_ids):
    """{backup id: {key: value}} of live metadata, for every id given."""
    result = {backup_id: {} for backup_id in backup_ids}
    if not backup_ids:
        return result
    stmt = sa.select(_metadata.c.backup_id, _metadata.c.key,
                     _metadata.c.value).where(
        _metadata.c.backup_id.in_(list(backup_ids)),
        _metadata.c.deleted == sa.false()).order_by(_metadata.c.id)
    for backup_id, key, value in context.connection.execute(stmt):
        result[backup_id][key] = value
    return result


@faults.translate
@main_context_manager.reader.connection
def backup_list(context, query):
    """One page of backups and, if asked, the count of all that match.

    Keyset pagination: the rows strictly after the marker in sort order, the
    marker being only a position (it may be deleted, or outside the
    filters). Page and count come from one statement, so one snapshot.
    """
    connection = context.connection
    backend = db_backend.for_connection(connection)
    if query.marker is None and not query.fuzzy:
        (page, count), params = _first_page(backend, query)
    else:
        (page, count), params = _statements(connection, backend, query), {}

    if query.limit == 0:
        return Page([], False, connection.scalar(count, params)
                    if query.with_count else None)
    rows = connection.execute(page, params).all()
    total = None
    if query.with_count:
        total = rows[0]._count if rows else connection.scalar(count, params)
    return Page(rows[:query.limit], len(rows) > query.limit, total)


_FIRST_PAGE_SHAPES = 256


def _first_page(backend, query):
    """The statements of a first page, built once per shape and engine with
    the values as parameters: building and keying a statement costs more
    than running it for a small page. A marker needs its row's values in
    the statement, and a fuzzy filter's expression depends on its value:
    those are built for each request."""
    shape = (query.project_id is None,
             tuple(name for name, _value in query.filters), query.sort,
             query.with_count, query.detail, bool(query.offset))
    params = {'fetch': query.limit + 1, 'offset': query.offset,
              'project_id': query.project_id}
    params.update(('filter%d' % index, value)
                  for index, (_name, value) in enumerate(query.filters))
    statements = backend.statements.get(shape)
    if statements is None:
        template = dataclasses.replace(
            query,
            project_id=None if query.project_id is None
            else sa.bindparam('project_id'),
            filters=tuple((name, sa.bindparam('filter%d' % index))
                          for index, (name, _v) in enumerate(query.filters)))
        statements = _build(
            backend, template, [_Segment((), 0)],
            sa.bindparam('fetch', type_=sa.Integer, literal_execute=True),
            sa.bindparam('offset', type_=sa.Integer, literal_execute=True)
            if query.offset else 0)
        if len(backend.statements) >= _FIRST_PAGE_SHAPES:
            backend.statements.clear()
        backend.statements[shape] = statements
    return statements, params


def _statements(connection, backend, query):
    segments = [_Segment((), 0)]
    keys = _keys(backend, query)
    if query.marker is not None:
        segments = _after_marker(
            backend, keys, _marker_values(connection, query))
        if len(segments) > 1 and not backend.keyset_index:
            # No index to range over (Cinder's schema): each segment would
            # scan the whole project again; one scan serves them all.
            segments = [_Segment((sa.or_(*[
                sa.and_(*segment.clauses) for segment in segments]),), 0)]
    return _build(backend, query, segments, query.limit + 1, query.offset,
                  keys)


def _keys(backend, query):
    return [(backend.sortable(_backups.c[name]), desc,
             _backups.c[name].nullable) for name, desc in query.sort]


def _build(backend, query, segments, fetch, offset, keys=None):
    """(the page's statement, the count's statement): the page fetches one
    row more than the limit, to tell whether another page follows.
    ``fetch`` and ``offset`` are numbers, or parameters of a first page."""
    where = _where(query, backend)
    keys = keys or _keys(backend, query)
    count = (sa.select(sa.func.count()).select_from(_backups)
             .where(*where))
    columns = _columns(query.detail)
    if query.with_count:
        columns.append(count.scalar_subquery().label('_count'))
    if len(segments) == 1:
        page = (sa.select(*columns).where(*where, *segments[0].clauses)
                .order_by(*segments[0].order(backend, keys))
                .limit(fetch)
                .offset(None if isinstance(offset, int) and not offset
                        else offset))
    else:
        page = _union(backend, columns, where, keys, segments, fetch,
                      offset)
    return page, count


def _union(backend, columns, where, keys, segments, fetch, offset):
    """Each segment is an index range in sort order; the union, in segment
    order, is the page."""
    sort_columns = [expr.label('_k%d' % i) for i, (expr, _d, _n)
                    in enumerate(keys)]
    parts = [
        sa.select(*[c for c in columns if c.name != '_count'], *sort_columns,
                  sa.literal(number).label('_segment'))
        .where(*where, *segment.clauses)
        .order_by(*segment.order(backend, keys))
        .limit(fetch + offset).subquery()
        for number, segment in enumerate(segments)]
    union = sa.union_all(*[sa.select(part) for part in parts]).subquery()
    outer_order = [union.c._segment] + [
        backend.order_by(union.c['_k%d' % i], desc, nullable)
        for i, (_e, desc, nullable) in enumerate(keys)]
    outer_columns = [column if column.name == '_count' else
                     union.c[column.name] for column in columns]
    return (sa.select(*outer_columns).order_by(*outer_order)
            .limit(fetch).offset(offset or None))


def _marker_values(connection, query):
    names = [name for name, _desc in query.sort]
    stmt = sa.select(*[_backups.c[name] for name in names]).where(
        _backups.c.id == query.marker)
    if query.marker_project_id is not None:
        stmt = stmt.where(_backups.c.project_id == query.marker_project_id)
    row = connection.execute(stmt).first()
    if row is None:
        raise exception.BackupNotFound(backup_id=query.marker)
    return list(row)


class _Segment(typing.NamedTuple):
    """Where-clauses of one index range, and how many leading sort keys
    they fix to one value (left out of its ORDER BY: MySQL sorts a range
    that ``created_at IS NULL`` fixes by filesort otherwise)."""

    clauses: tuple
    fixed: int

    def order(self, backend, keys):
        return [backend.order_by(expr, desc, nullable)
                for expr, desc, nullable in keys[self.fixed:]]


def _after_marker(backend, keys, values):
    """Segments whose union, in this order, is every row strictly after
    the marker: NULL sorts lowest, ``keys`` end with the unique id.

    Key i contributes the rows equal to the marker on the keys before it and
    after it on key i; runs of such comparisons in one direction collapse
    into one row-value comparison, which the databases serve from an index.
    """
    pieces = []  # (kind, i); kind: 'after' | 'not_null' | 'null'
    for i in range(len(keys) - 1, -1, -1):
        _expr, desc, nullable = keys[i]
        if values[i] is None:
            if not desc:
                pieces.append(('not_null', i))
        else:
            pieces.append(('after', i))
            if desc and nullable:
                pieces.append(('null', i))

    segments = []
    index = 0
    while index < len(pieces):
        kind, last = pieces[index]
        first = last
        if kind == 'after':
            # Extend the run to the key just before, if it is compared in
            # the same direction (a key whose marker value is NULL adds no
            # piece when descending: it must end the run, not be skipped).
            while (index + 1 < len(pieces)
                   and pieces[index + 1] == ('after', first - 1)
                   and keys[first - 1][1] == keys[last][1]):
                index += 1
                first = pieces[index][1]
        segments.append(_segment(backend, keys, values, kind, first, last))
        index += 1
    return segments


def _segment(backend, keys, values, kind, first, last):
    clauses = [expr.is_(None) if value is None else expr == value
               for (expr, _d, _n), value in zip(keys[:first], values)]
    expr, desc, _nullable = keys[first]
    if kind == 'null':
        clauses.append(expr.is_(None))
        first += 1
    elif kind == 'not_null':
        clauses.append(expr.isnot(None))
    else:
        clauses.append(backend.after(
            [key[0] for key in keys[first:last + 1]],
            values[first:last + 1], desc))
    return _Segment(tuple(clauses), first)
