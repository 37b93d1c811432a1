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

"""Backups as the API shows them; pure functions of rows, no I/O."""

from vbs_native.api import microversion as mv

FIXED_KEY_ID = '00000000-0000-0000-0000-000000000000'
PROJECT_ATTRIBUTE = 'os-backup-project-attr:project_id'


def _datetime(value):
    """As Cinder prints it, ``%Y-%m-%dT%H:%M:%S.%f``; isoformat() writes
    the same for a naive time from year 1000 on, in a third of the time
    (three per detail item). A string is one the database formatted so
    (db/backend.py)."""
    if value is None or value.__class__ is str:
        return value
    if value.tzinfo is None and value.year >= 1000:
        return value.isoformat(timespec='microseconds')
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f')


def summaries(rows, links):
    """Summary items of rows that start with (id, display_name), as the DB
    API's summary columns do, in one loop: a page has up to a thousand,
    Row attribute lookups cost twice what indexing does, and a call per
    item for its links (links.item) a third of the loop."""
    prefixes = links.item_prefixes([row[0] for row in rows])
    if prefixes is None:
        item = links.item
        return [{'id': row[0], 'name': row[1], 'links': item(row[0])}
                for row in rows]
    own, bookmark = prefixes
    return [{'id': (backup_id := row[0]), 'name': row[1],
             'links': [{'rel': 'self', 'href': own + backup_id},
                       {'rel': 'bookmark', 'href': bookmark + backup_id}]}
            for row in rows]


class Detail:
    """The detail view at one version, for one caller."""

    def __init__(self, version, shows_owner, metadata=None):
        """``shows_owner(row)``: whether the caller may see that backup's
        project and user ids (asked only at versions that show them)."""
        self.with_metadata = version.matches(mv.BACKUP_METADATA)
        self.with_key = version.matches(mv.ENCRYPTION_KEY_ID_IN_DETAILS)
        self.with_project = version.matches(mv.BACKUP_PROJECT_ATTRIBUTE)
        self.with_user = version.matches(mv.BACKUP_USER_ID)
        self.shows_owner = shows_owner
        self.metadata = metadata or {}

    def __call__(self, row, links):
        """``row``: the DB API's detail columns, in their order, then any
        others (the count); unpacked at once, since a Row's attribute
        lookups cost more than the rest of the item."""
        (backup_id, status, size, object_count, availability_zone,
         container, created_at, updated_at, name, description, fail_reason,
         volume_id, parent_id, num_dependent_backups, snapshot_id,
         data_timestamp, encryption_key_id, project_id, user_id,
         *_others) = row
        backup = {
            'id': backup_id,
            'status': status,
            'size': size,
            'object_count': object_count,
            'availability_zone': availability_zone,
            'container': container,
            'created_at': _datetime(created_at),
            'updated_at': _datetime(updated_at),
            'name': name,
            'description': description,
            'fail_reason': fail_reason,
            'volume_id': volume_id,
            'links': links.item(backup_id),
            'is_incremental': bool(parent_id),
            'has_dependent_backups': bool(num_dependent_backups),
            'snapshot_id': snapshot_id,
            'data_timestamp': _datetime(data_timestamp),
        }
        if self.with_metadata:
            backup['metadata'] = self.metadata.get(backup_id, {})
        if (self.with_key and encryption_key_id
                and encryption_key_id != FIXED_KEY_ID):
            backup['encryption_key_id'] = encryption_key_id
        if self.with_project and self.shows_owner(row):
            backup[PROJECT_ATTRIBUTE] = project_id
            if self.with_user:
                backup['user_id'] = user_id
        return backup


def list_view(items, next_links=None, count=None):
    """Keys in Cinder's order: backups, backups_links, count."""
    body = {'backups': items}
    if next_links:
        body['backups_links'] = next_links
    if count is not None:
        body['count'] = count
    return body
