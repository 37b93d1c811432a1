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

"""The DB API gives the contract's answers (CONTRACT.md section 8) on the
run's database: the same rows for every filter, the same order for every
sort key, on SQLite, MariaDB/MySQL and PostgreSQL."""

import datetime

import sqlalchemy as sa

from tests import fixtures
from tests.functional.db import base
from tests.harness import reference
from vbs_native.api import microversion as mv
from vbs_native.api.views import backups as views
from vbs_native.db import api as db_api
from vbs_native.db import backend as db_backend
from vbs_native import exception

# Names that databases disagree about unless told exactly what to do:
# LIKE wildcards, escapes, quotes, case outside ASCII, blanks, and letters
# whose lowercase is special (final sigma, dotted capital I, the Kelvin
# sign, whose lowercase is ASCII 'k').
NAMES = [
    None, '', ' ', 'a', 'A', 'a ', 'a  ', ' a', 'a\t', 'ab', 'aB', 'b', 'B',
    'e', 'E', 'é', 'É', 'resume', 'Résumé', 'RÉSUMÉ', 'résumé', 'ÆØÅ', 'æøå',
    'Ünïcödé', 'straße', 'STRASSE', 'ΟΔΟΣ', 'οδος', 'Οδός', 'РЕЗЕРВ',
    'резерв', 'Резерв-1', 'バックアップ', '备份', 'İstanbul', 'istanbul',
    'ısparta', '100%', '100%_sure', '100_sure', '100x_sure', 'back\\slash',
    'back\\\\slash', 'backslash', "it's", 'say "hi"', '%', '_', '\\',
    'trailing ', 'trailing', 'daily-1', 'DAILY-1', 'Daily-10', 'zzz', '~',
    '\U0001F600 smile', '5 \u212a', '5 k', 'KELVIN',
]

NEEDLES = [
    '', ' ', '  ', 'a', 'A', 'a ', 'é', 'É', 'e', 'RÉSUMÉ', 'résumé', 'sum',
    'SUMÉ', 'æø', 'ÆØ', 'ÜNÏ', 'STRAß', 'ss', 'ΟΔΟΣ', 'οδοσ', 'οδος', 'ΔΌΣ',
    'РЕЗЕРВ', 'резерв', 'ЕЗЕ', 'バック', '备', 'İSTANBUL', 'ISTANBUL', 'ı',
    'I', '%', '_', '%_', '0%', '0_', '_s', '\\', '\\\\', '\\s', "'", "it'",
    '"', 'say "', 'ing ', 'trailing', 'DAILY', 'daily-1', 'y-1', '~',
    '\U0001F600', 'no such name', 'k', '5 k', 'elv', 'sta',
]


def _named(names):
    return [base.backup('n%03d' % number, display_name=name,
                        created_at=base.at(number))
            for number, name in enumerate(names)]


class TestBackend(base.TestCase):

    def test_the_database_the_run_names(self):
        # A run named for MariaDB or PostgreSQL never falls back to SQLite.
        dialect = {'mariadb': 'mysql'}.get(self.dialect, self.dialect)
        self.assertEqual(fixtures.backend(), dialect)


class TestFuzzyFilters(base.TestCase):

    def test_same_rows_as_the_contract(self):
        names = NAMES
        if self.cinder_schema and self.dialect == 'mysql':
            # utf8mb3 holds no character beyond U+FFFF.
            names = [name for name in NAMES
                     if name is None or max(name or ' ') < '\uffff']
        rows = _named(names)
        self.insert(rows)
        wrong = []
        for needle in NEEDLES:
            fuzzy = (('display_name', needle),)
            expected = [row['id'] for row in reference.ordered(
                [row for row in rows if reference.matches(row, fuzzy=fuzzy)],
                reference.DEFAULT_SORT)]
            got = self.list_ids(sort=reference.DEFAULT_SORT, fuzzy=fuzzy)
            if got != expected:
                wrong.append((needle, sorted(set(got) ^ set(expected))))
        self.assertEqual([], wrong)

    def test_every_fuzzy_column_with_exact_filters(self):
        rows = [
            base.backup('f1', status='available', volume_id='VOL-A1'),
            base.backup('f2', status='Error_Deleting', volume_id='vol-a2'),
            base.backup('f3', status='error', volume_id='vol-b1',
                        display_name='x'),
            base.backup('f4', status='error', volume_id='vol-b1',
                        display_name='x', deleted=True),
            base.backup('f5', status='error', volume_id='vol-b1',
                        display_name='x', project_id=base.OTHER_PROJECT),
        ]
        self.insert(rows)
        cases = [
            {'fuzzy': (('status', 'ERROR'),)},
            {'fuzzy': (('status', '_del'),)},
            {'fuzzy': (('volume_id', 'vol-a'),)},
            {'fuzzy': (('status', 'err'), ('volume_id', 'B1'))},
            {'filters': (('status', 'error'),),
             'fuzzy': (('display_name', 'X'),)},
            {'filters': (('volume_id', 'vol-b1'), ('display_name', 'x'))},
        ]
        for case in cases:
            expected = [row['id'] for row in reference.ordered(
                [row for row in rows if row['project_id'] == base.PROJECT
                 and reference.matches(row, **case)],
                reference.DEFAULT_SORT)]
            self.assertEqual(expected, self.list_ids(
                sort=reference.DEFAULT_SORT, **case), case)


