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

"""Pagination integrity, as a client sees it: following ``backups_links``
from any first page returns each matching backup exactly once, in sort
order, on every database; and while other backups come and go between
pages, every backup that stays loses nothing and repeats nothing.

Property tests over generated data sets: many backups in the same second
(MySQL's DATETIME keeps whole seconds), NULL and empty names, every sort
key in both directions, filters, and an offset on the first request; the
detail list brings each backup's metadata in the page's own statement, so
it is walked too, with metadata drawn for the backups.
``VBS_NATIVE_TEST_EXAMPLES=N`` runs N random examples instead of CI's
fixed ones.
"""

import os
import urllib.parse
import uuid

import hypothesis
from hypothesis import strategies as st

from tests import fixtures
from tests.functional.db import base
from tests.harness import links
from tests.harness import reference

_EXPLORE = os.environ.get('VBS_NATIVE_TEST_EXAMPLES')


def _settings(examples):
    phases = set(hypothesis.Phase)
    if not _EXPLORE:
        # Shrinking against a database can take minutes; CI reports the
        # example as found (and the blob that reproduces it).
        phases.discard(hypothesis.Phase.shrink)
    return hypothesis.settings(
        max_examples=int(_EXPLORE or examples), derandomize=not _EXPLORE,
        deadline=None, database=None, print_blob=True, phases=phases,
        suppress_health_check=[hypothesis.HealthCheck.too_slow])


_SECONDS = st.one_of(st.none(), st.integers(0, 3))
_TEXT = st.one_of(st.none(), st.sampled_from(
    ['', 'a', 'A', 'a ', 'b', 'é', 'É', 'ж', '100%', '_x', 'x\\']))


@st.composite
def _rows(draw, min_size=6, max_size=25):
    ids = draw(st.lists(st.integers(0, 2 ** 128 - 1), unique=True,
                        min_size=min_size, max_size=max_size))
    values = draw(st.lists(st.fixed_dictionaries({
        'created_at': st.one_of(st.none(), st.integers(0, 3)),
        'updated_at': _SECONDS,
        'data_timestamp': _SECONDS,
        'display_name': _TEXT,
        'status': st.sampled_from(['available', 'error', 'Error']),
        'volume_id': st.sampled_from(['v1', 'V1', 'v2']),
        'availability_zone': _TEXT,
        'container': _TEXT,
        'size': st.one_of(st.none(), st.integers(0, 2)),
        'project_id': st.sampled_from([base.PROJECT] * 4 +
                                      [base.OTHER_PROJECT]),
        'deleted': st.sampled_from([False] * 5 + [True]),
    }), min_size=len(ids), max_size=len(ids)))
    rows = []
    for number, value in zip(ids, values):
        for name in ('created_at', 'updated_at', 'data_timestamp'):
            value[name] = base.at(value[name])
        rows.append(base.backup(str(uuid.UUID(int=number)), **value))
    return rows


@st.composite
def _metadata(draw, rows):
    """(backup id, key, value, deleted) tuples for some of ``rows``: a
    key may repeat (the last live one wins), be deleted, or be NULL."""
    keys = st.one_of(st.sampled_from(['a', 'b', 'c']),
                     st.none() if draw(st.booleans()) else st.just('a'))
    return [(row['id'], key, value, deleted) for row in rows
            for key, value, deleted in draw(st.lists(
                st.tuples(keys, st.sampled_from(['1', '2', '']),
                          st.sampled_from([False, False, True])),
                max_size=3))]


def _shown(metadata):
    """{backup id: {key: value}} as a detail item shows it."""
    shown = {}
    for backup_id, key, value, deleted in metadata:
        if not deleted and key is not None:
            shown.setdefault(backup_id, {})[key] = value
    return shown


_SORT_PARAMS = {'created_at': 'created_at', 'updated_at': 'updated_at',
                'id': 'id', 'status': 'status', 'size': 'size',
                'name': 'display_name', 'volume_id': 'volume_id',
                'availability_zone': 'availability_zone',
                'container': 'container', 'data_timestamp': 'data_timestamp'}

_SORTS = st.lists(st.tuples(st.sampled_from(sorted(_SORT_PARAMS)),
                            st.sampled_from(['asc', 'desc'])),
                  min_size=1, max_size=3, unique_by=lambda pair: pair[0])

_QUERIES = st.fixed_dictionaries({
    # One in four requests has no sort: the default order.
    'sort': st.sampled_from([True, True, True, False]).flatmap(
        lambda sorted_: _SORTS if sorted_ else st.just([])),
    'limit': st.integers(1, 4),
    'offset': st.integers(0, 4),
    'filter': st.sampled_from([None, ('status', 'error'), ('name~', 'A'),
                               ('name~', ''), ('status~', 'ERR'),
                               ('volume_id', 'v1')]),
    'with_count': st.booleans(),
    # The detail list, each item with its metadata (3.45).
    'detail': st.booleans(),
})

_FILTERS = {'status': ('filters', 'status'),
            'volume_id': ('filters', 'volume_id'),
            'name~': ('fuzzy', 'display_name'),
            'status~': ('fuzzy', 'status')}


