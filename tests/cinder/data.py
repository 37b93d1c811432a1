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

"""The backups the Cinder tests create with Cinder's own code: two
projects, names shared and missing, ties on created_at, metadata,
encryption keys, incremental backups, and soft-deleted rows."""

import datetime
import uuid

PROJECT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
OTHER_PROJECT = 'f0e1d2c3b4a5968778695a4b3c2d1e0f'
ADMIN_PROJECT = '0d0e0a0d0b0e0e0f0000000000000001'
USER = 'u-reader'
OTHER_USER = 'u-other'

_NAMES = ['daily-%d', 'weekly-%d', 'db-%d', 'web-%d', 'logs-%d']
_STATUSES = ['available'] * 5 + ['error', 'creating', 'restoring']
_VOLUMES = [str(uuid.UUID(int=0x1000 + n)) for n in range(4)]
_START = datetime.datetime(2024, 3, 1, 8, 0, 0)


def _id(number):
    return str(uuid.UUID(int=0xbac0_0000 + number * 7919))


def backups():
    """Backups as dicts of Cinder object fields, with ``metadata`` and a
    ``deleted`` flag (soft-deleted by Cinder's own destroy())."""
    rows = []
    for number in range(36):
        project = PROJECT if number % 4 != 3 else OTHER_PROJECT
        # Ties on created_at: two or three backups share a second.
        created = _START + datetime.timedelta(minutes=7 * (number // 3))
        name = None if number % 11 == 5 else (
            _NAMES[number % len(_NAMES)] % (number % 9))
        row = {
            'id': _id(number),
            'user_id': USER if project == PROJECT else OTHER_USER,
            'project_id': project,
            'volume_id': _VOLUMES[number % len(_VOLUMES)],
            'host': 'backup-host@%d' % (number % 2),
            'availability_zone': 'nova' if number % 5 else 'az-2',
            'container': 'container-%d' % (number % 3),
            'status': _STATUSES[number % len(_STATUSES)],
            'fail_reason': 'disk full' if number % 8 == 5 else None,
            'size': 1 + (number * 37) % 50,
            'object_count': number * 3,
            'display_name': name,
            'display_description': None if number % 3 else 'nightly job',
            'created_at': created,
            'updated_at': created + datetime.timedelta(seconds=number),
            'data_timestamp': created - datetime.timedelta(minutes=1),
            'snapshot_id': None,
            'parent_id': _id(number - 4) if number % 6 == 4 else None,
            'num_dependent_backups': 1 if number % 6 == 0 else 0,
            'encryption_key_id': (
                '00000000-0000-0000-0000-000000000000' if number % 10 == 1
                else str(uuid.UUID(int=0xe0 + number)) if number % 10 == 2
                else None),
            'metadata': ({'tier': 'gold', 'n': str(number)}
                         if number % 4 == 0 else {}),
            'deleted': number % 9 == 7,
        }
        rows.append(row)
    return rows


def live(project=None):
    """The backups Cinder lists, newest first (created_at desc, id desc)."""
    rows = [row for row in backups() if not row['deleted']
            and (project is None or row['project_id'] == project)]
    return sorted(rows, key=lambda row: (row['created_at'], row['id']),
                  reverse=True)
