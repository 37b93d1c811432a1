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

"""What the HA tests share: the sorts walked, the order a walk must give,
and the record of what each failure cost a client."""

import random
import uuid

import sqlalchemy as sa

from tests.harness import reference
from vbs_native.db import models
from vbs_native.db import sample

# Walked by each test: the default order, and orders whose ties run
# through the keyset's later keys.
SORTS = ('', 'sort=display_name:asc', 'sort=size:desc,created_at:asc')
LIMIT = 9


def query(sort, limit=LIMIT):
    return '&'.join(filter(None, ('limit=%d' % limit, sort)))


def keys(sort):
    pairs = [(key, direction == 'desc') for key, _sep, direction in (
        part.partition(':') for part in sort[len('sort='):].split(','))
        ] if sort else [('created_at', True)]
    return reference.sort_keys(pairs)


def live_rows(engine, project):
    """{id: row as a dict} of the project's live backups."""
    backups = models.backups
    with engine.connect() as connection:
        rows = connection.execute(sa.select(backups).where(
            backups.c.project_id == project,
            backups.c.deleted == sa.false())).mappings().all()
    return {row['id']: dict(row) for row in rows}


def expected(engine, project, sort):
    """The ids of the project's live backups, in the order of ``sort``."""
    rows = live_rows(engine, project).values()
    return [row['id'] for row in reference.ordered(rows, keys(sort))]


def new_backup(project, created_at, rng=None):
    """A backup row as Cinder writes it when one is created."""
    seed = (rng or random).getrandbits(32)  # nosec B311: test data
    row, _metadata = next(sample.generate(1, seed=seed))
    row.update(id=str(uuid.uuid4()), project_id=project,
               created_at=created_at, updated_at=created_at,
               data_timestamp=created_at, deleted=False, deleted_at=None,
               status='creating')
    return row
