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

"""Responses as CONTRACT.md section 4 says, where gabbi cannot: key order,
every row's values against the data set, and faults of failures."""

import re
from unittest import mock

import fixtures
from oslo_db import exception as db_exc

from tests.functional import base
from tests.functional import data
from tests.functional import model
from vbs_native.db import api as db_api
from vbs_native import exception

DETAIL_KEYS = [
    'id', 'status', 'size', 'object_count', 'availability_zone',
    'container', 'created_at', 'updated_at', 'name', 'description',
    'fail_reason', 'volume_id', 'links', 'is_incremental',
    'has_dependent_backups', 'snapshot_id', 'data_timestamp']
DATETIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$')
GENERIC_500 = ('The server has either erred or is incapable of performing '
               'the requested operation.')


def _datetime(value):
    return None if value is None else value.strftime('%Y-%m-%dT%H:%M:%S.%f')


class TestResponses(base.APITestCase):

    def expected_detail(self, row, meta, version, admin):
        expected = {
            'id': row['id'], 'status': row['status'], 'size': row['size'],
            'object_count': row['object_count'],
            'availability_zone': row['availability_zone'],
            'container': row['container'],
            'created_at': _datetime(row['created_at']),
            'updated_at': _datetime(row['updated_at']),
            'name': row['display_name'],
            'description': row['display_description'],
            'fail_reason': row.get('fail_reason'),
            'volume_id': row['volume_id'],
            'links': [
                {'rel': 'self', 'href': '%s/v3/native/backups/%s' % (
                    base.BASE, row['id'])},
                {'rel': 'bookmark', 'href': '%s/native/backups/%s' % (
                    base.BASE, row['id'])}],
            'is_incremental': bool(row.get('parent_id')),
            'has_dependent_backups': bool(row['num_dependent_backups']),
            'snapshot_id': row.get('snapshot_id'),
            'data_timestamp': _datetime(row['data_timestamp']),
        }
        if version >= (3, 43):
            expected['metadata'] = meta
        key = row.get('encryption_key_id')
        if version >= (3, 64) and key and key != data.ZERO_KEY:
            expected['encryption_key_id'] = key
        if admin and version >= (3, 18):
            expected['os-backup-project-attr:project_id'] = row['project_id']
        if admin and version >= (3, 56):
            expected['user_id'] = row['user_id']
        return expected

    def test_detail_of_every_row_at_every_step(self):
        for version in ((3, 0), (3, 18), (3, 43), (3, 56), (3, 64),
                        (3, 71)):
            for roles, admin in (('reader', False), ('admin', True)):
                body = self.get_json(
                    '/v3/native/backups/detail?all_tenants=1',
                    version='%d.%d' % version, roles=roles)
                rows = model.ordered(model.rows(
                    project=None if admin else data.PROJECT))
                self.assertEqual(model.ids(rows),
                                 [b['id'] for b in body['backups']])
                for row, item in zip(rows, body['backups']):
                    _row, meta = model.by_id(row['id'])
                    expected = self.expected_detail(row, meta, version,
                                                    admin)
                    # Same keys in the same order, same values.
                    self.assertEqual(list(expected.items()),
                                     list(item.items()),
                                     '%s %s' % (version, roles))
                    shown = self.get_json(
                        '/v3/native/backups/%s' % row['id'],
                        version='%d.%d' % version, roles=roles)
                    self.assertEqual(['backup'], list(shown))
                    self.assertEqual(list(expected.items()),
                                     list(shown['backup'].items()))

    def test_key_order_of_detail(self):
        body = self.get_json(
            '/v3/native/backups/%s' % model.backup_id(15),
            version='latest', roles='admin')
        self.assertEqual(
            DETAIL_KEYS + ['metadata', 'encryption_key_id',
                           'os-backup-project-attr:project_id', 'user_id'],
            list(body['backup']))
        for key in ('created_at', 'updated_at', 'data_timestamp'):
            self.assertRegex(body['backup'][key], DATETIME)

    def test_summary_items(self):
        body = self.get_json('/v3/%s/backups' % data.PROJECT,
                             version='latest', roles='admin')
        rows = model.ordered(model.rows())
        self.assertEqual(len(rows), len(body['backups']))
        for row, item in zip(rows, body['backups']):
            self.assertEqual(
                [('id', row['id']), ('name', row['display_name']),
                 ('links', [
                     {'rel': 'self', 'href': '%s/v3/%s/backups/%s' % (
                         base.BASE, data.PROJECT, row['id'])},
                     {'rel': 'bookmark', 'href': '%s/%s/backups/%s' % (
                         base.BASE, data.PROJECT, row['id'])}])],
                list(item.items()))
            self.assertEqual(['rel', 'href'], list(item['links'][0]))

    def test_key_order_of_the_envelope(self):
        body = self.get_json('/v3/native/backups?limit=1&with_count=true',
                             version='3.45')
        self.assertEqual(['backups', 'backups_links', 'count'], list(body))
        self.assertEqual(['rel', 'href'], list(body['backups_links'][0]))
        body = self.get_json('/v3/native/backups?with_count=true',
                             version='3.45')
        self.assertEqual(['backups', 'count'], list(body))

    def test_fault_key_order(self):
        body = self.get_json('/v3/native/backups?limit=x', status=400)
        self.assertEqual(['code', 'message'], list(body['badRequest']))

    def test_500_says_only_that_the_server_failed(self):
        logger = self.useFixture(fixtures.FakeLogger(level='ERROR'))
        secret = ("SELECT * FROM backups WHERE password='hunter2' "
                  "/etc/vbs-native/vbs-native.conf")
        for path in ('/v3/native/backups', '/v3/native/backups/detail'):
            with mock.patch.object(db_api, 'backup_list',
                                   side_effect=RuntimeError(secret)):
                response = self.get(path)
            self.assertEqual(500, response.status)
            self.assertEqual(
                {'computeFault': {'code': 500, 'message': GENERIC_500}},
                response.json)
            request_id = response.headers['x-openstack-request-id']
            self.assertIn(request_id, logger.output)
            self.assertIn('hunter2', logger.output)  # logged, not shown
            for leak in ('hunter2', 'SELECT', '/etc', 'Traceback'):
                self.assertNotIn(leak.encode(), response.body)

    def test_500_of_show(self):
        self.useFixture(fixtures.FakeLogger(level='ERROR'))
        with mock.patch.object(db_api, 'backup_get',
                               side_effect=ValueError('boom')):
            response = self.get('/v3/native/backups/%s'
                                % model.backup_id(1))
        self.assertEqual(500, response.status)
        self.assertEqual(GENERIC_500, response.json['computeFault']['message'])
        self.assertIn('x-openstack-request-id', response.headers)

    def test_503_when_the_database_is_unavailable(self):
        with mock.patch.object(db_api, 'backup_list',
                               side_effect=exception.DatabaseUnavailable()):
            response = self.get('/v3/native/backups')
        self.assertEqual(503, response.status)
        self.assertEqual(['serviceUnavailable'], list(response.json))
        self.assertEqual(503, response.json['serviceUnavailable']['code'])
        self.assertIn('Retry-After', response.headers)
        self.assertIn('x-openstack-request-id', response.headers)

    def test_connection_errors_are_503(self):
        # The DB API turns oslo.db's connection errors into a 503.
        with mock.patch.object(db_api, '_marker_values',
                               side_effect=db_exc.DBConnectionError()):
            response = self.get('/v3/native/backups?marker=%s'
                                % model.backup_id(1))
        self.assertEqual(503, response.status)
        self.assertIn('Retry-After', response.headers)


