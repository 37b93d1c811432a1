from alembic import context

from vbs_native.db import migration


def run_migrations_online():
    connection = context.config.attributes['connection']
    context.configure(connection=connection,
                      version_table=migration.VERSION_TABLE,
                      transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
