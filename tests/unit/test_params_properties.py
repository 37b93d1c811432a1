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

"""Property tests of the parameter parsing: whatever the query string or the
version header, the answer is a value or a 4xx exception with a message,
never anything else; and the values obey the contract's rules."""

import hypothesis
from hypothesis import strategies as st
import microversion_parse
from oslotest import base as oslotest_base
import webob.multidict

from tests.unit import test_params
from vbs_native.api import microversion as mv
from vbs_native.api import params
from vbs_native.db import api as db_api
from vbs_native import exception

KNOWN_KEYS = ['limit', 'offset', 'marker', 'sort', 'sort_key', 'sort_dir',
              'name', 'status', 'volume_id', 'name~', 'status~',
              'volume_id~', 'with_count', 'all_tenants', 'project_id']
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=12))
values = st.one_of(
    st.text(max_size=20),
    st.integers(-10 ** 20, 10 ** 20).map(str),
    st.sampled_from(['true', 'false', 'yes', '0', '1', 'on', ' 5 ', '1e3',
                     'asc', 'desc', 'name:asc', 'size:desc,id',
                     'created_at:up', ',', ':', '']))
queries = st.lists(st.tuples(keys, values), max_size=12)
MAX_LIMIT = 1000
SETTINGS = hypothesis.settings(max_examples=400, deadline=None)


def _version(text):
    return microversion_parse.extract_version(
        {mv.HEADER: 'volume %s' % text}, mv.SERVICE_TYPE, mv.VERSIONS)


def _parse(query, version, all_projects=False, asked=None):
    scope = test_params.Scope(all_projects)
    try:
        return params.parse(webob.multidict.MultiDict(query), version,
                            MAX_LIMIT, scope)
    finally:
        if asked is not None and scope.asked:
            asked.append(True)


class TestParseProperties(oslotest_base.BaseTestCase):

    @SETTINGS
    @hypothesis.given(queries, st.sampled_from(mv.VERSIONS), st.booleans())
    def test_a_value_or_a_400(self, query, version, all_projects):
        try:
            result = _parse(query, _version(version), all_projects)
        except exception.InvalidParameter as exc:
            self.assertEqual(400, exc.code)
            self.assertTrue(exc.message)
            return
        self.assertTrue(0 <= result.limit <= MAX_LIMIT)
        self.assertTrue(0 <= result.offset <= params.MAX_OFFSET)
        names = [name for name, _desc in result.sort]
        self.assertEqual('id', names[-1])
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(set(), set(names) - db_api.SORT_KEYS)
        if not all_projects:
            self.assertEqual(test_params.PROJECT, result.project_id)
            self.assertEqual(test_params.PROJECT if result.marker else None,
                             result.marker_project_id)
        for column, _value in result.filters + result.fuzzy:
            self.assertIn(column, ('display_name', 'status', 'volume_id'))

    @SETTINGS
    @hypothesis.given(st.integers(-10 ** 12, 10 ** 12))
    def test_limit(self, number):
        version = _version('3.0')
        if number < 0:
            self.assertRaises(exception.InvalidParameter, _parse,
                              [('limit', str(number))], version)
        else:
            self.assertEqual(min(number, MAX_LIMIT),
                             _parse([('limit', str(number))], version).limit)

    @SETTINGS
    @hypothesis.given(st.integers(-10 ** 12, 10 ** 12))
    def test_offset(self, number):
        version = _version('3.0')
        if 0 <= number <= params.MAX_OFFSET:
            self.assertEqual(number,
                             _parse([('offset', str(number))], version).offset)
        else:
            self.assertRaises(exception.InvalidParameter, _parse,
                              [('offset', str(number))], version)

    @SETTINGS
    @hypothesis.given(st.sampled_from(mv.VERSIONS), values)
    def test_with_count_needs_3_45(self, version, value):
        parsed = _version(version)
        try:
            result = _parse([('with_count', value)], parsed)
        except exception.InvalidParameter:
            return
        self.assertTrue(parsed.matches(mv.SUPPORT_COUNT_INFO))
        self.assertIn(value.strip().lower(), (
            '1', '0', 't', 'f', 'true', 'false', 'on', 'off', 'y', 'n',
            'yes', 'no'))
        self.assertIsInstance(result.with_count, bool)

    @SETTINGS
    @hypothesis.given(st.lists(st.tuples(st.text(min_size=1, max_size=8),
                                         values), min_size=1, max_size=8))
    def test_unknown_keys_from_3_31(self, query):
        unknown = [key for key, _value in query if key not in KNOWN_KEYS]
        hypothesis.assume(unknown)
        self.assertRaises(exception.InvalidParameter, _parse, query,
                          _version('3.31'))

    @SETTINGS
    @hypothesis.given(queries)
    def test_policy_asked_only_for_all_tenants_or_a_marker(self, query):
        asked = []
        try:
            _parse(query, _version('3.0'), asked=asked)
        except exception.InvalidParameter:
            pass
        if asked:
            self.assertTrue({'all_tenants', 'marker'} & {
                key for key, _value in query})


class TestVersionHeaderProperties(oslotest_base.BaseTestCase):

    @SETTINGS
    @hypothesis.given(st.text(max_size=40))
    def test_any_header_value(self, value):
        """A version, or a 400/406 fault: never another exception."""
        try:
            version = mv.extract({mv.HEADER: value})
        except (exception.InvalidVersion,
                exception.VersionNotSupported) as exc:
            self.assertIn(exc.code, (400, 406))
            return
        self.assertTrue(version.matches((3, 0), (3, 71)))

    @SETTINGS
    @hypothesis.given(st.integers(0, 200), st.integers(0, 5))
    def test_in_range(self, minor, zeros):
        value = 'volume 3.%s%d' % ('0' * zeros, minor)
        if minor <= 71:
            self.assertEqual((3, minor), tuple(mv.extract({mv.HEADER: value})))
        else:
            self.assertRaises(exception.VersionNotSupported, mv.extract,
                              {mv.HEADER: value})