def _expected(rows, query):
    """The matching rows of the project in the contract's order."""
    keys = reference.DEFAULT_SORT
    if query['sort']:
        keys = reference.sort_keys([(_SORT_PARAMS[key], direction == 'desc')
                                    for key, direction in query['sort']])
    match = {}
    if query['filter']:
        kind, column = _FILTERS[query['filter'][0]]
        match[kind] = ((column, query['filter'][1]),)
    return keys, reference.ordered(
        [row for row in rows if row['project_id'] == base.PROJECT
         and reference.matches(row, **match)], keys)


def _first_url(query):
    params = [('limit', query['limit'])]
    if query['sort']:
        params.append(('sort', ','.join('%s:%s' % pair
                                        for pair in query['sort'])))
    if query['offset']:
        params.append(('offset', query['offset']))
    if query['filter']:
        params.append(query['filter'])
    if query['with_count']:
        params.append(('with_count', 'true'))
    return '/v3/%s/native/backups%s?%s' % (
        base.PROJECT, '/detail' if query.get('detail') else '',
        urllib.parse.urlencode(params))


class TestWalk(base.TestCase):

    def setUp(self):
        super().setUp()
        conf = self.useFixture(fixtures.Conf()).conf
        self.app = self.useFixture(fixtures.Application(conf)).app

    def _walk(self, query, between_pages=None, max_pages=100,
              check_count=True):
        """The ids of every page, following next links; ``between_pages``
        is called with the ids so far after each page but the last."""
        def fetch(href):
            href = urllib.parse.urlsplit(href)
            return base.get(self, self.app, '%s?%s' % (href.path, href.query))

        ids = []
        for _href, body in links.walk(fetch, _first_url(query), max_pages):
            ids.extend(item['id'] for item in body['backups'])
            if query.get('detail'):
                self.assertEqual(
                    [self._metadata.get(item['id'], {})
                     for item in body['backups']],
                    [item['metadata'] for item in body['backups']])
            if check_count:
                self._check_count(query, body)
            if body.get('backups_links'):
                link = body['backups_links'][0]
                self.assertEqual('next', link['rel'])
                self.assertNotIn('offset=',
                                 urllib.parse.urlsplit(link['href']).query)
                if between_pages is not None:
                    between_pages(ids)
        return ids

    def _check_count(self, query, body):
        if query['with_count']:
            self.assertEqual(self._count, body['count'])
        else:
            self.assertNotIn('count', body)

    def _load(self, rows, metadata=()):
        self.empty()
        self.insert(rows, metadata)
        self._metadata = _shown(metadata)

    @_settings(15)
    @hypothesis.given(rows=_rows().flatmap(
        lambda rows: st.tuples(st.just(rows), _metadata(rows))),
        query=_QUERIES)
    def test_every_row_once_in_order(self, rows, query):
        rows, metadata = rows
        self._load(rows, metadata)
        # The drawn sort, the default one, and every key both ways.
        sorts = [query['sort'], []] + [
            [(key, direction)] for key in sorted(_SORT_PARAMS)
            for direction in ('asc', 'desc')]
        for sort in sorts:
            query = dict(query, sort=sort)
            _keys, expected = _expected(rows, query)
            self._count = len(expected)
            ids = self._walk(query)
            self.assertEqual(
                [row['id'] for row in expected[query['offset']:]], ids,
                query)

    @_settings(25)
    @hypothesis.given(rows=_rows(min_size=5), query=_QUERIES,
                      data=st.data())
    def test_rows_that_stay_while_others_come_and_go(self, rows, query,
                                                     data):
        self._load(rows)
        keys, expected = _expected(rows, query)
        expected = [row['id'] for row in expected[query['offset']:]]
        # Rows that may be soft-deleted between pages; all others stay.
        volatile = {row['id'] for row in rows
                    if data.draw(st.booleans(), label='volatile')}
        everything = {row['id']: row for row in rows}
        gone = set()  # deleted before the walk could have reached them

        def change(ids):
            new = data.draw(_rows(min_size=0, max_size=3), label='inserted')
            new = [row for row in new if row['id'] not in everything]
            if new:
                self.insert(new)
            everything.update((row['id'], row) for row in new)
            volatile.update(row['id'] for row in new)
            doomed = data.draw(st.sets(st.sampled_from(sorted(volatile))),
                               label='deleted') if volatile else set()
            if data.draw(st.booleans(), label='delete the marker'):
                self.soft_delete([ids[-1]])
            if doomed:
                self.soft_delete(doomed)
                volatile.difference_update(doomed)
                gone.update(doomed - set(ids))

        # The count follows the changes; only the walk is checked here.
        ids = self._walk(query, change,
                         check_count=not query['with_count'])

        self.assertEqual(len(ids), len(set(ids)), 'a row came twice')
        stayed = [backup_id for backup_id in expected
                  if backup_id not in gone]
        self.assertEqual([], [backup_id for backup_id in stayed
                              if backup_id not in ids], 'rows were lost')
        self.assertEqual([everything[backup_id] for backup_id in ids],
                         reference.ordered(
                             [everything[backup_id] for backup_id in ids],
                             keys), 'out of order')
