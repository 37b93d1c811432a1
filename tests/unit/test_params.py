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

"""Parsing the list parameters (CONTRACT.md section 3), without a request:
a MultiDict, a version, the cap, the request's project and whether the
caller sees every project."""

import dataclasses
import types

from oslotest import base as oslotest_base
from webob import multidict

from vbs_native.api import microversion as mv
from vbs_native.api import params
from vbs_native.db import api as db_api
from vbs_native import exception

DEFAULT_SORT = (('created_at', True), ('id', True))
PROJECT = 'p1'


class Scope:
    """The request's project, and whether the caller may see every project:
    records whether that was asked."""

    project_id = PROJECT

    def __init__(self, all_projects=False):
        self._all_projects = all_projects
        self.asked = False

    @property
    def all_projects(self):
        self.asked = True
        return self._all_projects


def version(value='3.0'):
    return mv.extract({'OpenStack-API-Version': 'volume %s' % value})


def parse(query=(), at='3.0', max_limit=1000, all_projects=False,
          detail=False):
    """The query parse() makes, and ``asked``: whether it asked the
    policy."""
    if isinstance(query, dict):
        query = list(query.items())
    scope = Scope(all_projects)
    result = params.parse(multidict.MultiDict(query), version(at),
                          max_limit, scope, detail)
    return types.SimpleNamespace(asked=scope.asked,
                                 **dataclasses.asdict(result))


