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

"""Isolation as a property: for random backups in several projects, random
callers and random queries (filters, sort, marker from anywhere, offset,
all_tenants, project in the URL or not, summary, detail, show, count, next
links), a caller without the all-projects right never sees a backup of
another project, nor counts one; and what it sees is exactly its own live
backups that match, each once."""

import datetime
import itertools
import urllib.parse

import hypothesis
from hypothesis import strategies as st
from oslotest import base as oslotest_base
import sqlalchemy as sa
import webob

from tests import fixtures as test_fixtures
from tests.harness import links
from tests.harness import reference
from vbs_native.db import models
from vbs_native.db import sample

PROJECTS = ['a' * 32, 'b' * 32, 'c' * 32]
STRANGER = 'd' * 32  # a project with no backups
NAMES = [None, '', 'daily', 'Daily', 'daily-2', 'week%', 'w_ek', 'x\\y',
         'résumé', 'RÉSUMÉ']
STATUSES = ['available', 'error', 'creating']
VOLUMES = ['v1', 'v2', 'V1']
T0 = datetime.datetime(2024, 1, 1)

# (roles, may see every project)
PERSONAS = {
    'member': ('reader,member', False),
    'reader': ('reader', False),
    'admin': ('admin', True),
    'no roles': ('', False),
}


@st.composite
def backups(draw):
    count = draw(st.integers(min_value=0, max_value=30))
    ids = draw(st.lists(st.uuids(), min_size=count, max_size=count,
                        unique=True))
    rows = []
    for backup_id in ids:
        rows.append({
            'id': str(backup_id),
            'project_id': draw(st.sampled_from(PROJECTS)),
            'user_id': 'u',
            'display_name': draw(st.sampled_from(NAMES)),
            'status': draw(st.sampled_from(STATUSES)),
            'volume_id': draw(st.sampled_from(VOLUMES)),
            'size': draw(st.integers(min_value=1, max_value=3)),
            'created_at': T0 + datetime.timedelta(
                seconds=draw(st.integers(min_value=0, max_value=5))),
            'deleted': draw(st.integers(0, 3)) == 0,
            'container': 'c', 'availability_zone': 'nova',
        })
    return rows


@st.composite
def queries(draw, row_ids):
    version = draw(st.sampled_from(['3.0', '3.31', '3.45', '3.64']))
    params = []
    if draw(st.booleans()):
        params.append(('limit', str(draw(st.integers(0, 7)))))
    if draw(st.integers(0, 3)) == 0:
        params.append(('offset', str(draw(st.integers(0, 5)))))
    if row_ids and draw(st.integers(0, 2)) == 0:
        params.append(('marker', draw(st.sampled_from(row_ids))))
    elif draw(st.integers(0, 10)) == 0:
        params.append(('marker', 'no-such-backup'))
    if draw(st.booleans()):
        params.append(('sort', draw(st.sampled_from([
            'created_at:asc', 'size:desc,id:asc', 'display_name:asc',
            'status', 'volume_id:desc,created_at:asc']))))
    for key, values in (('name', NAMES[1:]), ('status', STATUSES),
                        ('volume_id', VOLUMES)):
        if draw(st.integers(0, 4)) == 0:
            params.append((key, draw(st.sampled_from(values))))
    if version != '3.0':
        for key, values in (('name~', ['', 'DAI', 'résumé', '%', '_', '\\']),
                            ('status~', ['AVA', 'r']),
                            ('volume_id~', ['v1'])):
            if draw(st.integers(0, 4)) == 0:
                params.append((key, draw(st.sampled_from(values))))
    if version in ('3.45', '3.64') and draw(st.booleans()):
        params.append(('with_count', 'true'))
    if draw(st.integers(0, 2)) == 0:
        params.append(('all_tenants', draw(st.sampled_from(
            ['true', '1', 'false', 'yes']))))
        if draw(st.booleans()):
            params.append(('project_id', draw(st.sampled_from(PROJECTS))))
    return version, params


def matches(row, params, version):
    """The filters of ``params``, as the contract defines them."""
    for key, value in params:
        column = {'name': 'display_name', 'name~': 'display_name',
                  'status': 'status', 'status~': 'status',
                  'volume_id': 'volume_id',
                  'volume_id~': 'volume_id'}.get(key)
        if column is None:
            continue
        if key.endswith('~'):
            if row[column] is None or (reference.fold(value) not in
                                       reference.fold(row[column])):
                return False
        elif row[column] != value:
            return False
    return True


