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

"""The views: pure functions of rows (CONTRACT.md section 4)."""

import collections
import datetime

from oslotest import base as oslotest_base

from vbs_native.api import microversion as mv
from vbs_native.api.views import backups as views
from vbs_native.api.views import links
from vbs_native.db import api as db_api

Row = collections.namedtuple('Row', db_api.DETAIL_COLUMNS)
BASE_KEYS = [
    'id', 'status', 'size', 'object_count', 'availability_zone',
    'container', 'created_at', 'updated_at', 'name', 'description',
    'fail_reason', 'volume_id', 'links', 'is_incremental',
    'has_dependent_backups', 'snapshot_id', 'data_timestamp']
LINKS = links.Links(links.Base('http://h', '/v3'), '/native', 'p1')


def version(value):
    return mv.extract({'OpenStack-API-Version': 'volume %s' % value})


def row(**values):
    defaults = dict.fromkeys(db_api.DETAIL_COLUMNS)
    defaults.update(id='b1', status='available', size=1, object_count=0,
                    volume_id='v1', num_dependent_backups=0,
                    project_id='p1', user_id='u1',
                    created_at=datetime.datetime(2024, 1, 2, 3, 4, 5, 6))
    defaults.update(values)
    return Row(**defaults)


def summary(row):
    # The DB API's summary rows are (id, display_name).
    return views.summaries([(row.id, row.display_name)], LINKS)[0]


class TestSummary(oslotest_base.BaseTestCase):

    def test_exactly_id_name_links(self):
        item = summary(row(display_name='n'))
        self.assertEqual(['id', 'name', 'links'], list(item))
        self.assertEqual('n', item['name'])
        self.assertEqual(
            [{'rel': 'self', 'href': 'http://h/v3/p1/native/backups/b1'},
             {'rel': 'bookmark', 'href': 'http://h/p1/native/backups/b1'}],
            item['links'])

    def test_no_name_is_null(self):
        self.assertIsNone(summary(row())['name'])

    def test_a_page_links_each_item_as_item_does(self):
        plain = [('b1', 'n1'), ('b-2.x~_', None)]
        for rows in (plain, plain + [('a/b c\u00e9', 'n3')]):
            self.assertEqual(
                [{'id': backup_id, 'name': name,
                  'links': LINKS.item(backup_id)}
                 for backup_id, name in rows],
                views.summaries(rows, LINKS))
        self.assertEqual('http://h/v3/p1/native/backups/a%2Fb%20c%C3%A9',
                         views.summaries([('a/b c\u00e9', None)], LINKS)[0][
                             'links'][0]['href'])


def always(row):
    return True


def never(row):
    return False


class TestDetail(oslotest_base.BaseTestCase):

    def test_fields_and_order_at_3_0(self):
        item = views.Detail(version('3.0'), always)(
            row(display_name='n', display_description='d',
                parent_id='b0', num_dependent_backups=3,
                encryption_key_id='k1'), LINKS)
        self.assertEqual(BASE_KEYS, list(item))
        self.assertTrue(item['is_incremental'])
        self.assertTrue(item['has_dependent_backups'])
        self.assertEqual('2024-01-02T03:04:05.000006', item['created_at'])
        self.assertIsNone(item['updated_at'])
        self.assertEqual('d', item['description'])

    def test_each_column_where_the_db_api_puts_it(self):
        values = {name: name for name in db_api.DETAIL_COLUMNS}
        values.update(created_at=datetime.datetime(2024, 1, 1),
                      updated_at=datetime.datetime(2024, 1, 2),
                      data_timestamp=datetime.datetime(2024, 1, 3))
        # A page read with its count has the count as a last column.
        item = views.Detail(version('3.64'), always)(
            tuple(Row(**values)) + (7,), LINKS)
        self.assertEqual({
            'id': 'id', 'status': 'status', 'size': 'size',
            'object_count': 'object_count',
            'availability_zone': 'availability_zone',
            'container': 'container', 'name': 'display_name',
            'description': 'display_description',
            'fail_reason': 'fail_reason', 'volume_id': 'volume_id',
            'snapshot_id': 'snapshot_id',
            'encryption_key_id': 'encryption_key_id',
            'os-backup-project-attr:project_id': 'project_id',
            'user_id': 'user_id',
            'created_at': '2024-01-01T00:00:00.000000',
            'updated_at': '2024-01-02T00:00:00.000000',
            'data_timestamp': '2024-01-03T00:00:00.000000'},
            {key: value for key, value in item.items()
             if key not in ('links', 'metadata', 'is_incremental',
                            'has_dependent_backups')})

    def test_versioned_fields(self):
        base = row(encryption_key_id='k1')
        for at, admin, extra in [
                ('3.17', True, []),
                ('3.18', True, ['os-backup-project-attr:project_id']),
                ('3.18', False, []),
                ('3.42', True, ['os-backup-project-attr:project_id']),
                ('3.43', True, ['metadata',
                                'os-backup-project-attr:project_id']),
                ('3.55', False, ['metadata']),
                ('3.56', True, ['metadata',
                                'os-backup-project-attr:project_id',
                                'user_id']),
                ('3.63', False, ['metadata']),
                ('3.64', False, ['metadata', 'encryption_key_id']),
                ('3.71', True, ['metadata', 'encryption_key_id',
                                'os-backup-project-attr:project_id',
                                'user_id'])]:
            item = views.Detail(version(at), lambda row: admin,
                                {'b1': {'k': 'v'}})(
                base, LINKS)
            self.assertEqual(BASE_KEYS + extra, list(item), (at, admin))
        item = views.Detail(version('3.71'), always, {'b1': {'k': 'v'}})(
            base, LINKS)
        self.assertEqual({'k': 'v'}, item['metadata'])
        self.assertEqual('k1', item['encryption_key_id'])
        self.assertEqual('p1', item['os-backup-project-attr:project_id'])
        self.assertEqual('u1', item['user_id'])

    def test_owner_ids_asked_of_each_backup(self):
        asked = []

        def shows_owner(row):
            asked.append(row.id)
            return row.id == 'b1'

        detail = views.Detail(version('3.56'), shows_owner)
        own = detail(row(), LINKS)
        other = detail(row(id='b2', user_id='u2'), LINKS)
        self.assertEqual(['b1', 'b2'], asked)
        self.assertEqual('u1', own['user_id'])
        self.assertNotIn('user_id', other)
        self.assertNotIn('os-backup-project-attr:project_id', other)

    def test_metadata_defaults_to_empty(self):
        item = views.Detail(version('3.43'), never)(row(), LINKS)
        self.assertEqual({}, item['metadata'])

    def test_no_key_when_unset_or_all_zeros(self):
        detail = views.Detail(version('3.64'), never)
        for key in (None, '', views.FIXED_KEY_ID):
            self.assertNotIn('encryption_key_id',
                             detail(row(encryption_key_id=key), LINKS))


class TestListView(oslotest_base.BaseTestCase):

    def test_envelope_order(self):
        self.assertEqual(['backups', 'backups_links', 'count'],
                         list(views.list_view([], [{'rel': 'next'}], 0)))

    def test_count_zero_is_shown(self):
        self.assertEqual({'backups': [], 'count': 0},
                         views.list_view([], None, 0))

    def test_no_links_no_count(self):
        self.assertEqual({'backups': [1]}, views.list_view([1]))