class TestExactFilters(base.TestCase):
    """The service's own database compares exactly on every backend: case
    and trailing blanks count (our columns are binary, NO PAD on
    MariaDB/MySQL). On a Cinder database the column's collation decides;
    see TestCinderCollation."""

    def test_case_and_trailing_blanks_count(self):
        self.insert(_named(['trailing', 'trailing ', 'Trailing', 'é', 'É',
                            'e']))
        for name, expected in [('trailing', ['n000']),
                               ('trailing ', ['n001']),
                               ('TRAILING', []), ('é', ['n003']),
                               ('e', ['n005'])]:
            self.assertEqual(expected, self.list_ids(
                sort=reference.DEFAULT_SORT,
                filters=(('display_name', name),)), name)


def _sortable_rows(id_format='S%02d'):
    """Every sort key with NULLs, ties, case and blanks that a database's
    collation would reorder; ids in mixed case unless ``id_format`` is
    lowercase."""
    strings = [None, 'b', 'B', 'a', 'a ', 'a\t', 'A', 'é', 'É', 'a', None,
               '', 'z', 'Z ', 'ж', 'Ж', 'b']
    seconds = [None, 5, 5, 3, None, 7, 5, 3, 3, 9, 5, None, 7, 1, 5, 5, 3]
    rows = []
    for number, (text, second) in enumerate(zip(strings, seconds)):
        rows.append(base.backup(
            (id_format if number % 3 else 's%02d') % number,
            created_at=base.at(second if number % 4 else 5),
            updated_at=base.at(second),
            data_timestamp=base.at(None if number % 5 == 0 else second),
            status=text or 'available', display_name=text,
            volume_id=text or 'v', availability_zone=text, container=text,
            size=None if second is None else second % 4))
    rows.append(base.backup('gone', deleted=True, created_at=base.at(4)))
    return rows


class TestSort(base.TestCase):

    def _rows(self):
        # A Cinder database orders ids in their column's collation, which
        # agrees with code point order for Cinder's lowercase UUIDs.
        return _sortable_rows('s%02d' if self.cinder_schema else 'S%02d')

    def test_every_key_both_directions(self):
        rows = self._rows()
        self.insert(rows)
        live = [row for row in rows if not row['deleted']]
        wrong = []
        for key in sorted(db_api.SORT_KEYS):
            for desc in (False, True):
                keys = reference.sort_keys([(key, desc)])
                expected = [row['id'] for row in
                            reference.ordered(live, keys)]
                if self.list_ids(sort=keys) != expected:
                    wrong.append(('list', key, desc))
                if self.walk_ids(2, sort=keys) != expected:
                    wrong.append(('walk', key, desc))
        self.assertEqual([], wrong)

    def test_mixed_directions(self):
        rows = self._rows()
        self.insert(rows)
        live = [row for row in rows if not row['deleted']]
        for pairs in [[('display_name', False), ('size', True)],
                      [('status', True), ('updated_at', False)],
                      [('size', False), ('data_timestamp', True),
                       ('container', False)],
                      [('availability_zone', True), ('id', False)]]:
            keys = reference.sort_keys(pairs)
            expected = [row['id'] for row in reference.ordered(live, keys)]
            self.assertEqual(expected, self.list_ids(sort=keys), pairs)
            self.assertEqual(expected, self.walk_ids(3, sort=keys), pairs)

    def test_ties_on_a_null_key(self):
        # A marker whose created_at is NULL, followed by rows equal to it on
        # the first key and NULL on created_at: a keyset that skipped the
        # NULL key lost them.
        rows = [base.backup('t%d' % number, status=status, created_at=None)
                for number, status in enumerate('aabbbc')]
        rows.append(base.backup('t9', status='b', created_at=base.at(1)))
        self.insert(rows)
        for desc in (False, True):
            keys = reference.sort_keys([('status', desc)])
            expected = [row['id'] for row in reference.ordered(rows, keys)]
            for limit in (1, 2):
                self.assertEqual(expected, self.walk_ids(limit, sort=keys))


