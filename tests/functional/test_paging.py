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

"""Walking next links to the end, comparing whole orders with the contract's
(tests/functional/model.py): every matching backup exactly once, in order,
from any first page; links exactly when more rows follow."""

import urllib.parse

from tests.functional import base
from tests.functional import data
from tests.functional import model
from tests.harness import links

NATIVE = '/v3/%s/native/backups' % data.PROJECT

SORTS = [
    None,  # created_at desc, id desc
    'created_at:asc',
    'display_name:asc', 'display_name:desc',
    'name:asc,size:desc', 'name',
    'size:asc', 'size:desc,name:asc', 'size:asc,id:desc',
    'status:asc,volume_id:desc', 'volume_id:desc',
    'updated_at:asc', 'updated_at:desc',
    'data_timestamp:asc', 'data_timestamp',
    'availability_zone:asc,container:desc,display_name:asc',
    'container:desc,availability_zone:asc',
    'id:asc', 'id:desc',
    # A key in the other direction whose marker value may be NULL, between
    # keys of one direction.
    'status:asc,name:desc', 'status:desc,size:desc,volume_id:desc',
    'volume_id:asc,data_timestamp:desc,status:asc',
]


class TestPaging(base.APITestCase):

    def walk(self, url, version='3.45', **kwargs):
        """Follow next links from ``url``; return the pages' ids."""
        pages = []
        for url, body in links.walk(
                lambda url: self.get_json(url, version=version, **kwargs),
                url, max_pages=50):
            if pages:  # a next link
                self.assertTrue(url.startswith(base.BASE + '/v3/'), url)
            pages.append([item['id'] for item in body['backups']])
            if body.get('backups_links'):
                self.assertEqual(1, len(body['backups_links']), body)
                self.assertEqual('next', body['backups_links'][0]['rel'])
        return pages

    def check_walk(self, expected, limit, offset=0, sort=None, **params):
        query = dict(params)
        if sort:
            query['sort'] = sort
        query['limit'] = limit
        if offset:
            query['offset'] = offset
        pages = self.walk(NATIVE + '?' + base.query(**query))
        got = [backup_id for page in pages for backup_id in page]
        context = 'limit=%s offset=%s sort=%s %s' % (
            limit, offset, sort, params)
        self.assertEqual(expected[offset:], got, context)
        # Links exactly when more rows follow: every page but the last is
        # full, and the last one is not empty (unless nothing matches).
        for page in pages[:-1]:
            self.assertEqual(limit, len(page), context)
        if len(pages) > 1:
            self.assertNotEqual([], pages[-1], context)

    def check_sorts(self, sorts):
        for sort in sorts:
            expected = model.ids(model.ordered(model.rows(),
                                               sort or 'created_at:desc'))
            for limit in (1, 2, 3, 5, 16, 17, 100):
                self.check_walk(expected, limit, sort=sort)

    def test_every_sort_every_limit_1(self):
        self.check_sorts(SORTS[0::3])

    def test_every_sort_every_limit_2(self):
        self.check_sorts(SORTS[1::3])

    def test_every_sort_every_limit_3(self):
        self.check_sorts(SORTS[2::3])

    def test_first_page_with_offset(self):
        # Cinder keeps offset in its next links and loses rows; here the
        # walk returns every row after the first offset ones exactly once.
        for sort in (None, 'name:asc', 'size:desc', 'data_timestamp:asc'):
            expected = model.ids(model.ordered(model.rows(),
                                               sort or 'created_at:desc'))
            for limit, offset in ((1, 1), (2, 1), (3, 4), (5, 2), (4, 16),
                                  (2, 17), (1, 30)):
                self.check_walk(expected, limit, offset=offset, sort=sort)

    def test_filtered_walk(self):
        cases = [
            ({'status': 'available'}, {}),
            ({'volume_id': data.VOLUME_B}, {}),
            ({}, {'name~': 'DAILY'}),
            ({}, {'name~': ''}),
            ({'status': 'available'}, {'name~': 'e'}),
        ]
        for filters, fuzzy in cases:
            selected = model.rows(
                filters=filters,
                fuzzy={key.rstrip('~'): value
                       for key, value in fuzzy.items()})
            self.assertNotEqual([], selected)
            for sort in (None, 'name:asc', 'size:asc,status:desc'):
                expected = model.ids(model.ordered(
                    selected, sort or 'created_at:desc'))
                for limit in (1, 2, 4):
                    self.check_walk(expected, limit, sort=sort,
                                    **filters, **fuzzy)

    def test_all_tenants_walk(self):
        expected = model.ids(model.ordered(model.rows(project=None),
                                           'name:asc'))
        pages = self.walk(
            '/v3/native/backups?all_tenants=true&sort=name:asc&limit=4',
            roles='admin')
        self.assertEqual(expected, [i for page in pages for i in page])

    def test_walk_detail_and_cinder_routes(self):
        expected = model.ids(model.ordered(model.rows()))
        for path in ('/v3/native/backups/detail', '/v3/backups',
                     '/v3/backups/detail',
                     '/v3/%s/backups/detail' % data.PROJECT):
            pages = self.walk(path + '?limit=3')
            self.assertEqual(expected, [i for page in pages for i in page],
                             path)

    def test_next_link_keeps_parameters_drops_offset_and_marker(self):
        marker = model.backup_id(16)
        body = self.get_json(
            NATIVE + '?name~=e&limit=1&offset=1&sort=name:asc'
            '&marker=%s&with_count=true&status=available' % marker,
            version='3.45')
        href = body['backups_links'][0]['href']
        url = urllib.parse.urlsplit(href)
        self.assertEqual(NATIVE, url.path)
        params = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        self.assertEqual(
            [('name~', 'e'), ('limit', '1'), ('sort', 'name:asc'),
             ('with_count', 'true'), ('status', 'available'),
             ('marker', body['backups'][-1]['id'])], params)
        self.assertEqual(len(model.rows(filters={'status': 'available'},
                                        fuzzy={'name': 'e'})),
                         body['count'])

    def test_links_only_when_more_rows_follow(self):
        total = len(model.rows())
        for limit, more in ((total - 1, True), (total, False),
                            (total + 1, False)):
            body = self.get_json(NATIVE + '?limit=%d' % limit)
            self.assertEqual(min(limit, total), len(body['backups']))
            self.assertEqual(more, 'backups_links' in body, limit)
        # No limit: the cap (osapi_max_limit, 1000), so one page.
        body = self.get_json(NATIVE)
        self.assertEqual(total, len(body['backups']))
        self.assertNotIn('backups_links', body)

    def test_soft_deleted_marker_is_a_position(self):
        # Backup 17 is deleted; created at 17s, it sorts first by default.
        order = model.ids(model.ordered(model.rows()))
        body = self.get_json(NATIVE + '?marker=%s&limit=3'
                             % model.backup_id(17))
        self.assertEqual(order[:3], [b['id'] for b in body['backups']])
        # In name order it sits between 'daily-2' and 'has-children'.
        names = model.ordered(model.rows(), 'name:asc')
        after = [row['id'] for row in names
                 if row['display_name'] is not None
                 and row['display_name'] > 'gone']
        body = self.get_json(NATIVE + '?sort=name:asc&marker=%s'
                             % model.backup_id(17), version='3.37')
        self.assertEqual(after, [b['id'] for b in body['backups']])

    def test_marker_outside_the_filters_is_a_position(self):
        order = model.ordered(model.rows(), 'name:asc')
        # Backup 2 (status error) is excluded by the filter, yet marks a
        # position.
        position = [row['id'] for row in order].index(model.backup_id(2))
        expected = [row['id'] for row in order[position + 1:]
                    if row['status'] == 'available']
        body = self.get_json(NATIVE + '?sort=name:asc&status=available'
                             '&marker=%s' % model.backup_id(2),
                             version='3.37')
        self.assertEqual(expected, [b['id'] for b in body['backups']])

    def test_offset_with_marker_skips_after_the_marker(self):
        order = model.ids(model.ordered(model.rows()))
        marker = order[2]
        body = self.get_json(NATIVE + '?marker=%s&offset=2&limit=3' % marker)
        self.assertEqual(order[5:8], [b['id'] for b in body['backups']])
        self.assertNotIn('offset=', body['backups_links'][0]['href'])

    def test_admin_marker_from_another_project(self):
        # An admin may use any row as a position; a reader may not.
        foreign = model.backup_id(19)
        order = model.ordered(model.rows(), 'created_at:desc')
        row, _meta = model.by_id(foreign)
        expected = [r['id'] for r in order
                    if (r['created_at'], r['id']) <
                    (row['created_at'], row['id'])]
        body = self.get_json(NATIVE + '?marker=%s' % foreign, roles='admin')
        self.assertEqual(expected, [b['id'] for b in body['backups']])
        body = self.get_json(NATIVE + '?marker=%s' % foreign, status=404)
        self.assertEqual(
            {'itemNotFound': {'code': 404, 'message':
                              'Backup %s could not be found.' % foreign}},
            body)


class TestCappedPaging(base.APITestCase):

    overrides = {'osapi_max_limit': 5}

    def test_cap_applies_and_links_keep_the_limit(self):
        expected = model.ids(model.ordered(model.rows()))
        body = self.get_json(NATIVE + '?limit=100')
        self.assertEqual(expected[:5], [b['id'] for b in body['backups']])
        href = body['backups_links'][0]['href']
        self.assertEqual(NATIVE + '?limit=100&marker=%s' % expected[4],
                         href[len(base.BASE):])
        body = self.get_json(NATIVE)
        self.assertEqual(expected[:5], [b['id'] for b in body['backups']])
        self.assertEqual(NATIVE + '?marker=%s' % expected[4],
                         body['backups_links'][0]['href'][len(base.BASE):])
        walked = [b['id'] for _url, body in links.walk(self.get_json, NATIVE)
                  for b in body['backups']]
        self.assertEqual(expected, walked)
