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


def _backup(number, project=PROJECT, name=None, status='available',
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
    (_backup(1, name='daily-1'), {}),
    (_backup(2, name='daily-2', status='error', fail_reason='no space'), {}),
    (_backup(3, name='Daily-3', volume=VOLUME_B), {'tier': 'gold'}),
    (_backup(4, name=None), {}),
    (_backup(5, name='weekly', created=5), {}),
    (_backup(6, name='weekly', created=5), {}),  # same second as 5
    (_backup(7, name='weekly', created=5, status='creating'), {}),
    (_backup(8, name='100%_sure', volume=VOLUME_B), {}),
    (_backup(9, name='back\\slash'), {}),
    (_backup(10, name='Résumé'), {'origin': 'manual'}),
    (_backup(11, name='резерв', status='restoring'), {}),
    (_backup(12, name='trailing '), {}),
    (_backup(13, name="it's"), {}),
    (_backup(14, name='', status='deleting'), {}),
    (_backup(15, name='incremental', parent_id='b0000001',
             num_dependent_backups=0, encryption_key_id=KEY_ID), {}),
    (_backup(16, name='has-children', num_dependent_backups=2,
             encryption_key_id=ZERO_KEY), {}),
    (_backup(17, name='gone', deleted=True), {}),
    (_backup(18, name='daily-18', deleted=True), {}),
    (_backup(19, name='other-1', project=OTHER_PROJECT), {}),
    (_backup(20, name='other-2', project=OTHER_PROJECT, volume=VOLUME_B),
     {}),
    (_backup(21, name='daily-other', project=OTHER_PROJECT,
             status='error'), {}),
]

# Every nullable sort column NULL, tied on created_at with 5 to 7: NULLs sort
# lowest, and a NULL name ties with backup 4's.
BACKUPS.append((_backup(22, created=5, size=None, availability_zone=None,
                        container=None, updated_at=None, data_timestamp=None),
                {}))


def live(project=PROJECT):
    return [row for row, _meta in BACKUPS
            if row['project_id'] == project and not row['deleted']]
