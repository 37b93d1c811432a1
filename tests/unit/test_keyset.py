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

"""The keyset segments of vbs_native/db/keyset.py (``after``) as pure
logic: clauses are evaluated in Python, with SQL's NULL semantics, and the
union of the segments, in their order, must be exactly the rows strictly
after the marker in sort order (NULL lowest), already sorted."""

import functools
import itertools
import random

from oslotest import base as oslotest_base

from vbs_native.db import keyset


def _is_true(value):
    # SQL: only TRUE selects a row; NULL (unknown) does not.
    return value is True


class Col:
    """A column of the fake backend: comparisons build predicates over a
    row (a dict), as SQL would evaluate them."""

    def __init__(self, name):
        self.name = name

    def is_(self, value):
        assert value is None
        return lambda row: row[self.name] is None

    def isnot(self, value):
        assert value is None
        return lambda row: row[self.name] is not None

    def __eq__(self, value):
        def predicate(row):
            if row[self.name] is None or value is None:
                return None
            return row[self.name] == value
        return predicate

    __hash__ = object.__hash__


class FakeBackend:
    """Backend.after: the rows strictly after ``values`` on ``exprs`` in one
    direction, a row-value comparison with SQL's NULL rules."""

    def after(self, exprs, values, desc):
        def predicate(row):
            for expr, value in zip(exprs, values):
                mine = row[expr.name]
                if mine is None or value is None:
                    return None
                if mine != value:
                    return mine < value if desc else mine > value
            return False
        return predicate


def _compare(keys, a, b):
    for name, desc, _nullable in keys:
        x, y = a[name], b[name]
        if x == y:
            continue
        if x is None or y is None:
            result = -1 if x is None else 1
        else:
            result = -1 if x < y else 1
        return -result if desc else result
    return 0


def _clauses(segment):
    # A segment is its where-clauses, or carries them as ``clauses``.
    return getattr(segment, 'clauses', segment)


def _select(segments, rows):
    """The union of the segments, in segment order, each sorted."""
    return [[row for row in rows
             if all(_is_true(clause(row)) for clause in _clauses(segment))]
            for segment in segments]


class TestAfterMarker(oslotest_base.BaseTestCase):

    def check(self, keys, rows, marker):
        backend = FakeBackend()
        exprs = [(Col(name), desc, nullable)
                 for name, desc, nullable in keys]
        values = [marker[name] for name, _d, _n in keys]
        segments = keyset.after(backend, exprs, values)
        ordered = sorted(rows, key=functools.cmp_to_key(
            functools.partial(_compare, keys)))
        expected = [row for row in ordered
                    if _compare(keys, row, marker) > 0]
        selected = _select(segments, ordered)
        got = [row for part in selected for row in part]
        context = 'keys=%s marker=%s' % (keys, marker)
        # Exactly the rows after the marker, once each, in sort order:
        # segments are disjoint and in order.
        self.assertEqual([r['id'] for r in expected],
                         [r['id'] for r in got], context)

    def test_single_keys(self):
        rows = [{'id': i, 'a': v} for i, v in enumerate(
            [None, 1, 1, 2, None, 3])]
        for desc in (False, True):
            for row in rows:
                self.check([('a', desc, True), ('id', desc, False)],
                           rows, row)

    def test_null_marker_between_keys_of_one_direction(self):
        # A descending key whose marker value is NULL sits between two
        # descending keys; its rows equal on the first key and NULL on it
        # come after the marker (a 'null' piece does not separate them
        # when the next key is NOT NULL).
        keys = [('s', True, True), ('n', True, True), ('v', True, False),
                ('id', True, False)]
        rows = [
            {'id': 1, 's': 'x', 'n': None, 'v': 'b'},  # the marker
            {'id': 2, 's': 'x', 'n': None, 'v': 'a'},  # after it
            {'id': 3, 's': 'x', 'n': 5, 'v': 'a'},  # before it
            {'id': 4, 's': 'w', 'n': None, 'v': 'c'},  # after it
            {'id': 5, 's': None, 'n': 1, 'v': 'z'},  # after it
        ]
        self.check(keys, rows, rows[0])

    def test_exhaustive_small_tables(self):
        # Every direction and nullability of up to three keys before the
        # id, over rows drawn from small domains with NULLs and ties.
        rng = random.Random(4)
        domain = [None, 1, 2]
        for count in (1, 2, 3):
            for directions in itertools.product((False, True),
                                                repeat=count):
                for nullables in itertools.product((False, True),
                                                   repeat=count):
                    names = ['k%d' % i for i in range(count)]
                    keys = [(name, desc, nullable) for name, desc, nullable
                            in zip(names, directions, nullables)]
                    keys.append(('id', directions[0], False))
                    rows = []
                    for row_id in range(14):
                        row = {'id': row_id}
                        for name, _desc, nullable in keys[:-1]:
                            row[name] = rng.choice(
                                domain if nullable else domain[1:])
                        rows.append(row)
                    for marker in rows:
                        self.check(keys, rows, marker)

    def test_id_only(self):
        rows = [{'id': i} for i in range(5)]
        for desc in (False, True):
            for marker in rows:
                self.check([('id', desc, False)], rows, marker)

    def test_segment_count_stays_small(self):
        # Runs of one direction collapse: created_at desc, id desc after a
        # NOT NULL marker is one row-value comparison plus the NULL piece.
        exprs = [(Col('created_at'), True, True), (Col('id'), True, False)]
        segments = keyset.after(FakeBackend(), exprs, [5, 9])
        self.assertEqual(2, len(segments))
        exprs = [(Col('created_at'), False, False),
                 (Col('id'), False, False)]
        segments = keyset.after(FakeBackend(), exprs, [5, 9])
        self.assertEqual(1, len(segments))
