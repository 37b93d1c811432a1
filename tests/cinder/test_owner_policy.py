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

"""Owner-scoped rules in Cinder's policy.yaml apply to vbs-native as to
Cinder: ``backup:get`` is checked against the backup (its project and
user), as Cinder checks it, so a reader sees only the backups of their own
user; ``backup:backup_project_attribute`` is checked against each backup
too, where Cinder checks the caller, so a stranger does not see the owner's
ids."""

import json
import os
import time

from tests.cinder import base
from tests.cinder import data
from tests.cinder import environment as env_module

P = data.PROJECT
# A role no other test gives: who has it may list once the file applies.
APPLIED_ROLE = 'owner_policy_applied'
OWNER_RULES = dict(env_module.POLICY, **{
    'backup:get_all': env_module.POLICY['backup:get_all'] +
    ' or role:%s' % APPLIED_ROLE,
    'backup:get': 'rule:context_is_admin or '
                  '(role:reader and user_id:%(user_id)s)',
    'backup:backup_project_attribute': 'rule:context_is_admin or '
                                       '(role:reader and '
                                       'user_id:%(user_id)s)',
})
# A reader of the same project who made none of its backups.
STRANGER = env_module.persona('u-stranger', P, ['reader'])
ADMIN = env_module.persona('u-admin', P, ['admin', 'reader'])


class OwnerPolicyTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.cinder = self.env.cinder['filter-keystone']
        self.standalone = self.env.standalone
        self.write_policy(OWNER_RULES)
        self.addCleanup(self.write_policy, env_module.POLICY, applied=False)

    def write_policy(self, rules, applied=True):
        path = self.env.policy_file
        previous = os.stat(path).st_mtime_ns
        with open(path + '.new', 'w') as stream:
            json.dump(rules, stream, indent=1)
        os.replace(path + '.new', path)
        # Read again when the modification time grows, however coarse the
        # file system's clock.
        mtime = max(os.stat(path).st_mtime_ns, previous + 10 ** 9)
        os.utime(path, ns=(mtime, mtime))
        marker = env_module.persona('u-marker', P, [APPLIED_ROLE])
        for server in (self.cinder, self.standalone):
            for path in ('/v3/%s/backups' % P, '/v3/%s/native/backups' % P):
                if server is self.standalone and 'native' not in path:
                    continue
                deadline = time.monotonic() + 10
                while (self.get(server, path, marker).status_code == 200) != (
                        applied):
                    self.assertLess(time.monotonic(), deadline,
                                    'the policy file did not apply')
                    time.sleep(0.1)

    def test_show_only_own_backups(self):
        backup_id = data.live(P)[0]['id']
        self.assertEqual(data.USER, data.live(P)[0]['user_id'])
        for persona, status in ((env_module.READER, 200), (STRANGER, 403),
                                (ADMIN, 200)):
            cinder = self.get(self.cinder, '/v3/%s/backups/%s' % (
                P, backup_id), persona, '3.56')
            self.assertEqual(status, cinder.status_code, cinder.text)
            for server in (self.cinder, self.standalone):
                native = self.get(server, '/v3/%s/native/backups/%s' % (
                    P, backup_id), persona, '3.56')
                if status == 200:
                    self.assertEqual(cinder.json(),
                                     self.as_cinder(server, native))
                else:
                    self.assertSameError(native, cinder, persona)

    def test_attributes_checked_against_the_backup(self):
        # Cinder checks the attribute rule against the caller and shows a
        # stranger the owner's ids; vbs-native checks it against each
        # backup, as backup:get, and leaves them out. All else is Cinder's.
        owner_keys = ('os-backup-project-attr:project_id', 'user_id')
        for version in ('3.18', '3.56'):
            cinder = self.get(self.cinder, '/v3/%s/backups/detail' % P,
                              STRANGER, version)
            self.assertIn(owner_keys[0], cinder.json()['backups'][0])
            expected = [{key: value for key, value in item.items()
                         if key not in owner_keys}
                        for item in cinder.json()['backups']]
            for server in (self.cinder, self.standalone):
                for persona, shown in ((STRANGER, False),
                                       (env_module.READER, True)):
                    native = self.as_cinder(server, self.get(
                        server, '/v3/%s/native/backups/detail' % P,
                        persona, version))['backups']
                    if shown:  # the owner: every backup is theirs
                        for item in native:
                            self.assertIn(owner_keys[0], item)
                        continue
                    self.assertEqual(expected, native,
                                     (server.url, version))

    def as_cinder(self, server, response):
        """A native body as this Cinder would word it: Cinder's routes,
        Cinder's address."""
        self.assertEqual(200, response.status_code, response.text)
        text = json.dumps(base.native_to_cinder(response.json()))
        return json.loads(text.replace(server.url, self.cinder.url))