class TestFuzzyFiltersCinderSchema(TestFuzzyFilters):
    cinder_schema = True


class TestSortCinderSchema(TestSort):
    cinder_schema = True


class TestExactFiltersCinderSchema(base.TestCase):
    """On a Cinder database, exact filters compare in the columns'
    collation: Cinder's MariaDB/MySQL tables (utf8mb3_general_ci) ignore
    case, trailing blanks and accents; PostgreSQL and SQLite compare
    exactly. Documented in the README; fuzzy filters and sorting are the
    same on every database whatever the collation."""
    cinder_schema = True

    def test_the_collation_decides(self):
        self.insert(_named(['trailing', 'trailing ', 'Trailing', 'é', 'É',
                            'e']))
        if self.dialect == 'mysql':
            cases = [('trailing', ['n002', 'n001', 'n000']),
                     ('TRAILING ', ['n002', 'n001', 'n000']),
                     ('e', ['n005', 'n004', 'n003'])]
        else:
            cases = [('trailing', ['n000']), ('trailing ', ['n001']),
                     ('TRAILING', []), ('e', ['n005'])]
        for name, expected in cases:
            self.assertEqual(expected, self.list_ids(
                sort=reference.DEFAULT_SORT,
                filters=(('display_name', name),)), name)


class TestListQuery(base.TestCase):

    def setUp(self):
        super().setUp()
        self.rows = _sortable_rows()
        self.insert(self.rows)
        self.live = [row['id'] for row in reference.ordered(
            [row for row in self.rows if not row['deleted']],
            reference.DEFAULT_SORT)]

    def _page(self, **query):
        query.setdefault('project_id', base.PROJECT)
        query.setdefault('sort', reference.DEFAULT_SORT)
        return db_api.backup_list(self.context, db_api.ListQuery(**query))

    def test_count_ignores_limit_offset_and_marker(self):
        page = self._page(limit=2, offset=1, marker=self.live[3],
                          with_count=True)
        self.assertEqual(self.live[5:7], [row.id for row in page.rows])
        self.assertEqual(len(self.live), page.count)
        self.assertTrue(page.more)

    def test_count_of_an_empty_page(self):
        page = self._page(limit=5, marker=self.live[-1], with_count=True)
        self.assertEqual(([], False, len(self.live)),
                         (page.rows, page.more, page.count))
        page = self._page(limit=0, with_count=True)
        self.assertEqual(([], False, len(self.live)),
                         (page.rows, page.more, page.count))

    def test_count_of_an_empty_page_and_rows_coming_in(self):
        """A row that belongs on the page comes in just after the page's
        statement found none: the answer holds in one snapshot, the row
        on the page and in the count (not an empty page counting it)."""
        if self.dialect == 'sqlite':
            self.skipTest('one transaction for the whole read on SQLite')
        live = [row for row in self.rows if not row['deleted']]
        # A row after every other in the order: after the marker.
        late = next(
            candidate for candidate in (
                base.backup('0-late', created_at=None),
                base.backup('0-late', created_at=base.at(-10 ** 6)))
            if reference.ordered(live + [candidate], reference.DEFAULT_SORT
                                 )[-1] is candidate)
        inserted = []
        self._page(limit=1)  # what a first read of the engine looks up

        def insert_once(connection, cursor, statement, *args):
            if not inserted and 'ORDER BY' in statement:
                inserted.append(late['id'])
                self.insert([late])
        sa.event.listen(sa.engine.Engine, 'after_cursor_execute',
                        insert_once)
        self.addCleanup(sa.event.remove, sa.engine.Engine,
                        'after_cursor_execute', insert_once)
        page = self._page(limit=5, marker=self.live[-1], with_count=True)
        self.assertEqual(['0-late'], inserted)
        self.assertEqual((['0-late'], False, len(self.live) + 1),
                         ([row.id for row in page.rows], page.more,
                          page.count))

    def test_more_only_when_rows_follow(self):
        page = self._page(limit=len(self.live))
        self.assertFalse(page.more)
        page = self._page(limit=len(self.live) - 1)
        self.assertTrue(page.more)

    def test_deleted_marker_is_a_position(self):
        self.soft_delete([self.live[4]])
        page = self._page(limit=3, marker=self.live[4])
        self.assertEqual(self.live[5:8], [row.id for row in page.rows])

    def test_marker_of_another_project(self):
        self.insert([base.backup('elsewhere', project_id=base.OTHER_PROJECT)])
        self.assertRaises(exception.BackupNotFound, self._page, limit=3,
                          marker='elsewhere',
                          marker_project_id=base.PROJECT)
        self.assertRaises(exception.BackupNotFound, self._page, limit=3,
                          marker='no-such-id')

    def test_every_project(self):
        self.insert([base.backup('elsewhere', project_id=base.OTHER_PROJECT,
                                 created_at=base.at(100))])
        ids = self.list_ids(project_id=None, sort=reference.DEFAULT_SORT)
        self.assertEqual(['elsewhere'] + self.live, ids)

    def test_first_pages_of_one_shape_differ_by_their_values(self):
        # A first page's statement is built once per shape and reused with
        # new values: each request must still get its own rows and count.
        self.insert([base.backup('elsewhere', project_id=base.OTHER_PROJECT,
                                 status='error')])
        for _ in range(2):
            for offset in (0, 2):
                page = self._page(limit=3, offset=offset, with_count=True)
                self.assertEqual(self.live[offset:offset + 3],
                                 [row.id for row in page.rows])
                self.assertEqual(len(self.live), page.count)
            page = self._page(project_id=base.OTHER_PROJECT, limit=3,
                              with_count=True)
            self.assertEqual((['elsewhere'], 1),
                             ([row.id for row in page.rows], page.count))
            available = [row['id'] for row in self.rows
                         if row['status'] == 'available']
            page = self._page(limit=1000, filters=(('status', 'available'),))
            self.assertEqual([i for i in self.live if i in available],
                             [row.id for row in page.rows])
            page = self._page(project_id=base.OTHER_PROJECT, limit=1000,
                              filters=(('status', 'error'),))
            self.assertEqual(['elsewhere'], [row.id for row in page.rows])

    def test_get_and_metadata(self):
        self.insert([base.backup('m1'), base.backup('m2', deleted=True)],
                    [('m1', 'a', '1'), ('m1', None, 'no key'),
                     ('m1', 'b', '2'), ('m1', 'b', 'deleted', True)])
        self.assertEqual('m1', db_api.backup_get(self.context, 'm1').id)
        self.assertRaises(exception.BackupNotFound, db_api.backup_get,
                          self.context, 'm2')
        self.assertRaises(exception.BackupNotFound, db_api.backup_get,
                          self.context, 'm1', project_id=base.OTHER_PROJECT)
        self.assertEqual({'m1': {'a': '1', 'b': '2'}, 'm2': {}},
                         db_api.backup_metadata(self.context, ['m1', 'm2']))


