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

"""The benchmark's data: databases of our schema filled by
vbs-native-manage, and of Cinder's schema filled with the same rows; kept
in the work directory and reused while the generator's arguments stay the
same. And what the cases need to know of them."""

import contextlib
import json
import os
import subprocess
import time

import sqlalchemy as sa

import cinder_venv
from progress import log
from tests.harness import databases
from tests.harness import service
from vbs_native.db import sample

PROJECTS = 4
# The first project's share: ~53% of all rows live there, as in the
# measurements of Cinder this compares with (a ninth is soft-deleted).
FIRST_SHARE = 0.6
SEED = 0
STAMP = {'projects': PROJECTS, 'seed': SEED, 'first_share': FIRST_SHARE}


def project():
    """The project every case asks for: the largest."""
    return sample.project_ids(PROJECTS, SEED)[0]


class Store:
    """SQLite files in the work directory, or a database server (through
    the admin URLs of tests/harness/databases.py), and the benchmark's
    databases there."""

    def __init__(self, kind, work):
        self.kind = kind
        self.work = work
        self.server = None if kind == 'sqlite' else databases.server(kind)

    def url(self, name):
        if self.kind == 'sqlite':
            return 'sqlite:///%s' % os.path.join(self.work, name + '.sqlite')
        return databases.url(self.server, name)

    def recreate(self, name):
        if self.kind == 'sqlite':
            path = self.url(name)[len('sqlite:///'):]
            if os.path.exists(path):
                os.unlink(path)
            return
        self.server.drop_named_database(name, conditional=True)
        self.server.create_named_database(name)

    def version(self):
        if self.kind == 'sqlite':
            import sqlite3
            return 'SQLite %s' % sqlite3.sqlite_version
        with self.server.engine.connect() as connection:
            value = connection.scalar(sa.text('SELECT version()'))
            if self.kind == 'mariadb':
                # What holds the tables in memory (PostgreSQL: the OS's
                # page cache).
                value += ', innodb_buffer_pool_size %d MiB' % (
                    connection.scalar(sa.text(
                        'SELECT @@innodb_buffer_pool_size')) // 2 ** 20)
        return value.split(' on ')[0]

    def _stamp_path(self, name):
        return os.path.join(self.work, 'stamps',
                            self.kind + '-' + name + '.json')

    def fresh(self, name, size):
        """True when ``name`` already holds this data set, which saves
        regenerating a million rows per run."""
        try:
            with open(self._stamp_path(name), encoding='utf-8') as handle:
                stamp = json.load(handle)
        except (OSError, ValueError):
            return False
        if stamp != dict(STAMP, size=size):
            return False
        try:
            engine = sa.create_engine(self.url(name))
            with engine.connect() as connection:
                count = connection.scalar(sa.text(
                    'SELECT count(*) FROM backups'))
            engine.dispose()
        except sa.exc.SQLAlchemyError:
            return False
        return count == size

    def stamp(self, name, size):
        path = self._stamp_path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(dict(STAMP, size=size), handle)

    def filled(self, name, size, fill, how):
        """Database ``name`` holding the data set of ``size`` rows, made
        by ``fill(url)`` unless it already does."""
        if self.fresh(name, size):
            log('%s %s: reusing %d rows', self.kind, name, size)
            return name
        log('%s %s: %s %d rows', self.kind, name, how, size)
        self.recreate(name)
        fill(self.url(name))
        self.stamp(name, size)
        return name


def fill_own(store, size):
    """Our schema, filled by vbs-native-manage as an operator would; a
    database kept from an earlier run is upgraded (``db sync``) as an
    operator's would be."""
    name = store.filled(
        'vbs_bench_own_%d' % size, size,
        lambda url: service.generate(store.work, url, size, PROJECTS, SEED,
                                     FIRST_SHARE), 'generating')
    service.db_sync(store.work, store.url(name))
    return name


def fill_cinder(store, size, venv):
    """Cinder's schema from ``cinder-manage db sync``, filled with the rows
    ``backup generate`` writes into ours (same seed). vbs-native-manage
    refuses a Cinder database on purpose, so the benchmark writes the same
    rows itself."""
    name = 'vbs_bench_cinder_%d' % size

    def fill(url):
        conf = cinder_venv.conf(store.work, name, url, venv)
        subprocess.run([os.path.join(venv, 'bin', 'cinder-manage'),
                        '--config-file', conf, 'db', 'sync'], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        engine = sa.create_engine(url)
        sample.write(engine, sample.generate(
            size, projects=PROJECTS, seed=SEED, first_share=FIRST_SHARE))
        engine.dispose()
    return store.filled(name, size, fill, 'cinder-manage db sync, then')


# The index doc/source/admin/cinder-database.rst tells operators to add to
# Cinder's database, as it writes it for each engine.
CINDER_INDEX = 'backups_project_created_idx'
CINDER_INDEX_SQL = {
    'mysql': 'CREATE INDEX %s ON backups (project_id, deleted, created_at, '
             'id, display_name)' % CINDER_INDEX,
    'postgresql': 'CREATE INDEX %s ON backups (project_id, deleted, '
                  'created_at NULLS FIRST, id) INCLUDE (display_name)'
                  % CINDER_INDEX,
}


def _has_cinder_index(engine):
    return any(index['name'] == CINDER_INDEX
               for index in sa.inspect(engine).get_indexes('backups'))


def _drop_cinder_index(engine):
    statement = 'DROP INDEX %s' % CINDER_INDEX
    if engine.dialect.name == 'mysql':
        statement += ' ON backups'
    with engine.begin() as connection:
        connection.execute(sa.text(statement))


def without_cinder_index(url):
    """Cinder's database as Cinder makes it: drops the documented index a
    run that was killed may have left."""
    engine = sa.create_engine(url)
    if _has_cinder_index(engine):
        log('dropping %s, left by an earlier run', CINDER_INDEX)
        _drop_cinder_index(engine)
    engine.dispose()


@contextlib.contextmanager
def cinder_index(url):
    """Cinder's database with the documented index while in the block,
    then without it again: later runs reuse the database as it was."""
    engine = sa.create_engine(url)
    log('%s', CINDER_INDEX_SQL[engine.dialect.name])
    with engine.begin() as connection:
        connection.execute(sa.text(CINDER_INDEX_SQL[engine.dialect.name]))
    try:
        with engine.begin() as connection:
            result = connection.execute(sa.text(
                'ANALYZE TABLE backups' if engine.dialect.name == 'mysql'
                else 'ANALYZE backups'))
            if result.returns_rows:
                result.all()
        yield
    finally:
        log('dropping %s', CINDER_INDEX)
        _drop_cinder_index(engine)
        engine.dispose()


def facts(url, project):
    """Live rows of the project, the id 90% deep in the default order and
    the id of a row to show."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        live = connection.scalar(sa.text(
            'SELECT count(*) FROM backups WHERE project_id = :p '
            'AND deleted = :d'), {'p': project, 'd': False})

        def nth(n):
            return connection.scalar(sa.text(
                'SELECT id FROM backups WHERE project_id = :p AND '
                'deleted = :d ORDER BY created_at DESC, id DESC '
                'LIMIT 1 OFFSET %d' % n), {'p': project, 'd': False})
        deep, middle = nth(int(live * 0.9)), nth(live // 2)
    engine.dispose()
    return {'live_rows': live, 'deep_marker': deep, 'show_id': middle}


def analyse(url):
    """PostgreSQL: ``VACUUM ANALYZE`` of every table (backups and their
    metadata), what autovacuum does sooner or later, so that every run
    sees the statistics and the visibility map (index-only scans) a
    settled database has, fresh from the generator or not: this machine's
    PostgreSQL runs with autovacuum off, and without statistics it reads a
    page's metadata by scanning the whole table. (``backup generate``
    analyses our tables, not Cinder's, and vacuums nothing; MariaDB's
    InnoDB keeps its statistics itself.)"""
    if not url.startswith('postgresql'):
        return
    engine = sa.create_engine(url, isolation_level='AUTOCOMMIT')
    with engine.connect() as connection:
        connection.execute(sa.text('VACUUM ANALYZE'))
    engine.dispose()


COUNT = ('SELECT count(*) FROM backups%s WHERE deleted = :d AND '
         'project_id = :p')
# The predicate's columns: an index that starts with both, in either
# order, can answer the count from one range of its entries.
COUNT_COLUMNS = {'deleted', 'project_id'}
# PostgreSQL's planner switches, off in turn to try the other plans.
PG_VARIANTS = (
    ('enable_seqscan=off', ('SET LOCAL enable_seqscan = off',)),
    ('enable_bitmapscan=off', ('SET LOCAL enable_bitmapscan = off',)),
    ('enable_seqscan=off, enable_bitmapscan=off', (
        'SET LOCAL enable_seqscan = off',
        'SET LOCAL enable_bitmapscan = off')),
)


def _median_ms(connection, statement, params, rounds=11):
    connection.execute(sa.text(statement), params).all()  # warm
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        connection.execute(sa.text(statement), params).all()
        timings.append(time.perf_counter() - start)
    timings.sort()
    return timings[len(timings) // 2] * 1000.0


def best_count(url, project):
    """The fastest ``SELECT COUNT(*)`` of the project's live rows the
    engine does: the plain statement, on MariaDB with ``FORCE INDEX`` of
    each index of ``backups`` that starts with both predicate columns, on
    PostgreSQL with the planner's scans switched off in turn (after
    ``analyse``). Medians in ms of each variant, the best and which."""
    engine = sa.create_engine(url)
    params = {'p': project, 'd': False}
    variants = {}
    with engine.connect() as connection:
        variants['plain'] = _median_ms(connection, COUNT % '', params)
        connection.rollback()
        if engine.dialect.name == 'mysql':
            for index in sa.inspect(engine).get_indexes('backups'):
                leading = index['column_names'][:len(COUNT_COLUMNS)]
                if set(leading) == COUNT_COLUMNS:
                    variants['FORCE INDEX (%s)' % index['name']] = (
                        _median_ms(connection, COUNT % (
                            ' FORCE INDEX (%s)' % index['name']), params))
                    connection.rollback()
        elif engine.dialect.name == 'postgresql':
            for name, settings in PG_VARIANTS:
                with connection.begin():
                    for setting in settings:
                        connection.execute(sa.text(setting))
                    variants[name] = _median_ms(connection, COUNT % '',
                                                params)
    engine.dispose()
    best = min(variants, key=variants.get)
    return {'best_count_ms': variants[best], 'best_count_variant': best,
            'count_variants': variants}


def sql_timings(url, project):
    """The database's own COUNT(*) and first summary page's SQL (where
    the schema has no index for this order, what no service can answer
    faster than): medians in ms."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        def median_ms(statement):
            timings = []
            for _ in range(15):
                start = time.perf_counter()
                connection.execute(sa.text(statement),
                                   {'p': project, 'd': False}).all()
                timings.append(time.perf_counter() - start)
            timings.sort()
            return timings[len(timings) // 2] * 1000.0

        result = {
            'count_ms': median_ms(COUNT % ''),
            'first_page_ms': median_ms(
                'SELECT id, display_name FROM backups WHERE deleted = :d '
                'AND project_id = :p ORDER BY created_at DESC%s, id DESC '
                'LIMIT 51' % (' NULLS LAST' if url.startswith('postgresql')
                              else ''))}
    engine.dispose()
    return result
