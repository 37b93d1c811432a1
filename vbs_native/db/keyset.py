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

"""Keyset pagination: the rows strictly after a marker, in sort order, as a
few index ranges (segments) whose union, in order, is the rest of the list.

A sort key is ``(expression, descending, nullable)``; the keys end with the
unique id, and NULL sorts lowest. The backend (db/backend.py) says how its
database orders and compares them.
"""

import typing

import sqlalchemy as sa


class Segment(typing.NamedTuple):
    """Where-clauses of one index range, and how many leading sort keys
    they fix to one value (left out of its ORDER BY: MySQL sorts a range
    that ``created_at IS NULL`` fixes by filesort otherwise)."""

    clauses: tuple
    fixed: int

    def order(self, backend, keys):
        return [backend.order_by(expr, desc, nullable)
                for expr, desc, nullable in keys[self.fixed:]]


# The whole list, from its first row.
EVERY_ROW = Segment((), 0)


def after(backend, keys, values):
    """Segments whose union, in this order, is every row strictly after
    the marker whose sort key values are ``values``.

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
    return Segment(tuple(clauses), first)


def one_scan(segments):
    """The segments as one, for a table with no index to range over
    (Cinder's schema): each segment would scan the whole project again."""
    return Segment((sa.or_(*[sa.and_(*segment.clauses)
                             for segment in segments]),), 0)


def union(backend, columns, where, keys, segments, fetch, offset,
          hinted=lambda select: select):
    """The page's statement over several segments: each is an index range
    in sort order; the union, in segment order, is the page. ``hinted``
    adds the backend's table hint to each segment's read."""
    sort_columns = [expr.label('_k%d' % i) for i, (expr, _d, _n)
                    in enumerate(keys)]
    parts = [
        hinted(sa.select(*[c for c in columns if c.name != '_count'],
                         *sort_columns, sa.literal(number).label('_segment'))
               .where(*where, *segment.clauses)
               .order_by(*segment.order(backend, keys))
               .limit(_window(fetch, offset))).subquery()
        for number, segment in enumerate(segments)]
    rows = sa.union_all(*[sa.select(part) for part in parts]).subquery()
    outer_order = [rows.c._segment] + [
        backend.order_by(rows.c['_k%d' % i], desc, nullable)
        for i, (_e, desc, nullable) in enumerate(keys)]
    outer_columns = [column if column.name == '_count' else
                     rows.c[column.name] for column in columns]
    return (sa.select(*outer_columns).order_by(*outer_order)
            .limit(fetch)
            .offset(None if isinstance(offset, int) and not offset
                    else offset))


def _window(fetch, offset):
    """How many rows of a segment the page may need: ``fetch`` and
    ``offset`` are numbers, or the parameters of a cached statement (whose
    ``window`` parameter is then their sum)."""
    if isinstance(fetch, int) and isinstance(offset, int):
        return fetch + offset
    return sa.bindparam('window', type_=sa.Integer)
