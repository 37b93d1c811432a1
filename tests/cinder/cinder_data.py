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

"""Create the test backups with Cinder's own objects and DB API.

Run in the Cinder virtualenv: ``python -m tests.cinder.cinder_data
--config-file cinder.conf``. Rows are written by Cinder's DB API
(``db.backup_create``, metadata included, as ``objects.Backup.create()``
does, but keeping our fixed ids); the ``deleted`` ones are then
soft-deleted with ``db.backup_destroy``, as ``Backup.destroy()`` does.
"""

import sys

from oslo_config import cfg


def main(argv):
    from cinder import context
    from cinder.db import api as db
    from cinder import objects

    objects.register_all()
    cfg.CONF(argv, project='cinder')
    from tests.cinder import data

    admin = context.get_admin_context()
    for row in data.backups():
        fields = dict(row)
        deleted = fields.pop('deleted')
        db.backup_create(admin, fields)
        if deleted:
            db.backup_destroy(admin, fields['id'])
    print('created %d backups' % len(data.backups()))


if __name__ == '__main__':
    main(sys.argv[1:])