class TestParams(oslotest_base.BaseTestCase):

    def assertBad(self, message, query, **kwargs):
        exc = self.assertRaises(exception.InvalidParameter, parse, query,
                                **kwargs)
        self.assertEqual(400, exc.code)
        self.assertEqual(message, exc.message)

    def test_defaults(self):
        result = parse()
        self.assertEqual(1000, result.limit)
        self.assertEqual(0, result.offset)
        self.assertIsNone(result.marker)
        self.assertEqual(DEFAULT_SORT, result.sort)
        self.assertEqual((), result.filters)
        self.assertEqual((), result.fuzzy)
        self.assertFalse(result.with_count)
        self.assertEqual(PROJECT, result.project_id)
        self.assertIsNone(result.marker_project_id)
        self.assertFalse(result.detail)
        self.assertFalse(result.asked)

    def test_the_db_apis_query(self):
        self.assertIsInstance(
            params.parse(multidict.MultiDict(), version(), 1000, Scope()),
            db_api.ListQuery)
        self.assertTrue(parse(detail=True).detail)

    def test_limit(self):
        self.assertEqual(0, parse({'limit': '0'}).limit)
        self.assertEqual(7, parse({'limit': '7'}).limit)
        self.assertEqual(1000, parse({'limit': '1001'}).limit)
        self.assertEqual(5, parse({'limit': '99'}, max_limit=5).limit)
        self.assertEqual(5, parse(max_limit=5).limit)
        self.assertEqual(3, parse([('limit', '3'), ('limit', 'x')]).limit)
        for value in ('abc', '1.5', '', ' ', '1e3', '0x10'):
            self.assertBad('limit param must be an integer',
                           {'limit': value})
        self.assertBad('limit param must be positive', {'limit': '-1'})

    def test_offset(self):
        self.assertEqual(5, parse({'offset': '5'}).offset)
        self.assertEqual(2147483647,
                         parse({'offset': '2147483647'}).offset)
        for value in ('abc', '', '1.5'):
            self.assertBad('offset must be an integer', {'offset': value})
        self.assertBad('offset must be >= 0', {'offset': '-1'})
        self.assertBad('offset must be <= 2147483647',
                       {'offset': '2147483648'})

    def test_marker(self):
        self.assertEqual('m1', parse([('marker', 'm1'),
                                      ('marker', 'm2')]).marker)
        self.assertEqual('', parse({'marker': ''}).marker)

    def test_sort(self):
        for query, expected in [
                ({'sort': 'size'}, (('size', True), ('created_at', True),
                                    ('id', True))),
                ({'sort': 'size:asc'}, (('size', False),
                                        ('created_at', False),
                                        ('id', False))),
                ({'sort': 'size:asc,status'},
                 (('size', False), ('status', True), ('created_at', False),
                  ('id', False))),
                ({'sort': ' size : asc , status : desc '},
                 (('size', False), ('status', True), ('created_at', False),
                  ('id', False))),
                ({'sort': 'created_at:asc'}, (('created_at', False),
                                              ('id', False))),
                ({'sort': 'id:asc,size'}, (('id', False),)),
                ({'sort': 'size:asc,size:desc'},
                 (('size', False), ('created_at', False), ('id', False))),
                ({'sort_key': 'status'}, (('status', True),
                                          ('created_at', True),
                                          ('id', True))),
                ({'sort_dir': 'asc'}, (('created_at', False),
                                       ('id', False))),
                ({'sort_key': 'display_name', 'sort_dir': 'asc'},
                 (('display_name', False), ('created_at', False),
                  ('id', False)))]:
            self.assertEqual(expected, parse(query).sort, query)

    def test_sort_by_name_from_3_37(self):
        self.assertEqual(
            (('display_name', False), ('created_at', False), ('id', False)),
            parse({'sort': 'name:asc'}, at='3.37').sort)
        self.assertEqual(
            (('display_name', True), ('created_at', True), ('id', True)),
            parse({'sort_key': 'name'}, at='3.71').sort)
        for query in ({'sort': 'name'}, {'sort_key': 'name'}):
            self.assertBad('Invalid input received: Invalid sort key',
                           query, at='3.36')

    def test_sort_errors(self):
        mixed = ("The 'sort_key' and 'sort_dir' parameters are deprecated "
                 "and cannot be used with the 'sort' parameter.")
        self.assertBad(mixed, {'sort': 'size', 'sort_key': 'id'})
        self.assertBad(mixed, {'sort': 'size', 'sort_dir': 'asc'})
        for query in ({'sort': 'foo'}, {'sort': ''}, {'sort': ':asc'},
                      {'sort': 'size,'}, {'sort_key': 'project_id'},
                      {'sort': 'backup_metadata'}, {'sort': 'deleted'}):
            self.assertBad('Invalid input received: Invalid sort key',
                           query)
        direction = ("Invalid input received: Unknown sort direction, "
                     "must be 'desc' or 'asc'.")
        for query in ({'sort': 'size:ASC'}, {'sort': 'size:up'},
                      {'sort_dir': 'DESC'}, {'sort': 'size:asc:desc'}):
            self.assertBad(direction, query)

    def test_exact_filters_last_value_wins(self):
        result = parse([('name', 'a'), ('status', 'x'), ('volume_id', 'v'),
                        ('status', 'y')])
        self.assertEqual((('display_name', 'a'), ('status', 'y'),
                          ('volume_id', 'v')), result.filters)

    def test_fuzzy_filters(self):
        result = parse({'name~': 'a', 'status~': '', 'volume_id~': '%'},
                       at='3.31')
        self.assertEqual((('display_name', 'a'), ('status', ''),
                          ('volume_id', '%')), result.fuzzy)
        for key in ('name~', 'status~', 'volume_id~'):
            self.assertBad("The '%s' parameter needs API version 3.31 or "
                           "later." % key, {key: 'a'}, at='3.30')

    def test_with_count(self):
        for value in ('true', 'True', '1', 'yes', 'on', 'y', 't'):
            self.assertTrue(parse({'with_count': value},
                                  at='3.45').with_count, value)
        for value in ('false', '0', 'no', 'off', 'n', 'f'):
            self.assertFalse(parse({'with_count': value},
                                   at='3.45').with_count, value)
        for value in ('maybe', '', '2'):
            self.assertBad("Value '%s' for 'with_count' is not a boolean."
                           % value, {'with_count': value}, at='3.45')
        for value in ('true', 'false', 'maybe'):
            self.assertBad("The 'with_count' parameter needs API version "
                           "3.45 or later.", {'with_count': value},
                           at='3.44')

    def test_unknown_keys(self):
        self.assertBad('Invalid filters foo,display_name,name~~ are found '
                       'in query options.',
                       [('foo', '1'), ('display_name', 'x'), ('foo', '2'),
                        ('name~~', 'x')], at='3.31')
        result = parse({'foo': '1', 'display_name': 'x'}, at='3.30')
        self.assertEqual((), result.filters)

    def test_non_ascii_keys(self):
        for at in ('3.0', '3.31', '3.71'):
            self.assertBad('Filter keys can only contain ASCII characters.',
                           {'r\u00e9sum\u00e9': 'x'}, at=at)
            self.assertBad('Filter keys can only contain ASCII characters.',
                           {'r\u00e9sum\u00e9': 'x'}, at=at,
                           all_projects=True)

    def test_all_tenants_for_a_caller_of_every_project(self):
        result = parse({'all_tenants': 'true', 'project_id': 'p2'},
                       at='3.31', all_projects=True)
        self.assertEqual('p2', result.project_id)
        self.assertTrue(result.asked)
        # Every project.
        result = parse({'all_tenants': 'true'}, all_projects=True)
        self.assertIsNone(result.project_id)
        result = parse({'all_tenants': '0'}, all_projects=True)
        self.assertEqual(PROJECT, result.project_id)
        self.assertBad("all_tenants must be a boolean, got 'abc'.",
                       {'all_tenants': 'abc'}, all_projects=True)
        self.assertBad('Invalid filters project_id are found in query '
                       'options.', {'all_tenants': 'false',
                                    'project_id': 'p2'},
                       at='3.31', all_projects=True)
        self.assertBad('Invalid filters project_id are found in query '
                       'options.', {'project_id': 'p2'}, at='3.31',
                       all_projects=True)

    def test_all_tenants_for_others_is_ignored(self):
        for value in ('true', 'abc', ''):
            result = parse({'all_tenants': value}, at='3.31')
            self.assertEqual(PROJECT, result.project_id)
        self.assertBad('Invalid filters project_id are found in query '
                       'options.', {'all_tenants': 'true',
                                    'project_id': 'p2'}, at='3.31')
        result = parse({'all_tenants': 'true', 'project_id': 'p2'})
        self.assertEqual(PROJECT, result.project_id)

    def test_marker_of_a_project_the_caller_sees(self):
        result = parse({'marker': 'm1'})
        self.assertEqual(PROJECT, result.marker_project_id)
        # Any project's row.
        result = parse({'marker': 'm1'}, all_projects=True)
        self.assertIsNone(result.marker_project_id)
        self.assertEqual(PROJECT, result.project_id)

    def test_policy_asked_only_when_it_matters(self):
        self.assertFalse(parse({'limit': '1', 'name': 'x'}).asked)
        self.assertTrue(parse({'all_tenants': '1'}).asked)
        self.assertTrue(parse({'marker': 'm1'}).asked)
