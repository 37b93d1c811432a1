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

"""The backups tables as Cinder has them, plus the indexes the list needs.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def _mysql_binary_collation():
    """A binary collation without PAD SPACE, so that strings compare by
    code point with trailing blanks counting, as on SQLite and PostgreSQL
    (``utf8mb4_bin`` finds 'a ' for 'a')."""
    dialect = op.get_bind().dialect
    if dialect.is_mariadb:
        return 'utf8mb4_nopad_bin'  # MariaDB 10.2 and later
    if dialect.server_version_info >= (8, 0, 17):
        return 'utf8mb4_0900_bin'
    return 'utf8mb4_bin'


def _string(length):
    # Strings compare by code point everywhere (the API sorts that way), so
    # the indexes can serve the ORDER BY without a collation cast.
    if op.get_bind().dialect.name in ('mysql', 'mariadb'):
        return mysql.VARCHAR(length, charset='utf8mb4',
                             collation=_mysql_binary_collation())
    return sa.String(length).with_variant(
        postgresql.VARCHAR(length, collation='C'), 'postgresql')


def _timestamps():
    return [
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.Column('deleted_at', sa.DateTime),
        sa.Column('deleted', sa.Boolean),
    ]


def _nulls_first(column):
    # PostgreSQL sorts NULLs last by default; the API sorts them lowest.
    if op.get_bind().dialect.name == 'postgresql':
        return sa.text('%s NULLS FIRST' % column)
    return column


def upgrade():
    op.create_table(
        'backups',
        *_timestamps(),
        sa.Column('id', _string(36), primary_key=True, nullable=False),
        sa.Column('volume_id', _string(36), nullable=False),
        sa.Column('user_id', _string(255)),
        sa.Column('project_id', _string(255)),
        sa.Column('host', _string(255)),
        sa.Column('availability_zone', _string(255)),
        sa.Column('display_name', _string(255)),
        sa.Column('display_description', _string(255)),
        sa.Column('container', _string(255)),
        sa.Column('status', _string(255)),
        sa.Column('fail_reason', _string(255)),
        sa.Column('service_metadata', _string(255)),
        sa.Column('service', _string(255)),
        sa.Column('size', sa.Integer),
        sa.Column('object_count', sa.Integer),
        sa.Column('parent_id', _string(36)),
        sa.Column('temp_volume_id', _string(36)),
        sa.Column('temp_snapshot_id', _string(36)),
        sa.Column('num_dependent_backups', sa.Integer),
        sa.Column('snapshot_id', _string(36)),
        sa.Column('data_timestamp', sa.DateTime),
        sa.Column('restore_volume_id', _string(36)),
        sa.Column('encryption_key_id', _string(36)),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
    # Cinder's own index, kept so the schema is Cinder's.
    op.create_index('backups_deleted_project_id_idx', 'backups',
                    ['deleted', 'project_id'])
    # The default list of one project, its marker pages and its count.
    op.create_index('backups_project_created_idx', 'backups',
                    ['project_id', 'deleted', _nulls_first('created_at'),
                     'id'])
    # The same across all projects (all_tenants).
    op.create_index('backups_created_idx', 'backups',
                    ['deleted', _nulls_first('created_at'), 'id'])

    op.create_table(
        'backup_metadata',
        *_timestamps(),
        sa.Column('id', sa.Integer, primary_key=True, nullable=False),
        sa.Column('backup_id', _string(36), sa.ForeignKey('backups.id'),
                  nullable=False, index=True),
        sa.Column('key', _string(255)),
        sa.Column('value', _string(255)),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
