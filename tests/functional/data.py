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

"""The backups the functional tests query: few enough to reason about, with
every case that matters (ties, NULLs, soft-deleted rows, awkward names)."""

import datetime

PROJECT = '11111111111111111111111111111111'
OTHER_PROJECT = '22222222222222222222222222222222'
USER = 'u1'
VOLUME_A = 'aaaaaaaa-0000-0000-0000-000000000001'
VOLUME_B = 'bbbbbbbb-0000-0000-0000-000000000002'
KEY_ID = 'cccccccc-0000-0000-0000-000000000003'
ZERO_KEY = '00000000-0000-0000-0000-000000000000'

_T0 = datetime.datetime(2024, 1, 1, 0, 0, 0)


def _at(seconds):
    return _T0 + datetime.timedelta(seconds=seconds)


def backup(number, project=PROJECT, name=None, status='available',
           volume=VOLUME_A, created=None, deleted=False, **extra):
    row = {
        'id': 'b%07d-0000-0000-0000-000000000000' % number,
        'project_id': project,
        'user_id': USER,
        'volume_id': volume,
        'display_name': name,
        'display_description': 'backup %d' % number,
        'status': status,
        'size': number % 7 + 1,
        'object_count': number,
        'availability_zone': 'nova',
        'container': 'volumebackups',
        'created_at': _at(number if created is None else created),
        'updated_at': _at(1000 + number),
        'deleted': deleted,
        'deleted_at': _at(2000) if deleted else None,
        'num_dependent_backups': 0,
        'data_timestamp': _at(number),
    }
    row.update(extra)
    return row


# (row, metadata); ids sort as their numbers.
BACKUPS = [
    (backup(1, name='daily-1'), {}),
    (backup(2, name='daily-2', status='error', fail_reason='no space'), {}),
    (backup(3, name='Daily-3', volume=VOLUME_B), {'tier': 'gold'}),
    (backup(4, name=None), {}),
    (backup(5, name='weekly', created=5), {}),
    (backup(6, name='weekly', created=5), {}),  # same second as 5
    (backup(7, name='weekly', created=5, status='creating'), {}),
    (backup(8, name='100%_sure', volume=VOLUME_B), {}),
    (backup(9, name='back\\slash'), {}),
    (backup(10, name='Résumé'), {'origin': 'manual'}),
    (backup(11, name='резерв', status='restoring'), {}),
    (backup(12, name='trailing '), {}),
    (backup(13, name="it's"), {}),
    (backup(14, name='', status='deleting'), {}),
    (backup(15, name='incremental', parent_id='b0000001',
            num_dependent_backups=0, encryption_key_id=KEY_ID), {}),
    (backup(16, name='has-children', num_dependent_backups=2,
            encryption_key_id=ZERO_KEY), {}),
    (backup(17, name='gone', deleted=True), {}),
    (backup(18, name='daily-18', deleted=True), {}),
    (backup(19, name='other-1', project=OTHER_PROJECT), {}),
    (backup(20, name='other-2', project=OTHER_PROJECT, volume=VOLUME_B),
     {}),
    (backup(21, name='daily-other', project=OTHER_PROJECT,
            status='error'), {}),
]

# Every nullable sort column NULL, tied on created_at with 5 to 7: NULLs sort
# lowest, and a NULL name ties with backup 4's.
BACKUPS.append((backup(22, created=5, size=None, availability_zone=None,
                       container=None, updated_at=None, data_timestamp=None),
                {}))


def live(project=PROJECT):
    return [row for row, _meta in BACKUPS
            if row['project_id'] == project and not row['deleted']]
