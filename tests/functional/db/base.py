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

"""A test case over a fresh database of the run's backend, with helpers to
fill it and to ask the DB API."""

import datetime
import json

from oslotest import base as oslotest_base
import sqlalchemy as sa
import webob

from tests import fixtures
from tests.functional import data
from vbs_native import context as vbs_context
from vbs_native.db import api as db_api
from vbs_native.db import models

PROJECT = data.PROJECT
OTHER_PROJECT = data.OTHER_PROJECT
T0 = datetime.datetime(2024, 1, 1)


def at(seconds):
    """A whole second (MySQL's DATETIME keeps no fraction)."""
    return None if seconds is None else T0 + datetime.timedelta(
        seconds=seconds)


def backup(id, **values):
    """A full backups row with harmless defaults."""
    row = {column.name: None for column in models.backups.columns}
    row.update(id=id, project_id=PROJECT, user_id='u1', volume_id='v1',
               status='available', deleted=False, created_at=T0)
    row.update(values)
    return row


def get(test, app, path):
    """The JSON body of a GET of ``app`` by a member of PROJECT at 3.45;
    ``test`` fails unless the answer is 200."""
    request = webob.Request.blank(path, headers={
        'X-Auth-Token': 'u1:%s' % PROJECT,
        'OpenStack-API-Version': 'volume 3.45'})
    response = request.get_response(app)
    test.assertEqual(200, response.status_int, response.text)
    return json.loads(response.body)


def create_cinder_schema(engine):
    """Cinder's tables as Cinder creates them: the database's default
    collation (utf8mb3_general_ci on MariaDB/MySQL: Cinder's tables say
    ``mysql_charset='utf8'``), Cinder's one index, none of ours."""
    metadata = sa.MetaData()
    for table in models.BASE.metadata.sorted_tables:
        table = table.to_metadata(metadata)
        table.kwargs.update(mysql_engine='InnoDB', mysql_charset='utf8mb3')
    backups = metadata.tables['backups']
    sa.Index('backups_deleted_project_id_idx', backups.c.deleted,
             backups.c.project_id)
    metadata.create_all(engine)


class TestCase(oslotest_base.BaseTestCase):
    # True: the tables as a Cinder database has them, not our migration's.
    cinder_schema = False

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(self.database())
        if self.cinder_schema:
            create_cinder_schema(self.db.engine)
        self.context = vbs_context.RequestContext(project_id=PROJECT)

    def database(self):
        return fixtures.Database(schema=not self.cinder_schema)

    @property
    def dialect(self):
        return self.db.engine.dialect.name

    def insert(self, rows, metadata=()):
        """Rows (dicts keyed by column name) and metadata (backup id, key,
        value[, deleted]) tuples, in that order (the order of their ids),
        written as they are, on either schema."""
        with self.db.engine.begin() as connection:
            if rows:
                connection.execute(models.backups.insert(), list(rows))
            for backup_id, key, value, *deleted in metadata:
                connection.execute(models.backup_metadata.insert(), {
                    'backup_id': backup_id, 'key': key, 'value': value,
                    'deleted': bool(deleted and deleted[0])})

    def soft_delete(self, ids):
        table = models.backups
        with self.db.engine.begin() as connection:
            connection.execute(table.update().where(
                table.c.id.in_(list(ids))).values(
                    deleted=True, deleted_at=T0))

    def empty(self):
        with self.db.engine.begin() as connection:
            connection.execute(sa.delete(models.backup_metadata))
            connection.execute(sa.delete(models.backups))

    def list_ids(self, **query):
        query.setdefault('project_id', PROJECT)
        query.setdefault('limit', 1000)
        return [row.id for row in db_api.backup_list(
            self.context, db_api.ListQuery(**query)).rows]

    def walk_ids(self, limit, **query):
        """Every page after the first, by marker, as the links do."""
        ids, marker = [], None
        while True:
            page = db_api.backup_list(self.context, db_api.ListQuery(
                project_id=PROJECT, limit=limit, marker=marker, **query))
            ids.extend(row.id for row in page.rows)
            if not page.more:
                return ids
            marker = page.rows[-1].id