class TestDefaultRoles(base.APITestCase):

    overrides = {'noauth_default_roles': ['member']}

    def test_default_roles_apply_without_x_roles(self):
        self.assertEqual(403, self.get('/v3/native/backups').status)
        self.assertEqual(200, self.get('/v3/native/backups',
                                       roles='reader').status)


class TestOwnerScopedPolicy(base.APITestCase):
    """backup:get and the attribute rule are checked against the backup
    shown: an owner-scoped rule lets a reader see only their own user's
    backups, and only their own user's ids."""

    def config_overrides(self):
        directory = self.useFixture(fixtures.TempDir()).path
        path = '%s/policy.yaml' % directory
        with open(path, 'w') as handle:
            for rule in ('backup:get', 'backup:backup_project_attribute'):
                handle.write('"%s": "rule:context_is_admin or '
                             '(role:reader and user_id:%%(user_id)s)"\n'
                             % rule)
        return {'oslo_policy.policy_file': path}

    def test_owner_ids_only_for_own_backups(self):
        path = '/v3/native/backups/detail?limit=5'
        for user, shown in ((data.USER, True), ('someone-else', False)):
            body = self.get_json(path, user=user, roles='reader',
                                 version='3.56')
            self.assertTrue(body['backups'])
            for item in body['backups']:
                self.assertEqual(shown, 'user_id' in item, (user, item))
                self.assertEqual(
                    shown, 'os-backup-project-attr:project_id' in item)

    def test_show_own_backups_only(self):
        path = '/v3/native/backups/%s' % model.backup_id(1)
        self.assertEqual(200, self.get(path, user=data.USER,
                                       roles='reader').status)
        self.assertEqual(
            {'forbidden': {'code': 403, 'message':
                           "Policy doesn't allow backup:get to be "
                           "performed."}},
            self.get_json(path, status=403, user='someone-else',
                          roles='reader'))
        self.assertEqual(200, self.get(path, user='someone-else',
                                       roles='admin').status)
        # Lists are checked against the caller (backup:get_all), as Cinder.
        self.assertEqual(200, self.get('/v3/native/backups',
                                       user='someone-else',
                                       roles='reader').status)


class TestPolicyFile(base.APITestCase):
    """A Cinder policy.yaml applies unchanged; the file is configurable."""

    def config_overrides(self):
        directory = self.useFixture(fixtures.TempDir()).path
        path = '%s/policy.yaml' % directory
        with open(path, 'w') as handle:
            handle.write('"backup:get_all": "role:member"\n'
                         '"backup:get": "!"\n'
                         '"backup:backup_project_attribute": "role:member"\n'
                         '"backup:get_all_projects": "role:auditor"\n')
        return {'oslo_policy.policy_file': path}

    def test_rules_from_the_file(self):
        body = self.get_json('/v3/native/backups/detail?limit=1',
                             roles='member', version='3.56')
        self.assertEqual('u1', body['backups'][0]['user_id'])
        self.assertEqual(403, self.get('/v3/native/backups',
                                       roles='reader').status)
        self.assertEqual(
            {'forbidden': {'code': 403, 'message':
                           "Policy doesn't allow backup:get to be "
                           "performed."}},
            self.get_json('/v3/native/backups/%s' % model.backup_id(1),
                          status=403, roles='admin,member'))

    def test_all_projects_rule(self):
        body = self.get_json(
            '/v3/native/backups?all_tenants=1&with_count=true&limit=0',
            roles='member,auditor', version='3.45')
        self.assertEqual(len(model.rows(project=None)), body['count'])
        # An admin without the rule's role is limited to its project.
        body = self.get_json(
            '/v3/native/backups?all_tenants=1&with_count=true&limit=0',
            roles='member,admin', version='3.45')
        self.assertEqual(len(model.rows()), body['count'])
        self.get_json('/v3/%s/native/backups' % data.OTHER_PROJECT,
                      status=400, roles='member,admin')
