"""What differs between SQLite, MariaDB/MySQL and PostgreSQL, so that every
database gives the same answer: strings sort by code point, NULL sorts lowest,
fuzzy matches fold case for all of Unicode.

Decided once per engine; on MySQL this reads the columns' collations, because
a Cinder database compares case-insensitively where ours is binary.
"""

import threading
import weakref

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

_lock = threading.Lock()
_by_engine = weakref.WeakKeyDictionary()


def for_connection(connection):
    engine = connection.engine
    backend = _by_engine.get(engine)
    if backend is None:
        with _lock:
            backend = _by_engine.get(engine)
            if backend is None:
                backend = _make(connection)
                _by_engine[engine] = backend
    backend.prepare(connection)
    return backend


def _make(connection):
    name = connection.dialect.name
    if name == 'sqlite':
        return SQLite()
    if name == 'postgresql':
        return PostgreSQL()
    if name in ('mysql', 'mariadb'):
        rows = connection.execute(sa.text(
            'SELECT column_name, character_set_name, collation_name '
            'FROM information_schema.columns '
            'WHERE table_schema = DATABASE() AND table_name = :table'),
            {'table': 'backups'})
        return MySQL({row[0]: (row[1], row[2]) for row in rows if row[1]})
    raise ValueError('Unsupported database: %s' % name)


def _is_string(expr):
    return isinstance(expr.type, sa.String)


class Backend:
    row_values = True

    def prepare(self, connection):
        """Per-connection set-up; cheap when already done."""

    def sortable(self, column):
        """The column as it compares in code point order."""
        return column

    def order_by(self, expr, desc, nullable):
        return expr.desc() if desc else expr.asc()

    def after(self, exprs, values, desc):
        """Rows whose ``exprs`` come strictly after ``values`` (none NULL) in
        one direction."""
        if self.row_values and len(exprs) > 1:
            row = sa.tuple_(*exprs)
            bound = sa.tuple_(*[sa.literal(value, expr.type)
                                for expr, value in zip(exprs, values)])
            return row < bound if desc else row > bound
        return sa.or_(*[
            sa.and_(*[e == v for e, v in zip(exprs[:i], values[:i])],
                    exprs[i] < values[i] if desc else exprs[i] > values[i])
            for i in range(len(exprs))])

    def contains(self, column, value):
        """Case-insensitive substring match, the value taken literally."""
        raise NotImplementedError


class SQLite(Backend):
    # SQLite's lower() folds ASCII only; Python's folds all of Unicode.
    _FUNCTION = 'vbs_lower'

    def prepare(self, connection):
        info = connection.connection.info
        if self._FUNCTION not in info:
            connection.connection.driver_connection.create_function(
                self._FUNCTION, 1, _lower, deterministic=True)
            info[self._FUNCTION] = True

    def contains(self, column, value):
        return sa.func.instr(getattr(sa.func, self._FUNCTION)(column),
                             value.lower()) > 0


def _lower(value):
    return value.lower() if isinstance(value, str) else value


class PostgreSQL(Backend):

    def sortable(self, column):
        return column.collate('C') if _is_string(column) else column

    def order_by(self, expr, desc, nullable):
        clause = super().order_by(expr, desc, nullable)
        if not nullable:
            # Leave NOT NULL columns alone so index scans still match.
            return clause
        return clause.nulls_last() if desc else clause.nulls_first()

    def contains(self, column, value):
        return sa.func.strpos(sa.func.lower(column).collate('C'),
                              sa.func.lower(sa.literal(value))) > 0


class MySQL(Backend):
    # The range optimizer ignores row-value comparisons; it handles the OR
    # form with an index range scan.
    row_values = False

    def __init__(self, collations):
        self._collations = collations

    def sortable(self, column):
        charset, collation = self._collations.get(column.name, (None, None))
        if not charset or collation.endswith('_bin'):
            return column
        return column.collate('%s_bin' % charset)

    def contains(self, column, value):
        # Compare bytes after folding: the default collations would also
        # ignore accents ('e' finds 'é'), which no other database does.
        return sa.func.instr(
            sa.cast(sa.func.lower(column), mysql.BINARY()),
            sa.cast(sa.func.lower(sa.literal(value)), mysql.BINARY())) > 0
