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

"""Datetimes in detail and show: exactly Cinder's strftime format."""

import datetime

from oslotest import base as oslotest_base

from vbs_native.api.views import backups as views

FORMAT = '%Y-%m-%dT%H:%M:%S.%f'


class TestDatetime(oslotest_base.BaseTestCase):

    def test_as_strftime(self):
        utc = datetime.timezone.utc
        for value in (datetime.datetime(2024, 1, 4, 4, 19, 2),
                      datetime.datetime(2024, 1, 4, 4, 19, 2, 1234),
                      datetime.datetime(1000, 1, 1),
                      datetime.datetime(999, 12, 31, 23, 59, 59, 999999),
                      datetime.datetime(2024, 1, 4, 4, 19, 2, 7, tzinfo=utc)):
            self.assertEqual(value.strftime(FORMAT), views._datetime(value),
                             value)

    def test_none(self):
        self.assertIsNone(views._datetime(None))

    def test_as_the_database_printed_it(self):
        # A page's times formatted by the database (db/backend.py).
        self.assertEqual('2024-01-04T04:19:02.000000',
                         views._datetime('2024-01-04T04:19:02.000000'))
