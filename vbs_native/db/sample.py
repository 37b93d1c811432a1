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

"""Backups for the service's own database: loaded from a JSON file, or
generated at random for demonstrations, tests and benchmarks."""

import datetime
import json
import random
import uuid

import sqlalchemy as sa

from vbs_native.db import migration
from vbs_native.db import models

_BATCH = 5000
_STATUSES = (['available'] * 80 + ['error'] * 6 + ['creating'] * 4 +
             ['deleting'] * 3 + ['restoring'] * 4 + ['error_deleting'] * 3)
_NAMES = ('daily', 'weekly', 'nightly', 'db', 'web', 'mail', 'logs',
          'archive', 'Résumé', 'données', 'резерв', 'バックアップ', 'pre-upgrade',
          'snap_2024%', 'test\\dir')
_COLUMNS = frozenset(c.name for c in models.backups.columns)


def project_ids(count, seed=0):
    # Reproducible sample data from a seed, not secrets.
    rng = random.Random('projects-%d' % seed)  # nosec B311
    return [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(count)]


def generate(count, projects=1, seed=0, start=None, first_share=0.53):
    """Yield ``count`` backup rows (dicts keyed by column name) and their
    metadata: most in the first project, about one in nine soft-deleted,
    many sharing a creation second."""
    # Reproducible sample data from a seed, not secrets.
    rng = random.Random(seed)  # nosec B311
    owners = project_ids(projects, seed)
    volumes = {p: [str(uuid.UUID(int=rng.getrandbits(128)))
                   for _ in range(max(3, count // (20 * projects)))]
               for p in owners}
    moment = start or datetime.datetime(2024, 1, 1)
    for number in range(count):
        project = owners[0] if (projects == 1 or rng.random() < first_share) \
            else rng.choice(owners[1:])
        # Whole seconds, several backups a second: ties on created_at.
        if rng.random() < 0.6:
            moment += datetime.timedelta(seconds=rng.randint(1, 90))
        deleted = rng.random() < 0.11
        status = rng.choice(_STATUSES)
        name = None if rng.random() < 0.08 else '%s-%d' % (
            rng.choice(_NAMES), number)
        row = {
            'id': str(uuid.UUID(int=rng.getrandbits(128))),
            'created_at': moment,
            'updated_at': moment + datetime.timedelta(
                seconds=rng.randint(0, 600)),
            'deleted_at': moment + datetime.timedelta(days=1)
            if deleted else None,
            'deleted': deleted,
            'user_id': uuid.UUID(int=rng.getrandbits(128)).hex,
            'project_id': project,
            'volume_id': rng.choice(volumes[project]),
            'host': 'backup-host@%d' % rng.randint(1, 3),
            'availability_zone': rng.choice(('nova', 'az-2')),
            'display_name': name,
            'display_description': None if rng.random() < 0.5 else
            'backup number %d' % number,
            'container': 'volumebackups',
            'status': status,
            'fail_reason': 'quota exceeded' if status == 'error' else None,
            'service_metadata': None,
            'service': 'cinder.backup.drivers.swift.SwiftBackupDriver',
            'size': rng.choice((1, 2, 5, 10, 20, 50, 100)),
            'object_count': rng.randint(0, 400),
            'parent_id': None,
            'temp_volume_id': None,
            'temp_snapshot_id': None,
            'num_dependent_backups': 0,
            'snapshot_id': None,
            'data_timestamp': moment,
            'restore_volume_id': None,
            'encryption_key_id': None,
        }
        metadata = {}
        if rng.random() < 0.2:
            metadata = {'origin': rng.choice(('schedule', 'manual')),
                        'tier': rng.choice(('gold', 'silver'))}
        yield row, metadata


def read_json(path):
    """Rows from a JSON list of objects keyed by Cinder's column names,
    each with an optional ``metadata`` object."""
    with open(path, encoding='utf-8') as handle:
        items = json.load(handle)
    if not isinstance(items, list):
        raise ValueError('%s: expected a JSON list of backups' % path)
    for index, item in enumerate(items):
        if not isinstance(item, dict) or 'id' not in item:
            raise ValueError('%s: item %d is not a backup with an id' % (
                path, index))
        item = dict(item)
        metadata = item.pop('metadata', None) or {}
        unknown = set(item) - _COLUMNS
        if unknown:
            raise ValueError('%s: item %d has unknown columns: %s' % (
                path, index, ', '.join(sorted(unknown))))
        for column in models.backups.columns:
            value = item.get(column.name)
            if isinstance(column.type, sa.DateTime) and isinstance(
                    value, str):
                item[column.name] = datetime.datetime.fromisoformat(
                    value.replace('Z', '+00:00')).replace(tzinfo=None)
        item.setdefault('deleted', False)
        item.setdefault('volume_id', '')
        yield item, metadata


def insert(engine, rows):
    """Insert (row, metadata) pairs into our own database; refuse any
    other. Returns the number of backups written."""
    migration.check_own(engine)
    written = write(engine, rows)
    analyse(engine)
    return written


# The tables' statistics, fresh after a bulk load: until autovacuum (or
# InnoDB) gets to them, the planner would not know the new rows.
_ANALYSE = {'postgresql': 'ANALYZE backups, backup_metadata',
            'mysql': 'ANALYZE TABLE backups, backup_metadata',
            'mariadb': 'ANALYZE TABLE backups, backup_metadata',
            'sqlite': 'ANALYZE'}


def analyse(engine):
    statement = _ANALYSE.get(engine.dialect.name)
    if statement is not None:
        with engine.begin() as connection:
            connection.exec_driver_sql(statement).close()


def write(engine, rows):
    """Insert (row, metadata) pairs into the backups tables of any
    database whose tables have our columns (ours, or Cinder's, which the
    benchmark fills). Returns the number of backups written."""
    written = 0
    columns = [column.name for column in models.backups.columns]
    with engine.begin() as connection:
        batch, metadata = [], []
        for row, meta in rows:
            batch.append({name: row.get(name) for name in columns})
            metadata.extend({'backup_id': row['id'], 'key': key,
                             'value': value, 'deleted': False,
                             'created_at': row.get('created_at')}
                            for key, value in meta.items())
            if len(batch) >= _BATCH:
                written += _flush(connection, batch, metadata)
                batch, metadata = [], []
        written += _flush(connection, batch, metadata)
    return written


def _flush(connection, batch, metadata):
    if batch:
        connection.execute(models.backups.insert(), batch)
    if metadata:
        connection.execute(models.backup_metadata.insert(), metadata)
    return len(batch)
