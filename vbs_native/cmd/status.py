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

"""vbs-native-status upgrade check: is this deployment ready to serve?

    vbs-native-status [--config-file F] upgrade check [--json]

Exit codes are oslo.upgradecheck's: 0 success, 1 warning, 2 failure, 255
when the check itself fails.
"""

import sys

from oslo_config import cfg
from oslo_db.sqlalchemy import engines
from oslo_policy import opts as policy_opts
from oslo_policy import policy as oslo_policy
from oslo_upgradecheck import upgradecheck
import sqlalchemy as sa

from vbs_native import conf as vbs_conf
from vbs_native.conf import audit
from vbs_native.db import api as db_api
from vbs_native.db import engine as db_engine
from vbs_native.db import migration
from vbs_native import exception
from vbs_native import policies
from vbs_native import wsgi

Result = upgradecheck.Result
Code = upgradecheck.Code

# What the service reads, table by table.
COLUMNS = {
    'backups': sorted(set(db_api.DETAIL_COLUMNS) | {'deleted'}),
    'backup_metadata': ['backup_id', 'deleted', 'key', 'value'],
}
INDEX_NAME = 'backups_project_created_idx'
INDEX_COLUMNS = ['project_id', 'deleted', 'created_at', 'id']
# With the name too, a summary page reads the index alone.
INDEX_DDL = {
    'postgresql': 'CREATE INDEX %s ON backups (project_id, deleted, '
                  'created_at NULLS FIRST, id) INCLUDE (display_name);'
                  % INDEX_NAME,
}
INDEX_DDL_DEFAULT = 'CREATE INDEX %s ON backups (%s, display_name);' % (
    INDEX_NAME, ', '.join(INDEX_COLUMNS))
# Cinder's backup rules the service does not use: a Cinder policy file may
# name them.
CINDER_BACKUP_RULES = frozenset((
    'backup:create', 'backup:delete', 'backup:update', 'backup:restore',
    'backup:backup-import', 'backup:export-import'))


def _redacted(url):
    return sa.engine.make_url(url).render_as_string(hide_password=True)


