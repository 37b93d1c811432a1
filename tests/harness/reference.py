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

"""What CONTRACT.md section 8 says the database must answer, in Python:
the order of a sorted list, and which rows a filter keeps. The DB API must
give exactly these answers on every database."""

import functools

# The contract's default: created_at desc, id desc.
DEFAULT_SORT = (('created_at', True), ('id', True))


def sort_keys(pairs):
    """(column, descending) pairs as asked, then created_at and id in the
    first key's direction, each column once, ending at id."""
    keys = []
    for name, desc in list(pairs) + [('created_at', pairs[0][1]),
                                     ('id', pairs[0][1])]:
        if name not in [key for key, _desc in keys]:
            keys.append((name, desc))
        if name == 'id':
            break
    return tuple(keys)


def _compare(a, b):
    # NULL is lower than any value; strings compare by code point.
    if a is None or b is None:
        return (a is not None) - (b is not None)
    return (a > b) - (a < b)


def ordered(rows, keys):
    """``rows`` (dicts) in the order of ``keys``, (column, descending)."""
    def compare(x, y):
        for name, desc in keys:
            result = _compare(x[name], y[name])
            if result:
                return -result if desc else result
        return 0
    return sorted(rows, key=functools.cmp_to_key(compare))


def fold(value):
    """Case folding of the fuzzy filters: each character to its simple
    lowercase mapping (no context, one character to one)."""
    return ''.join(_simple_lower(char) for char in value)


def _simple_lower(char):
    lower = char.lower()
    # Only U+0130 has a longer full mapping; its simple one is 'i'.
    return lower if len(lower) == 1 else lower[0]


def matches(row, filters=(), fuzzy=()):
    """Live row matching exact ``filters`` (by value, as the service's own
    database compares) and substring ``fuzzy`` filters."""
    if row['deleted']:
        return False
    for name, value in filters:
        if row[name] != value:
            return False
    for name, value in fuzzy:
        if row[name] is None or fold(value) not in fold(row[name]):
            return False
    return True
