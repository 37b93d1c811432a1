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

"""Databases of their own on the MariaDB/MySQL and PostgreSQL servers,
made through oslo.db's provisioning, which finds the servers' admin URLs in
``OS_TEST_DBAPI_ADMIN_CONNECTION`` (';' between them; tox sets the local
ones); users of their own, and everything dropped at cleanup."""

import os
import uuid

import fixtures
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import provision
import sqlalchemy as sa

ADMIN_VARIABLE = 'OS_TEST_DBAPI_ADMIN_CONNECTION'
# The MariaDB/MySQL driver of the URLs given out (tox -e functional-mysql:
# mysqldb, the one the docs recommend); unset: the admin URL's own.
MYSQL_DRIVER_VARIABLE = 'VBS_NATIVE_TEST_MYSQL_DRIVER'
# oslo.db's database types, by the names the benchmark also accepts.
KINDS = {'mysql': 'mysql', 'mariadb': 'mysql', 'postgresql': 'postgresql'}


class ServerMissing(Exception):
    pass


def server(kind):
    """oslo.db's provisioning backend of ``kind``, reachable."""
    try:
        return provision.Backend.backend_for_database_type(KINDS[kind])
    except db_exc.BackendNotAvailable as exc:
        raise ServerMissing('no %s server can be reached (%s); set %s to '
                            'its admin URL' % (kind, exc, ADMIN_VARIABLE)
                            ) from exc


def unique(prefix):
    return '%s_%s' % (prefix, uuid.uuid4().hex[:12])


def url(backend, name, user=None, password=None, port=None):
    """The URL of database ``name`` on ``backend``: as its admin, or as
    ``user``; through ``port`` instead of the server's own."""
    value = backend.provisioned_database_url(name)
    driver = os.environ.get(MYSQL_DRIVER_VARIABLE)
    if driver and value.get_backend_name() == 'mysql':
        value = value.set(drivername='mysql+' + driver)
    if user is not None:
        value = value.set(username=user, password=password)
    if port is not None:
        value = value.set(port=port)
    return value.render_as_string(hide_password=False)


class Database(fixtures.Fixture):
    """A new database on the ``kind`` server (``name``, or a random one);
    dropped at cleanup with the users made for it."""

    def __init__(self, kind='mysql', prefix='vbs_test', name=None):
        super().__init__()
        self.kind = KINDS[kind]
        self.name = name or unique(prefix)

    def _setUp(self):
        self.server = server(self.kind)
        admin = self.server.provisioned_database_url(self.name)
        self.host = admin.host or '127.0.0.1'
        self.port = admin.port or {'mysql': 3306, 'postgresql': 5432}[
            self.kind]
        self.admin_user = admin.username
        self.admin_password = admin.password or ''
        self.server.create_named_database(self.name)
        self.addCleanup(self.server.drop_named_database, self.name)
        if self.kind == 'mysql':
            self.admin_sql('ALTER DATABASE `%s` CHARACTER SET utf8mb4'
                           % self.name)

    def url(self, user=None, password=None, port=None):
        return url(self.server, self.name, user, password, port)

    def admin_sql(self, *statements):
        """Statements run by the server's admin."""
        with self.server.engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))

    def user(self, grants=None, prefix='vbs_u'):
        """(name, password) of a new MariaDB/MySQL user, dropped at
        cleanup: made by ``grants(name, password)``, the statements that
        create it and grant its rights, or else given ALL on this
        database."""
        name, password = unique(prefix), uuid.uuid4().hex
        if grants is None:
            statements = [
                "CREATE USER '%s'@'%%' IDENTIFIED BY '%s'" % (name, password),
                "GRANT ALL ON `%s`.* TO '%s'@'%%'" % (self.name, name)]
        else:
            statements = grants(name, password)
        self.addCleanup(self.admin_sql, *[
            "DROP USER IF EXISTS '%s'@'%s'" % (name, host)
            for host in ('localhost', '127.0.0.1', '%')])
        self.admin_sql(*statements)
        return name, password