class Checks(upgradecheck.UpgradeCommands):

    def __init__(self, conf):
        super().__init__()
        self.conf = conf
        self._engines = None

    def _urls(self):
        """(option name, URL) of each configured database."""
        urls = [('connection', self.conf.database.connection)]
        if self.conf.database.slave_connection:
            urls.append(('slave_connection',
                         self.conf.database.slave_connection))
        return urls

    def engines(self):
        """{option name: engine}, those that answer; made once."""
        if self._engines is None:
            self._engines, self._errors = {}, {}
            for name, url in self._urls():
                # The service's own bounds on each wait.
                parameters = db_engine.engine_options(self.conf, {
                    'connection': url,
                    'connection_parameters':
                        self.conf.database.connection_parameters,
                }).get('connection_parameters')
                try:
                    engine = engines.create_engine(
                        url, max_retries=0, connection_parameters=parameters,
                        mysql_sql_mode=self.conf.database.mysql_sql_mode)
                    with engine.connect() as connection:
                        connection.execute(sa.text('SELECT 1'))
                except Exception as exc:
                    self._errors[name] = (url, exc)
                else:
                    self._engines[name] = engine
        return self._engines

    def check_database(self):
        self.engines()
        if self._errors:
            return Result(Code.FAILURE, '; '.join(
                '[database] %s (%s) does not answer: %s' % (
                    name, _redacted(url), type(exc).__name__)
                for name, (url, exc) in sorted(self._errors.items()))
                + '. Check the URL, the user and password, the grants, '
                'and that the server is up.')
        return Result(Code.SUCCESS)

    def check_schema(self):
        problems = []
        notes = []
        for name, engine in sorted(self.engines().items()):
            revision = migration.version(engine)
            if revision is not None:
                head = migration.head()
                if revision != head:
                    problems.append(
                        '[database] %s is at revision %s, not %s: run '
                        'vbs-native-manage db sync.' % (name, revision, head))
                continue
            problem = _cinder_tables(engine)
            if problem:
                problems.append('[database] %s: %s' % (name, problem))
            else:
                notes.append('[database] %s is a Cinder database, read '
                             'only.' % name)
        if problems:
            return Result(Code.FAILURE, ' '.join(problems))
        return Result(Code.SUCCESS, ' '.join(notes) or None)

    def check_index(self):
        missing = []
        for name, engine in sorted(self.engines().items()):
            try:
                indexes = sa.inspect(engine).get_indexes('backups')
            except sa.exc.SQLAlchemyError:
                continue  # the schema check says why
            if not any(index['column_names'][:len(INDEX_COLUMNS)] ==
                       INDEX_COLUMNS for index in indexes):
                missing.append('[database] %s has no index on backups (%s), '
                               'so each list sorts all of a project\'s '
                               'backups. Create it: %s' % (
                                   name, ', '.join(INDEX_COLUMNS),
                                   INDEX_DDL.get(engine.dialect.name,
                                                 INDEX_DDL_DEFAULT)))
        if missing:
            return Result(Code.WARNING, ' '.join(missing))
        return Result(Code.SUCCESS)

    def check_policy(self):
        policy_opts.set_defaults(self.conf)
        name = self.conf.oslo_policy.policy_file
        path = self.conf.find_file(name)
        if path is None:
            return Result(Code.SUCCESS, 'No policy file %s: the rules in '
                          'code apply.' % name)
        try:
            with open(path) as f:
                rules = oslo_policy.parse_file_contents(f.read())
        except (OSError, ValueError) as exc:
            return Result(Code.FAILURE, 'The policy file %s cannot be read '
                          'as YAML or JSON (%s): fix it, or remove it to use '
                          'the rules in code.' % (path, exc))
        known = {rule.name for rule in policies.list_rules()}
        unknown = sorted(
            rule for rule in rules or {}
            if rule.startswith('backup:') and rule not in known
            and rule not in CINDER_BACKUP_RULES)
        if unknown:
            return Result(Code.WARNING, 'The policy file %s names rules the '
                          'service does not know: %s. Their defaults stay in '
                          'force; the known rules are: %s.' % (
                              path, ', '.join(unknown),
                              ', '.join(sorted(known))))
        return Result(Code.SUCCESS)

    def check_noauth(self):
        conf = self.conf
        if conf.auth_strategy != 'noauth' or wsgi.is_loopback(
                conf.osapi_volume_listen):
            return Result(Code.SUCCESS)
        if conf.noauth_allow_non_loopback:
            return Result(Code.WARNING, 'auth_strategy is noauth on %s, '
                          'allowed by noauth_allow_non_loopback: anyone who '
                          'can reach it can read every backup. For tests '
                          'only.' % conf.osapi_volume_listen)
        return Result(Code.FAILURE, 'auth_strategy is noauth and '
                      'osapi_volume_listen is %s, not a loopback address: '
                      'anyone who can reach it could read every backup. Set '
                      'auth_strategy = keystone, or listen on 127.0.0.1.' %
                      conf.osapi_volume_listen)

    def check_identity(self):
        try:
            wsgi.check_identity(self.conf)
        except exception.KeystoneNotConfigured as exc:
            return Result(Code.FAILURE, str(exc))
        return Result(Code.SUCCESS)

    def check_options(self):
        unknown = audit.unknown_options(self.conf)
        if unknown:
            return Result(Code.WARNING, 'Options the service does not know, '
                          'which it ignores: %s. Correct or remove them.' %
                          '; '.join('[%s] %s in %s' % item
                                    for item in unknown))
        return Result(Code.SUCCESS)

    _upgrade_checks = (
        ('Database', check_database),
        ('Schema', check_schema),
        ('Keyset index', check_index),
        ('Policy file', check_policy),
        ('noauth', check_noauth),
        ('Identity', check_identity),
        ('Unknown options', check_options),
    )


def _cinder_tables(engine):
    """What keeps the service from reading Cinder's tables, or None."""
    inspector = sa.inspect(engine)
    tables = set(inspector.get_table_names())
    if not set(COLUMNS) <= tables:
        return ('neither vbs-native\'s schema nor Cinder\'s (no %s table): '
                'run vbs-native-manage db sync, or point it at Cinder\'s '
                'database.' % ' or '.join(sorted(set(COLUMNS) - tables)))
    for table, columns in sorted(COLUMNS.items()):
        present = {column['name'] for column in inspector.get_columns(table)}
        missing = [column for column in columns if column not in present]
        if missing:
            return ('table %s has no column %s: this is not a Cinder schema '
                    'the service can read.' % (table, ', '.join(missing)))
    try:
        with engine.connect() as connection:
            for table, columns in sorted(COLUMNS.items()):
                connection.execute(sa.select(
                    *(sa.column(column) for column in columns)).select_from(
                        sa.table(table)).where(sa.false()))
    except sa.exc.SQLAlchemyError:
        return ('the tables cannot be read by %s: GRANT SELECT ON backups '
                'and backup_metadata to it.' % (engine.url.username or
                                                'this user'))
    return None


def main(argv=None):
    conf = cfg.ConfigOpts()
    vbs_conf.register_opts(conf)
    try:
        return upgradecheck.main(
            conf, project='vbs-native', upgrade_command=Checks(conf),
            argv=sys.argv[1:] if argv is None else argv,
            default_config_files=wsgi.config_files_from_environment())
    except cfg.Error as exc:
        print('Error: %s' % exc, file=sys.stderr)
        return 255
