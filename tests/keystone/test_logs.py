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

"""What the service logs: never a token; and every line logged for a
request carries its request id and, once the token is known, the user and
project ids."""

import glob
import os
import re
import uuid

from tests.keystone import base

# The prefix of oslo.log's lines, and the context part of its default
# logging_context_format_string: [global_request_id request_id user_identity]
_RECORD = re.compile(r'^\d{4}-\d\d-\d\d [\d:.]+ \d+ [A-Z]+ \S+ \[([^]]*)\] ')


class LogTests(base.TestCase):

    def logged_during(self, server, *args, **kwargs):
        """The response to a request, and the lines the server logged
        meanwhile (the tests send one request at a time)."""
        log_file = self.env.servers[server].log_file
        before = os.path.getsize(log_file)
        response = self.call(*args, server=server, **kwargs)
        with open(log_file) as log:
            log.seek(before)
            return response, log.read().splitlines()

    def requests(self):
        """(token, user, project) of requests that make the service log:
        valid tokens, unscoped, and refused ones."""
        env = self.env
        garbage = 'gAAAAAB' + uuid.uuid4().hex
        env.tokens.append(garbage)
        expired = env.keystone.expired(env.token('p1-member'))
        env.tokens.append(expired)
        revoked = env.token('p1-reader', fresh=True)
        env.identity.admin.revoke(revoked)
        users = env.identity.users
        return [
            (env.token('p1-reader'), users['p1-reader'], self.p1),
            (env.token('p1-admin'), users['p1-admin'], self.p1),
            (env.token('p2-member'), users['p2-member'], self.p2),
            (env.token('no-role', unscoped=True), users['no-role'], None),
            (garbage, None, None),
            (expired, None, None),
            (revoked, None, None),
            (None, None, None),
        ]

    def paths(self):
        return ['/v3/native/backups',
                '/v3/%s/native/backups/detail?limit=1' % self.p1,
                '/v3/native/backups/%s' % uuid.uuid4(),
                '/v3/native/backups?limit=nonsense']

    def test_every_line_of_a_request_carries_its_ids(self):
        # keystonemiddleware sets its token cache up, and warns that it is
        # in memory, on the first token it sees; that is start-up.
        self.call('/v3/native/backups', self.env.token('p1-reader'))
        for token, user, project in self.requests():
            for path in self.paths():
                response, lines = self.logged_during('cached', path, token)
                request_id = response.headers['x-openstack-request-id']
                self.assertTrue(lines, path)
                for line in lines:
                    match = _RECORD.match(line)
                    self.assertIsNotNone(match, line)
                    ids = match.group(1).split()
                    self.assertEqual(request_id, ids[1], line)
                    self.assertEqual([user or '-', project or '-'],
                                     ids[2:4], line)

    def test_debug_lines_carry_the_request_id(self):
        # The libraries at DEBUG log while the token is being validated,
        # before the user is known; and tracebacks, whose lines are the
        # rest of a record. Each record still names its request.
        for token, _user, _project in self.requests():
            response, lines = self.logged_during(
                'uncached', '/v3/native/backups', token)
            request_id = response.headers['x-openstack-request-id']
            records = [_RECORD.match(line) for line in lines]
            records = [record.group(1) for record in records if record]
            self.assertTrue(records)
            for record in records:
                self.assertEqual(request_id, record.split()[1], lines)

    def test_no_token_in_the_logs(self):
        for token, _user, _project in self.requests():
            for server in ('cached', 'uncached'):
                for path in self.paths():
                    self.call(path, token, server=server)
        secrets = self.env.tokens + [self.env.service_user['password']]
        self.assertGreater(len(secrets), 8)
        logs = glob.glob(os.path.join(self.env.directory, '*', '*.log'))
        self.assertGreater(len(logs), 6)
        for log_file in logs:
            if log_file.startswith(self.env.keystone.dir):
                continue
            with open(log_file) as log:
                text = log.read()
            for secret in secrets:
                self.assertNotIn(secret, text, log_file)
