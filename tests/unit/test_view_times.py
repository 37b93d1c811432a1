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
