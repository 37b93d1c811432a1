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
from sqlalchemy.dialects import postgresql

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
    return _make_for_dialect(connection, _ordered_indexes(connection))


def _ordered_indexes(connection):
    """{columns: name} of the indexes that order a project's live backups
    by creation among those equal on ``columns`` (``()``: all of them):
    ``(project_id, deleted, *columns, created_at, id, ...)``. Ours has
    them; a Cinder database only the one its operator may add."""
    found = {}
    for index in sa.inspect(connection).get_indexes('backups'):
        names = index['column_names']
        if names[:2] != ['project_id', 'deleted']:
            continue
        for at in range(2, len(names) - 1):
            if names[at:at + 2] == ['created_at', 'id']:
                found.setdefault(tuple(names[2:at]), index['name'])
                break
    return found


def _make_for_dialect(connection, ordered_indexes):
    name = connection.dialect.name
    if name == 'sqlite':
        return SQLite(ordered_indexes)
    if name == 'postgresql':
        return PostgreSQL(ordered_indexes, _pg_fold_collation(connection))
    if name in ('mysql', 'mariadb'):
        rows = connection.execute(sa.text(
            'SELECT column_name, collation_name '
            'FROM information_schema.columns '
            'WHERE table_schema = DATABASE() AND table_name = :table'),
            {'table': 'backups'})
        collations = {row[0]: row[1] for row in rows if row[1]}
        available = set(connection.execute(sa.text(
            'SELECT collation_name FROM information_schema.collations '
            'WHERE collation_name IN :names').bindparams(
                sa.bindparam('names', expanding=True)),
            {'names': MySQL.FOLD_COLLATIONS}).scalars())
        fold = next((collation for collation in MySQL.FOLD_COLLATIONS
                     if collation in available), None)
        return MySQL(ordered_indexes, collations, fold)
    raise ValueError('Unsupported database: %s' % name)


# Probes for a collation whose lower() maps each character to its simple
# lowercase: C.utf8 and the usual libc locales do; ICU (und-x-icu) applies
# the full mapping ('İ' gives two characters); "C" folds only ASCII.
_PG_FOLD_CANDIDATES = ('C.utf8', 'C.UTF-8', 'default', 'en_US.utf8',
                       'und-x-icu')
_PG_FOLD_PROBE = ('\u00c0\u0394\u0416\u0130', '\u00e0\u03b4\u0436i')


def _pg_fold_collation(connection):
    """The first collation whose lower() folds like the contract; failing
    that, the first that folds beyond ASCII; failing that, the default."""
    names = set(connection.execute(sa.text(
        'SELECT collname FROM pg_collation WHERE collname IN :names '
        'AND collencoding IN (-1, pg_char_to_encoding(getdatabaseencoding()))'
    ).bindparams(sa.bindparam('names', expanding=True)),
        {'names': _PG_FOLD_CANDIDATES}).scalars())
    names = [name for name in _PG_FOLD_CANDIDATES
             if name in names or name == 'default']
    text, folded = _PG_FOLD_PROBE
    probe = sa.literal(text, sa.Text)
    results = connection.execute(sa.select(*[
        sa.func.lower(probe.collate(name)) for name in names])).one()
    for accept in (lambda result: result == folded,
                   lambda result: result[0] == folded[0]):
        for name, result in zip(names, results):
            if accept(result):
                return name
    return 'default'


def _is_string(expr):
    return isinstance(expr.type, sa.String)