class TestMetadataOfAPage(base.TestCase):
    """A detail page brings its backups' metadata in its own statement:
    each backup once, in order, with its live keys (the last of a key
    wins); ``limit`` backups however many keys each has."""

    def setUp(self):
        super().setUp()
        # m0 the newest: the default order is m0, m1, ..., m5.
        self.insert(
            [base.backup('m%d' % number, created_at=base.at(10 - number))
             for number in range(6)] +
            [base.backup('gone', deleted=True, created_at=base.at(20)),
             base.backup('elsewhere', project_id=base.OTHER_PROJECT)],
            [('m1', 'a', '1'), ('m1', 'b', '2'), ('m1', 'c', '3'),
             ('m2', 'k', 'old'), ('m2', 'k', 'new'),
             ('m3', 'x', 'y', True), ('m4', None, 'no key'),
             ('m4', 'z', ''), ('gone', 'a', 'b'), ('elsewhere', 'a', 'b')])
        self.metadata = {'m0': {}, 'm1': {'a': '1', 'b': '2', 'c': '3'},
                         'm2': {'k': 'new'}, 'm3': {}, 'm4': {'z': ''},
                         'm5': {}}
        self.live = ['m%d' % number for number in range(6)]

    def _page(self, **query):
        query.setdefault('project_id', base.PROJECT)
        query.setdefault('sort', reference.DEFAULT_SORT)
        return db_api.backup_list(self.context, db_api.ListQuery(
            detail=True, metadata=True, **query))

    def assertPage(self, ids, page):
        self.assertEqual(ids, [row.id for row in page.rows])
        self.assertEqual([self.metadata[backup_id] for backup_id in ids],
                         [page.metadata[backup_id] for backup_id in ids])

    def test_pages_of_every_size(self):
        for limit in range(1, 8):
            ids, marker = [], None
            while True:
                page = self._page(limit=limit, marker=marker,
                                  with_count=True)
                self.assertLessEqual(len(page.rows), limit)
                self.assertPage(self.live[len(ids):len(ids) + limit], page)
                self.assertEqual(len(self.live), page.count)
                ids.extend(row.id for row in page.rows)
                if not page.more:
                    break
                marker = ids[-1]
            self.assertEqual(self.live, ids, limit)

    def test_offset_and_other_orders(self):
        self.assertPage(self.live[2:4], self._page(limit=2, offset=2))
        self.assertPage(self.live[::-1][1:4], self._page(
            limit=3, marker='m5', sort=(('created_at', False),
                                        ('id', False))))
        # display_name is NULL in every row: a marker there takes more
        # than one index range (a union of segments).
        self.assertPage(self.live[2:5], self._page(
            limit=3, marker='m1', sort=(('display_name', False),
                                        ('created_at', True),
                                        ('id', True))))

    def test_empty_pages(self):
        self.assertPage([], self._page(limit=0, with_count=True))
        self.assertPage([], self._page(limit=3, marker='m5',
                                       with_count=True))

    def test_the_database_prints_times_as_the_view(self):
        # Some databases format a page's times themselves
        # (db/backend.py): the same text as the view's, from the first
        # second a datetime holds to the last (before 1000, strftime does
        # not pad the year).
        times = [datetime.datetime(1, 1, 1),
                 datetime.datetime(999, 12, 31, 23, 59, 59),
                 datetime.datetime(1000, 1, 1),
                 datetime.datetime(2024, 2, 29, 23, 59, 59),
                 datetime.datetime(9999, 12, 31, 23, 59, 59)]
        self.empty()
        self.insert([base.backup('t%d' % number, created_at=value,
                                 updated_at=value, data_timestamp=None)
                     for number, value in enumerate(times)])
        rows = self._page(limit=9).rows
        self.assertEqual(['t4', 't3', 't2', 't1', 't0'],
                         [row.id for row in rows])
        for row, value in zip(rows, times[::-1]):
            item = views.Detail(_AT_3_45, lambda _row: False)(row, _Links())
            self.assertEqual(
                (views._datetime(value), views._datetime(value), None),
                (item['created_at'], item['updated_at'],
                 item['data_timestamp']))


