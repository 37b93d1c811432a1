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

"""What the contract says a list must return for the data set, computed in
Python from tests/functional/data.py: the expected side of the functional
tests, written from CONTRACT.md, not from the service's code."""

from tests.functional import data
from tests.harness import reference

# API sort key -> column (``name`` from 3.37).
SORT_COLUMNS = {
    'created_at': 'created_at', 'updated_at': 'updated_at', 'id': 'id',
    'status': 'status', 'size': 'size', 'display_name': 'display_name',
    'volume_id': 'volume_id', 'availability_zone': 'availability_zone',
    'container': 'container', 'data_timestamp': 'data_timestamp',
    'name': 'display_name'}
FILTER_COLUMNS = {'name': 'display_name', 'status': 'status',
                  'volume_id': 'volume_id'}


def rows(project=data.PROJECT, filters=None, fuzzy=None):
    """Live rows of ``project`` (every project when None) matching exact
    ``filters`` and substring ``fuzzy`` ({API key: value})."""
    def columns(values):
        return [(FILTER_COLUMNS[key], value)
                for key, value in (values or {}).items()]
    return [row for row, _meta in data.BACKUPS
            if (project is None or row['project_id'] == project)
            and reference.matches(row, columns(filters), columns(fuzzy))]


def sort_keys(sort):
    """``sort`` as the API takes it (``k1:d1,k2``) -> [(column, desc)]:
    missing directions are desc, then created_at and id in the first key's
    direction; nothing after id."""
    pairs = []
    for item in sort.split(','):
        key, _sep, direction = item.partition(':')
        pairs.append((SORT_COLUMNS[key], (direction or 'desc') == 'desc'))
    return reference.sort_keys(pairs)


def ordered(selected, sort='created_at:desc'):
    return reference.ordered(selected, sort_keys(sort))


def ids(selected):
    return [row['id'] for row in selected]


def by_id(backup_id):
    for row, meta in data.BACKUPS:
        if row['id'] == backup_id:
            return row, meta
    raise KeyError(backup_id)


def backup_id(number):
    return 'b%07d-0000-0000-0000-000000000000' % number