class TestIsolation(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(test_fixtures.Conf()).conf
        self.db = self.useFixture(test_fixtures.Database())
        self.app = self.useFixture(test_fixtures.Application(self.conf)).app

    def load(self, rows):
        with self.db.engine.begin() as connection:
            connection.execute(sa.delete(models.backup_metadata))
            connection.execute(sa.delete(models.backups))
        sample.insert(self.db.engine, [(row, {}) for row in rows])

    def call(self, path, project, roles, version, query=None):
        url = path + ('?' + urllib.parse.urlencode(query) if query else '')
        headers = {'X-Auth-Token': 'u:%s' % project, 'X-Roles': roles,
                   'OpenStack-API-Version': 'volume %s' % version}
        return webob.Request.blank(url, headers=headers).get_response(
            self.app)

    @hypothesis.settings(max_examples=150, deadline=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(st.data())
    def test_no_backup_of_another_project(self, data):
        rows = data.draw(backups())
        self.load(rows)
        by_id = {row['id']: row for row in rows}
        persona = data.draw(st.sampled_from(sorted(PERSONAS)))
        roles, everything = PERSONAS[persona]
        project = data.draw(st.sampled_from(PROJECTS + [STRANGER]))
        url_project = data.draw(st.sampled_from(
            [None, project, project] + PROJECTS))
        family = data.draw(st.sampled_from(['/native', '']))
        base = '/v3' + ('/' + url_project if url_project else '') + family
        version, params = data.draw(queries(list(by_id)))
        kind = data.draw(st.sampled_from(['summary', 'detail', 'show']))

        if kind == 'show':
            backup_id = data.draw(st.sampled_from(list(by_id) or ['none']))
            response = self.call(base + '/backups/' + backup_id, project,
                                 roles, version)
            self.check_show(response, by_id, backup_id, project, roles,
                            everything, url_project)
            return

        path = base + '/backups' + ('/detail' if kind == 'detail' else '')
        response = self.call(path, project, roles, version, params)
        if not roles:
            self.assertEqual(403, response.status_int)
            return
        if url_project not in (None, project) and not everything:
            self.assertEqual(400, response.status_int, response.text)
            return
        if response.status_int != 200:
            # A marker the caller may not see, a version-gated parameter:
            # an error, never data.
            self.assertIn(response.status_int, (400, 404), response.text)
            self.assertNotIn('backups', response.json)
            return
        if everything:
            return  # may see every project; correctness is tested elsewhere
        seen = self.walk(response, project, roles, version, by_id)
        own = {row['id'] for row in rows
               if row['project_id'] == project and not row['deleted']
               and matches(row, params, version)}
        self.assertTrue(seen <= own, (seen - own, params))
        body = response.json
        if 'count' in body:
            self.assertEqual(len(own), body['count'], params)
        if not any(key in ('offset', 'marker', 'limit')
                   for key, _value in params):
            # From the first page, the next links give every match once.
            self.assertEqual(own, seen, params)

    def walk(self, response, project, roles, version, by_id):
        """Follow next links from ``response``; every item on every page
        must be the caller's. The ids seen, each once."""
        def fetch(href):
            href = urllib.parse.urlsplit(href)
            response = self.call(
                href.path, project, roles, version,
                urllib.parse.parse_qsl(href.query, keep_blank_values=True))
            self.assertEqual(200, response.status_int, response.text)
            return response.json

        seen = []
        following = links.walk(fetch, links.next_href(response.json),
                               max_pages=40)
        for body in itertools.chain([response.json],
                                    (body for _href, body in following)):
            for item in body['backups']:
                row = by_id[item['id']]
                self.assertEqual(project, row['project_id'])
                self.assertFalse(row['deleted'])
                if 'os-backup-project-attr:project_id' in item:
                    self.assertEqual(
                        project, item['os-backup-project-attr:project_id'])
                seen.append(item['id'])
        self.assertEqual(len(seen), len(set(seen)), 'a backup seen twice')
        return set(seen)

    def check_show(self, response, by_id, backup_id, project, roles,
                   everything, url_project):
        if not roles:
            self.assertEqual(403, response.status_int)
            return
        if url_project not in (None, project) and not everything:
            self.assertEqual(400, response.status_int)
            return
        row = by_id.get(backup_id)
        visible = (row is not None and not row['deleted']
                   and (everything or row['project_id'] == project))
        if visible:
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual(backup_id, response.json['backup']['id'])
        else:
            self.assertEqual(404, response.status_int, response.text)