class Backend:
    row_values = True
    # Statement shapes kept per engine: a few are in use at any time.
    STATEMENT_SHAPES = 256

    def __init__(self, ordered_indexes):
        self.ordered_indexes = ordered_indexes  # _ordered_indexes()
        self._statements = {}

    @property
    def keyset_index(self):
        """The name of the index that orders a project's live backups, or
        None: whether the pages after a marker can be index ranges."""
        return self.ordered_indexes.get(())

    def table_hint(self, connection, project_id, sort, filters):
        """How the page statement of a list of ``project_id`` (None: of
        every project) sorted by ``sort`` ((name, descending), ...) with
        exact ``filters`` (column names) should read the table, in the
        database's words; None: as it plans."""
        return None

    def statements(self, shape, build):
        """What ``build()`` returns, built once per ``shape`` on this
        engine: the DB API's statements with their values as parameters."""
        statements = self._statements.get(shape)
        if statements is None:
            statements = build()
            if len(self._statements) >= self.STATEMENT_SHAPES:
                self._statements.clear()
            self._statements[shape] = statements
        return statements

    def prepare(self, connection):
        """Per-connection set-up; cheap when already done."""

    def sortable(self, column):
        """The column as it compares in code point order.

        A primary key is left as it is: it is unique in its own collation,
        so it stays a total tie-breaker, and it keeps its index (an
        ``ORDER BY created_at, id`` served by an index on a Cinder
        database). Cinder's ids are lowercase UUIDs, which every collation
        orders by code point.
        """
        return column

    def order_by(self, expr, desc, nullable):
        return expr.desc() if desc else expr.asc()

    def after(self, exprs, values, desc):
        """Rows whose ``exprs`` come strictly after ``values`` (none NULL) in
        one direction."""
        if self.row_values and len(exprs) > 1:
            row = sa.tuple_(*exprs)
            bound = sa.tuple_(*[
                value if isinstance(value, sa.BindParameter)
                else sa.literal(value, expr.type)
                for expr, value in zip(exprs, values)])
            return row < bound if desc else row > bound
        return sa.or_(*[
            sa.and_(*[e == v for e, v in zip(exprs[:i], values[:i])],
                    exprs[i] < values[i] if desc else exprs[i] > values[i])
            for i in range(len(exprs))])

    def one_of(self, column, name):
        """``column`` equal to one of the list given as parameter
        ``name``."""
        return column.in_(sa.bindparam(name, expanding=True))

    def shown_time(self, column):
        """``column``, a timestamp, as the API shows it (a string), or as
        it is (the view formats it)."""
        return column

    def contains(self, column, value):
        """Case-insensitive substring match, the value taken literally:
        both sides folded to the simple lowercase mapping of each
        character (what the databases' lower() does)."""
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
        folded = _lower(value)
        match = sa.func.instr(getattr(sa.func, self._FUNCTION)(column),
                              folded) > 0
        if not folded or not folded.isascii():
            return match
        # A Python call per row is slow; first, in C, what a match needs:
        # the ASCII value in the row under SQLite's ASCII-only lower(),
        # unless the row holds one of the two other characters whose
        # lowercase is ASCII (U+0130 'i', U+212A Kelvin 'k').
        return sa.and_(sa.or_(sa.func.instr(sa.func.lower(column), folded) > 0,
                              sa.func.instr(column, '\u0130') > 0,
                              sa.func.instr(column, '\u212a') > 0), match)


# Python's lower() is Unicode's full mapping: 'İ' becomes two characters
# and a capital sigma at the end of a word becomes 'ς'. The other databases
# map each character on its own; these two first make Python do the same.
_SIMPLE = {0x130: 'i', 0x3a3: '\u03c3'}


def _lower(value):
    if not isinstance(value, str):
        return value
    if '\u0130' in value or '\u03a3' in value:
        value = value.translate(_SIMPLE)
    return value.lower()


class PostgreSQL(Backend):

    def __init__(self, ordered_indexes, fold_collation):
        super().__init__(ordered_indexes)
        # Our columns are "C", whose lower() folds ASCII only.
        self._fold = fold_collation

    def sortable(self, column):
        if not _is_string(column) or column.primary_key:
            return column
        return column.collate('C')

    def order_by(self, expr, desc, nullable):
        clause = super().order_by(expr, desc, nullable)
        if not nullable:
            # Leave NOT NULL columns alone so index scans still match.
            return clause
        return clause.nulls_last() if desc else clause.nulls_first()

    def one_of(self, column, name):
        # One array parameter: the statement's text is the same for any
        # number of values, and is not rewritten for each execution.
        return column == sa.any_(sa.bindparam(
            name, type_=postgresql.ARRAY(column.type)))

    def shown_time(self, column):
        # FM: a year before 1000 unpadded, as strftime writes it.
        return sa.func.to_char(column, sa.literal_column(
            '\'FMYYYY-MM-DD"T"HH24:MI:SS.US\''))

    def contains(self, column, value):
        return sa.func.strpos(
            sa.func.lower(column.collate(self._fold)),
            sa.func.lower(sa.literal(value, sa.Text).collate(self._fold))) > 0


