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

"""Schema migrations of the service's own database (alembic).

The version table has a name of its own, so a Cinder database (which has
``alembic_version``) is never mistaken for ours, and never migrated.
"""

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script
import sqlalchemy as sa

from vbs_native import exception

VERSION_TABLE = 'vbs_native_alembic_version'


def _config(connection):
    config = alembic_config.Config()
    config.set_main_option('script_location', 'vbs_native.db:migrations')
    config.attributes['connection'] = connection
    return config


def version(engine):
    """The revision of our schema, or None if this is not our database."""
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={'version_table': VERSION_TABLE})
        return context.get_current_revision()


def head():
    """The newest revision of our schema."""
    return script.ScriptDirectory.from_config(_config(None)).get_current_head()


def is_own(engine):
    return version(engine) is not None


def check_own(engine):
    if not is_own(engine):
        raise exception.NotWritable(
            url=engine.url.render_as_string(hide_password=True))


def upgrade(engine, revision='head'):
    """Create or upgrade our schema; refuse a database that holds backups
    tables we did not create (a Cinder database)."""
    tables = sa.inspect(engine).get_table_names()
    if 'backups' in tables and VERSION_TABLE not in tables:
        raise exception.NotWritable(
            url=engine.url.render_as_string(hide_password=True))
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)
