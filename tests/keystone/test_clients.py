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

"""The clients people use, with password authentication against the real
Keystone, finding the service in its catalog: ``openstack volume backup
list``, ``cinder backup-list`` and openstacksdk's
``conn.block_storage.backups()``. They run from Keystone's virtualenv."""

import json
import re

from tests.keystone import base

_SDK = """
import json, openstack
conn = openstack.connect()
print(json.dumps([backup.id for backup in conn.block_storage.backups()]))
"""


class ClientTests(base.TestCase):

    def test_openstack_volume_backup_list(self):
        out = self.run_client('p1-reader', 'openstack', 'volume', 'backup',
                              'list', '-f', 'json')
        self.assertEqual(sorted(self.env.backups[self.p1]),
                         sorted(backup['ID'] for backup in json.loads(out)))

    def test_openstack_all_projects_as_admin(self):
        out = self.run_client('p1-admin', 'openstack', 'volume', 'backup',
                              'list', '--all-projects', '-f', 'json')
        self.assertEqual(
            sorted(self.env.backups[self.p1] + self.env.backups[self.p2]),
            sorted(backup['ID'] for backup in json.loads(out)))

    def test_cinder_backup_list(self):
        out = self.run_client('p2-member', 'cinder', 'backup-list')
        ids = re.findall(r'\| (b[0-9]{7}-[0-9-]+) ', out)
        self.assertEqual(sorted(self.env.backups[self.p2]), sorted(ids))

    def test_openstacksdk(self):
        out = self.run_client('p1-member', 'python', '-c', _SDK)
        self.assertEqual(sorted(self.env.backups[self.p1]),
                         sorted(json.loads(out)))