class TestMetadataOfAPageCinderSchema(TestMetadataOfAPage):
    cinder_schema = True


_AT_3_45 = mv.extract({'OpenStack-API-Version': 'volume 3.45'})


class _Links:
    def item(self, backup_id):
        return []


class TestReadTransaction(base.TestCase):

    def test_reads_of_a_request_share_one_transaction(self):
        # SQLite's driver begins no transaction by itself; the DB API sends
        # BEGIN so that a backup and its metadata are one snapshot.
        if self.dialect != 'sqlite':
            self.skipTest('the transaction is the driver\'s own')
        self.insert([base.backup('b1')])
        seen = []

        def read():
            driver = self.context.connection.connection.driver_connection
            db_api.backup_list(self.context, db_api.ListQuery(
                project_id=base.PROJECT, sort=reference.DEFAULT_SORT,
                limit=5))
            seen.append(driver.in_transaction)
            db_api.backup_metadata(self.context, ['b1'])
            seen.append(driver.in_transaction)
            return driver

        driver = db_api.read(self.context, read)
        self.assertEqual([True, True], seen)
        self.assertFalse(driver.in_transaction)


def _keyset_index(engine):
    with engine.connect() as connection:
        return db_backend._make(connection).keyset_index


class TestKeysetIndex(base.TestCase):
    """Pages after a marker are index ranges where an index orders a
    project's backups by creation, and one scan where none does."""

    def test_our_schema_has_one(self):
        self.assertTrue(_keyset_index(self.db.engine))


class TestKeysetIndexCinderSchema(base.TestCase):
    cinder_schema = True

    def test_cinder_has_none(self):
        self.assertFalse(_keyset_index(self.db.engine))

    def test_unless_the_operator_adds_it(self):
        # The index the README lets an operator add to a Cinder database.
        with self.db.engine.begin() as connection:
            connection.execute(sa.text(
                'CREATE INDEX backups_project_created_idx ON backups '
                '(project_id, deleted, created_at, id)'))
        self.assertTrue(_keyset_index(self.db.engine))
