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

"""The microversion list and the header's negotiation (CONTRACT.md
section 2)."""

from oslotest import base as oslotest_base

from vbs_native.api import microversion as mv
from vbs_native import exception

NAMED = ('BACKUP_PROJECT_ATTRIBUTE', 'RESOURCE_FILTERS',
         'RESOURCE_FILTERS_API', 'BACKUP_SORT_NAME', 'BACKUP_METADATA',
         'SUPPORT_COUNT_INFO', 'BACKUP_USER_ID',
         'ENCRYPTION_KEY_ID_IN_DETAILS')


def extract(value):
    return mv.extract({'OpenStack-API-Version': value})


class TestVersionList(oslotest_base.BaseTestCase):

    def test_cinder_29_range(self):
        self.assertEqual('3.0', mv.MIN_VERSION)
        self.assertEqual('3.71', mv.MAX_VERSION)

    def test_sequential_without_gaps(self):
        parsed = [tuple(int(p) for p in v.split('.')) for v in mv.VERSIONS]
        self.assertEqual([(3, minor) for minor in range(72)], parsed)
        self.assertEqual(len(set(mv.VERSIONS)), len(mv.VERSIONS))

    def test_named_versions_are_in_the_list(self):
        for name in NAMED:
            self.assertIn(mv.as_string(getattr(mv, name)), mv.VERSIONS,
                          name)

    def test_named_versions_are_the_contracts(self):
        self.assertEqual(
            [(3, 18), (3, 31), (3, 33), (3, 37), (3, 43), (3, 45), (3, 56),
             (3, 64)],
            [getattr(mv, name) for name in NAMED])


class TestExtract(oslotest_base.BaseTestCase):

    def test_no_header_is_the_minimum(self):
        version = mv.extract({})
        self.assertEqual((3, 0), tuple(version))
        self.assertTrue(version.matches((3, 0)))
        self.assertFalse(version.matches((3, 1)))

    def test_latest_is_the_maximum(self):
        self.assertEqual((3, 71), tuple(extract('volume latest')))

    def test_each_version(self):
        for value in mv.VERSIONS:
            version = extract('volume %s' % value)
            self.assertEqual(value, str(version))
            # Bounds are set, so matches() works with a minimum only.
            self.assertTrue(version.matches((3, 0)))
            self.assertFalse(version.matches((3, 72)))

    def test_microversion_parse_reading(self):
        for value, expected in [
                ('volume 3.045', (3, 45)),
                ('Volume 3.5', (3, 5)),
                ('compute 2.1, volume 3.5', (3, 5)),
                ('volume 3.5, compute 2.1', (3, 5)),
                ('compute 2.1', (3, 0)),
                ('volume', (3, 0)),
                ('', (3, 0)),
                ('volume  3.5 ', (3, 5))]:
            self.assertEqual(expected, tuple(extract(value)), value)

    def test_every_name_of_the_service(self):
        # The service-types authority's names of block-storage; gophercloud
        # sends volumev3.
        self.assertEqual(
            {'volume', 'block-storage', 'block-store', 'volumev3',
             'volumev2'}, set(mv.SERVICE_TYPES))
        for name in mv.SERVICE_TYPES:
            for value, expected in [
                    ('%s 3.45', (3, 45)), ('%s latest', (3, 71)),
                    ('compute 2.1, %s 3.7', (3, 7)),
                    ('%s 3.7, compute 2.1', (3, 7)),
                    ('%s', (3, 0))]:
                self.assertEqual(expected, tuple(extract(value % name)),
                                 value % name)
            version, headers = mv._negotiated('%s 3.45' % name)
            self.assertEqual(
                [('OpenStack-API-Version', 'volume 3.45'),
                 ('Vary', 'OpenStack-API-Version')], headers, name)
            self.assertRaises(exception.VersionNotSupported, extract,
                              '%s 3.72' % name)
            exc = self.assertRaises(exception.InvalidVersion, extract,
                                    '%s abc' % name)
            self.assertIn("'abc'", exc.message)

    def test_volume_first_among_names(self):
        self.assertEqual((3, 5), tuple(extract('volumev3 3.45, volume 3.5')))
        self.assertEqual((3, 5), tuple(extract('volume 3.5, volumev3 3.45')))

    def test_other_services_and_near_names(self):
        for value in ('compute 2.90', 'volumev4 3.45', 'volumes 3.45',
                      'block_storage 3.45', 'shared-file-system 2.7',
                      'xvolumev3 3.45'):
            self.assertEqual((3, 0), tuple(extract(value)), value)

    def test_out_of_range(self):
        for value, shown in [('volume 3.72', '3.72'), ('volume 4.0', '4.0'),
                             ('volume 2.0', '2.0'),
                             ('volume 3.072', '3.72')]:
            exc = self.assertRaises(exception.VersionNotSupported,
                                    extract, value)
            self.assertEqual(406, exc.code)
            self.assertEqual(
                'Version %s is not supported by the API. Minimum is 3.0 '
                'and maximum is 3.71.' % shown, exc.message)

    def test_malformed_names_the_value(self):
        for value, shown in [('volume abc', 'abc'),
                             ('volume 3.0 extra', '3.0 extra'),
                             ('volume 3.1.2', '3.1.2'),
                             ('volume 3', '3'), ('volume 3.', '3.'),
                             ('volume .5', '.5'), ('volume x.y', 'x.y')]:
            exc = self.assertRaises(exception.InvalidVersion, extract,
                                    value)
            self.assertEqual(400, exc.code)
            self.assertIn(repr(shown), exc.message)
            self.assertIn('MajorNum.MinorNum', exc.message)

    def test_response_headers(self):
        self.assertEqual(
            [('OpenStack-API-Version', 'volume 3.45'),
             ('Vary', 'OpenStack-API-Version')],
            mv.response_headers(extract('volume 3.45')))
