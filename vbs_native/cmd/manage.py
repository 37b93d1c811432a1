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

"""vbs-native-manage: the service's own database.

    vbs-native-manage [--config-file F] db sync | db version
    vbs-native-manage backup load FILE.json
    vbs-native-manage backup generate --count N [--projects K] [--seed S]
        [--first-share F]

It writes only to a database that ``db sync`` created: never to Cinder's.
"""

import os
import sys

from oslo_config import cfg
from oslo_db.sqlalchemy import engines

from vbs_native.db import migration
from vbs_native.db import sample
from vbs_native import exception
from vbs_native import wsgi


def _engine(conf):
    url = conf.database.connection
    if url.startswith('sqlite:///'):
        # The default file lives under state_path, which may not exist yet.
        path = url[len('sqlite:///'):]
        if path and path != ':memory:':
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return engines.create_engine(
        url, mysql_sql_mode=conf.database.mysql_sql_mode,
        connection_parameters=conf.database.connection_parameters)


def db_sync(conf):
    migration.upgrade(_engine(conf))
    print('Database at revision %s' % migration.version(_engine(conf)))


def db_version(conf):
    print(migration.version(_engine(conf)) or 'None')


def backup_load(conf):
    written = sample.insert(_engine(conf),
                            sample.read_json(conf.command.file))
    print('Loaded %d backups' % written)


def backup_generate(conf):
    command = conf.command
    written = sample.insert(_engine(conf), sample.generate(
        command.count, projects=command.projects, seed=command.seed,
        first_share=command.first_share))
    print('Generated %d backups in projects: %s' % (
        written, ' '.join(sample.project_ids(command.projects,
                                             command.seed))))


def _add_parsers(subparsers):
    db = subparsers.add_parser('db').add_subparsers(dest='action')
    db.required = True
    db.add_parser('sync', help='Create or upgrade the schema.').set_defaults(
        func=db_sync)
    db.add_parser('version', help='Print the schema revision.').set_defaults(
        func=db_version)

    backup = subparsers.add_parser('backup').add_subparsers(dest='action')
    backup.required = True
    load = backup.add_parser('load', help='Insert backups from a JSON list '
                             'of rows keyed by Cinder column names.')
    load.add_argument('file')
    load.set_defaults(func=backup_load)
    generate = backup.add_parser('generate', help='Insert random backups.')
    generate.add_argument('--count', type=int, required=True)
    generate.add_argument('--projects', type=int, default=1)
    generate.add_argument('--first-share', type=float, default=0.53,
                          help='Share of the backups in the first project '
                               '(with several projects).')
    generate.add_argument('--seed', type=int, default=0)
    generate.set_defaults(func=backup_generate)


def main(argv=None):
    command_opt = cfg.SubCommandOpt('command', handler=_add_parsers,
                                    title='Commands')
    conf = cfg.ConfigOpts()
    conf.register_cli_opt(command_opt)
    try:
        conf = wsgi.load_config(sys.argv[1:] if argv is None else argv,
                                conf=conf)
        conf.command.func(conf)
    except (exception.NotWritable, ValueError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0
