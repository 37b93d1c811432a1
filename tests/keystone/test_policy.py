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

"""A policy file of the operator's changes the answers as written, while
the service runs: oslo.policy reads the file again when it changes."""

import json
import os
import time

from tests.keystone import base


class PolicyFileTests(base.TestCase):

    server = 'policy'

    def setUp(self):
        super().setUp()
        self.vbs = self.env.servers[self.server]
        self.pid = self.vbs.process.pid
        # Back to the defaults in code, whatever the test did.
        self.addCleanup(self.write_policy, {})

    def write_policy(self, rules):
        path = self.vbs.policy_file
        previous = os.stat(path).st_mtime_ns if os.path.exists(path) else 0
        with open(path + '.new', 'w') as policy:
            json.dump(rules, policy)
        os.replace(path + '.new', path)
        # oslo.policy reloads when the modification time grows; make sure
        # it does, however coarse the file system's clock.
        mtime = max(os.stat(path).st_mtime_ns, previous + 10 ** 9)
        os.utime(path, ns=(mtime, mtime))

    def applied(self, user, path, status):
        """Wait for the new rules: the service looks at the policy file
        again at most once a second (README, Policy)."""
        deadline = time.monotonic() + 5
        while self.status(user, path) != status:
            self.assertLess(time.monotonic(), deadline,
                            'the policy file was not applied in 5 s')
            time.sleep(0.05)

    def status(self, user, path):
        return self.call(path, self.env.token(user),
                         server=self.server).status_code

    def test_listing_only_for_members(self):
        listing = '/v3/%s/native/backups' % self.p1
        show = listing + '/' + self.env.backups[self.p1][0]
        self.applied('p1-reader', listing, 200)

        self.write_policy({'backup:get_all':
                           'role:member and project_id:%(project_id)s'})
        self.applied('p1-reader', listing, 403)
        response = self.call(listing + '/detail',
                             self.env.token('p1-reader'), server=self.server)
        self.assert_fault(response, 403, 'forbidden')
        self.assertEqual(403, self.status('p1-reader', listing))
        self.assertEqual(200, self.status('p1-member', listing))
        self.assertEqual(200, self.status('p1-admin', listing))
        # Other rules keep their defaults.
        self.assertEqual(200, self.status('p1-reader', show))

        self.write_policy({'backup:get_all': 'role:admin'})
        self.applied('p1-member', listing, 403)
        self.assertEqual(200, self.status('p1-admin', listing))

        self.write_policy({})
        self.applied('p1-reader', listing, 200)
        # No restart.
        self.assertIsNone(self.vbs.process.poll())
        self.assertEqual(self.pid, self.vbs.process.pid)

    def test_all_projects_for_a_role_of_the_operator(self):
        # A Cinder-style override: members may list every project.
        self.write_policy({'backup:get_all_projects': 'role:member'})
        self.applied('p1-member', '/v3/%s/native/backups' % self.p2, 200)
        response = self.call('/v3/native/backups?all_tenants=true',
                             self.env.token('p1-member'), server=self.server)
        self.assertEqual(
            sorted(self.env.backups[self.p1] + self.env.backups[self.p2]),
            sorted(self.ids(response)))
        response = self.call('/v3/native/backups?all_tenants=true',
                             self.env.token('p1-reader'), server=self.server)
        self.assertEqual(sorted(self.env.backups[self.p1]),
                         sorted(self.ids(response)))
