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

"""The policy file goes wrong under a running service: never a 500, the
rules loaded before stay in force, and an ERROR names the file and the
problem; a configured policy file that does not exist is warned of at
start."""

import os
import time

import fixtures

from tests.hardening import base

SECTION = 'Policy file'


class TestPolicyFile(base.TestCase):

    def setUp(self):
        super().setUp()
        self.directory = self.useFixture(fixtures.TempDir()).path
        self.url, projects = base.sqlite_database(self.directory, count=10)
        self.project = projects[0]
        self.policy_file = os.path.join(self.directory, 'policy.yaml')

    def start(self, policy_file):
        self.service = self.useFixture(base.Service(
            self.url, workers=2,
            options={'oslo_policy.policy_file': policy_file}))

    def write_policy(self, text):
        previous = (os.stat(self.policy_file).st_mtime_ns
                    if os.path.exists(self.policy_file) else 0)
        with open(self.policy_file + '.new', 'w') as stream:
            stream.write(text)
        os.replace(self.policy_file + '.new', self.policy_file)
        # oslo.policy reads the file again when its time grows.
        mtime = max(os.stat(self.policy_file).st_mtime_ns,
                    previous + 10 ** 9)
        os.utime(self.policy_file, ns=(mtime, mtime))

    def statuses(self, seconds):
        """The status of each listing for ``seconds`` (both workers answer
        some of them)."""
        statuses = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            response = self.service.get(
                '/v3/%s/native/backups' % self.project, self.project)
            if response.status >= 500:
                self.assertFault(response, response.status)
            statuses.append(response.status)
            time.sleep(0.05)
        return statuses

    def test_malformed_file_written_after_start(self):
        self.write_policy('"backup:get_all": "role:admin"\n')
        self.start(self.policy_file)
        self.assertEqual({403}, set(self.statuses(0.5)))

        self.write_policy('"backup:get_all": ["role:admin"\n')
        # The file is looked at again within a second, in each worker.
        self.assertEqual({403}, set(self.statuses(3)))
        logs = self.service.log_tail(10 ** 7)
        self.assertRegex(logs, r'ERROR [^\n]* The policy file %s cannot be '
                         r'used: while parsing' % self.policy_file)
        self.assertNotIn('Traceback', logs)

        self.write_policy('{}\n')
        deadline = time.monotonic() + 5
        while self.statuses(0.1)[-1] != 200:
            self.assertLess(time.monotonic(), deadline,
                            'the fixed policy file was not applied in 5 s')
        base.record(SECTION, 'policy file made malformed while the service '
                    'runs', 'the rules loaded before stay in force (403 '
                    'here), never a 500; an ERROR names the file and the '
                    'parse error; the fixed file applies within a second')

    def test_malformed_file_at_start(self):
        self.write_policy('- not a mapping\n')
        self.start(self.policy_file)
        self.assertEqual({403}, set(self.statuses(1.5)))
        self.assertRegex(self.service.log_tail(10 ** 7),
                         r'ERROR [^\n]* The policy file %s cannot be used: '
                         r'[^\n]* Every request is refused' % self.policy_file)
        base.record(SECTION, 'policy file malformed from the start',
                    'every request refused (403), never a 500; an ERROR '
                    'names the file and the problem')

    def test_missing_file_warned_of(self):
        missing = os.path.join(self.directory, 'no', 'policy.yaml')
        self.start(missing)
        self.assertEqual({200}, set(self.statuses(0.5)))
        self.assertRegex(self.service.log_tail(10 ** 7),
                         r'WARNING [^\n]* The policy file %s does not exist'
                         % missing)
        base.record(SECTION, 'policy_file names a file that does not exist',
                    'a WARNING at start names it; the rules in code apply')