class MySQL(Backend):
    # The range optimizer ignores row-value comparisons; it handles the OR
    # form with an index range scan.
    row_values = False
    # lower() uses the case table of the collation: the newest Unicode one
    # the server has (the default utf8mb4 tables miss many letters of
    # Unicode 3.2 and later, such as U+0220 and U+1E9E).
    FOLD_COLLATIONS = ('utf8mb4_uca1400_ai_ci', 'utf8mb4_0900_ai_ci',
                       'utf8mb4_unicode_520_ci')

    def __init__(self, ordered_indexes, collations, fold_collation):
        super().__init__(ordered_indexes)
        self._collations = collations
        self._fold = fold_collation

    # A range over Cinder's (deleted, project_id) index looks each row up
    # by primary key, about four times what a scan pays a row: 66 ms for a
    # project of 53% of 100,000 rows, against 31 ms to read them all.
    SCAN_SHARE = 0.25

    def table_hint(self, connection, project_id, sort, filters):
        if project_id is None:
            return None
        if self.keyset_index:
            # MariaDB picks (deleted, created_at, id) for a big project and
            # skips its rows of other projects one by one; or the
            # project's index where one also holds the filter's column.
            names = [name for name, _desc in sort]
            if names != ['created_at', 'id'] or len(
                    {desc for _name, desc in sort}) != 1:
                return None
            usable = [columns for columns in self.ordered_indexes
                      if set(columns) <= set(filters)]
            best = max(usable, key=len)
            return 'FORCE INDEX (%s)' % (
                connection.dialect.identifier_preparer.quote(
                    self.ordered_indexes[best]))
        # Cinder's schema: no index serves the order. MariaDB ranges over
        # the project even when scanning the table is faster.
        project_rows, table_rows = [
            int(row['rows'] or 0) for row in connection.execute(
                _ESTIMATES, {'project_id': project_id}).mappings()]
        if project_rows > self.SCAN_SHARE * table_rows:
            return 'USE INDEX ()'
        return None

    def sortable(self, column):
        # Binary strings compare byte by byte (code point order for UTF-8)
        # and without PAD SPACE, which every *_bin collation but the NO PAD
        # ones has ('a' = 'a ', and 'a\t' < 'a').
        collation = self._collations.get(column.name)
        if (not _is_string(column) or column.primary_key
                or not collation or _no_pad_binary(collation)):
            return column
        return sa.type_coerce(sa.cast(column, mysql.BINARY()), column.type)

    def shown_time(self, column):
        # MySQLdb and PyMySQL make datetimes in Python: three a row were a
        # fifth of a detail page. YEAR(): a year before 1000 unpadded, as
        # strftime writes it.
        return sa.func.concat(sa.func.year(column), sa.func.date_format(
            column, sa.literal_column("'-%m-%dT%H:%i:%s.%f'")))

    def contains(self, column, value):
        # Compare bytes after folding: the default collations would also
        # ignore accents ('e' finds 'é'), which no other database does.
        return sa.func.instr(self._folded(column),
                             self._folded(sa.literal(value))) > 0

    def _folded(self, expr):
        if self._fold is not None:
            expr = sa.cast(expr, mysql.CHAR(charset='utf8mb4')).collate(
                self._fold)
        return sa.cast(sa.func.lower(expr), mysql.BINARY())


# The optimizer's estimates, one round trip: the project's live rows (an
# index dive), then the table's.
_ESTIMATES = sa.text(
    'EXPLAIN SELECT 1 FROM backups WHERE deleted = 0 AND project_id = '
    ':project_id UNION ALL SELECT 1 FROM backups')


def _no_pad_binary(collation):
    return collation == 'binary' or collation.endswith(
        ('_nopad_bin', '_0900_bin'))
