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

"""The project's index also holds each backup's name, so that a summary
page (id and name) and a ``name~`` filter read the index alone; and an
index for a project's list filtered by status (``status=error``), in the
default order: a status that few backups have is otherwise found by
walking the project's whole index and reading each row.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    created_at = 'created_at'
    covering = {}
    if op.get_bind().dialect.name == 'postgresql':
        # NULL sorts lowest, as in the other indexes (0001).
        created_at = sa.text('created_at NULLS FIRST')
        covering = {'postgresql_include': ['display_name']}
        ordered = ['project_id', 'deleted', created_at, 'id']
    else:
        ordered = ['project_id', 'deleted', created_at, 'id', 'display_name']
    op.drop_index('backups_project_created_idx', 'backups')
    op.create_index('backups_project_created_idx', 'backups', ordered,
                    **covering)
    op.create_index('backups_project_status_created_idx', 'backups',
                    ['project_id', 'deleted', 'status', created_at, 'id'])
