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

"""With ``[database] slave_connection``, every read of the API goes to the
replica (oslo.db's reader engine): the primary and the replica hold
different backups here, and the primary's engine sees no statement, but for
a marker the replica does not have (yet)."""

import fixtures as base_fixtures
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import test_fixtures
from oslotest import base as oslotest_base
from sqlalchemy import event
import webob

from tests import fixtures
from tests.functional.db import base
from vbs_native.db import engine as db_engine


class TestReadReplica(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        primary = self.useFixture(fixtures.Database(install=False))
        replica = self.useFixture(fixtures.Database(install=False))
        primary.insert([
            (base.backup('on-primary'), {}),
            # Not yet on the replica: newer than what it holds.
            (base.backup('late', created_at=base.at(3)), {}),
            (base.backup('late-other', created_at=base.at(3),
                         project_id=base.OTHER_PROJECT), {})])
        replica.insert([(base.backup('on-replica-1', created_at=base.at(1)),
                         {'where': 'replica'}),
                        (base.backup('on-replica-2', created_at=base.at(2)),
                         {})])
        conf = self.useFixture(fixtures.Conf(**{
            'database.connection': primary.url,
            'database.slave_connection': replica.url})).conf

        # The service's own configure(), on a fresh transaction context.
        facade = enginefacade.transaction_context()
        self.useFixture(test_fixtures.ReplaceEngineFacadeFixture(
            db_engine.main_context_manager, facade))
        self.useFixture(base_fixtures.MockPatchObject(
            db_engine, '_configured', False))
        db_engine.configure(conf)
        writer = db_engine.main_context_manager.writer.get_engine()
        reader = db_engine.main_context_manager.reader.get_engine()
        self.addCleanup(writer.dispose)
        self.addCleanup(reader.dispose)
        self.assertIsNot(writer, reader)

        self.statements = {'primary': 0, 'replica': 0}
        for name, engine in (('primary', writer), ('replica', reader)):
            event.listen(engine, 'before_cursor_execute',
                         self._counter(name))
        self.app = self.useFixture(fixtures.Application(conf)).app

    def _counter(self, name):
        def count(*_args):
            self.statements[name] += 1
        return count

    def test_every_read_goes_to_the_replica(self):
        url = '/v3/%s/native/backups' % base.PROJECT
        body = base.get(self, self.app, url + '?limit=1&with_count=true')
        self.assertEqual(['on-replica-2'],
                         [item['id'] for item in body['backups']])
        self.assertEqual(2, body['count'])
        body = base.get(self, self.app, url + '/detail?marker=on-replica-2')
        self.assertEqual(['on-replica-1'],
                         [item['id'] for item in body['backups']])
        self.assertEqual({'where': 'replica'},
                         body['backups'][0]['metadata'])
        body = base.get(self, self.app, url + '/on-replica-1')
        self.assertEqual('on-replica-1', body['backup']['id'])

        self.assertEqual(0, self.statements['primary'])
        self.assertGreater(self.statements['replica'], 0)

    def test_a_marker_the_replica_lacks_is_placed_by_the_primary(self):
        url = '/v3/%s/native/backups' % base.PROJECT
        body = base.get(self, self.app, url + '?marker=late')
        self.assertEqual(['on-replica-2', 'on-replica-1'],
                         [item['id'] for item in body['backups']])
        self.assertEqual(1, self.statements['primary'])

    def test_a_marker_on_neither_is_not_found(self):
        url = '/v3/%s/native/backups' % base.PROJECT
        for marker in ('nowhere', 'late-other'):
            request = webob.Request.blank(
                url + '?marker=' + marker,
                headers={'X-Auth-Token': 'u1:%s' % base.PROJECT})
            response = request.get_response(self.app)
            self.assertEqual(404, response.status_int, response.text)
            self.assertIn(marker, response.json['itemNotFound']['message'])
