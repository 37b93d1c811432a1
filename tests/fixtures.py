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

"""Fixtures shared by the tests: configuration, a database with our schema,
and the application built from the real paste file.

The database is SQLite unless ``VBS_NATIVE_TEST_DB`` names a server:
``mysql`` (MariaDB or MySQL) or ``postgresql``. Each Database fixture
creates a database of its own there (tests/harness/databases.py, oslo.db's
provisioning) and drops it afterwards. A named server that cannot be
reached fails the test, never skips it, so a run cannot pass without the
database it claims to test.
"""

import os

import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import engines
from oslo_db.sqlalchemy import test_fixtures
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import sizelimit
from oslo_policy import opts as policy_opts

from tests.harness import databases
from vbs_native.api import deploy
from vbs_native import conf as vbs_conf
from vbs_native.db import engine as db_engine
from vbs_native.db import migration
from vbs_native.db import sample


class Conf(fixtures.Fixture):
    """A fresh ConfigOpts with every option of the service registered."""

    def __init__(self, **overrides):
        super().__init__()
        self.overrides = overrides

    def _setUp(self):
        conf = cfg.ConfigOpts()
        vbs_conf.register_opts(conf)
        policy_opts.set_defaults(conf)
        # The middleware registers these when paste builds it; tests
        # override them before that.
        for opts in (http_proxy_to_wsgi.OPTS, sizelimit.OPTS):
            conf.register_opts(opts, group='oslo_middleware')
        self.fixture = self.useFixture(config_fixture.Config(conf))
        conf([], default_config_files=[])
        # The tests name their callers in headers; auth_strategy's default
        # is keystone.
        self.fixture.config(auth_strategy='noauth')
        for key, value in self.overrides.items():
            group, _sep, name = key.rpartition('.')
            self.fixture.config(**{name: value}, group=group or None)
        self.conf = conf


BACKEND_VARIABLE = 'VBS_NATIVE_TEST_DB'
BACKENDS = ('sqlite', 'mysql', 'postgresql')


def backend():
    """The database type this test run uses."""
    name = os.environ.get(BACKEND_VARIABLE) or 'sqlite'
    if name not in BACKENDS:
        raise ValueError('%s=%s: expected one of %s' % (
            BACKEND_VARIABLE, name, ', '.join(BACKENDS)))
    return name


class DatabaseServerMissing(Exception):
    pass


class Database(fixtures.Fixture):
    """A new database with our schema (unless ``schema`` is False), on the
    run's backend; unless ``install`` is False, the DB API reads it for the
    length of the test."""

    def __init__(self, url=None, schema=True, install=True):
        super().__init__()
        self.url = url
        self.schema = schema
        self.install = install

    def _setUp(self):
        if self.url is None:
            self.url = self._create()
        self.engine = engines.create_engine(
            self.url, mysql_sql_mode='TRADITIONAL')
        self.addCleanup(self.engine.dispose)
        if self.schema:
            migration.upgrade(self.engine)
        if self.install:
            facade = enginefacade.transaction_context()
            # As the service (db/engine.py): no connection until the first
            # request, so that its first connection meets the hooks.
            facade.configure(connection=self.url, synchronous_reader=False,
                             max_retries=0)
            db_engine.add_engine_hooks(facade, timeout=10)
            self.useFixture(test_fixtures.ReplaceEngineFacadeFixture(
                db_engine.main_context_manager, facade))
            self.addCleanup(lambda: facade.writer.get_engine().dispose())

    def _create(self):
        name = backend()
        if name == 'sqlite':
            directory = self.useFixture(fixtures.TempDir()).path
            return 'sqlite:///%s' % os.path.join(directory, 'test.sqlite')
        try:
            databases.server(name)
        except databases.ServerMissing as exc:
            raise DatabaseServerMissing('%s=%s but %s' % (
                BACKEND_VARIABLE, name, exc)) from exc
        return self.useFixture(databases.Database(name)).url()

    def insert(self, rows):
        """(row, metadata) pairs, rows keyed by column name."""
        return sample.insert(self.engine, rows)


class Application(fixtures.Fixture):
    """The WSGI application, from the real paste file, for ``conf``."""

    def __init__(self, conf, name='vbs_native'):
        super().__init__()
        self.conf = conf
        self.name = name

    def _setUp(self):
        self.app = deploy.loadapp(self.conf, self.name)
