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

"""Three vbs-native-api nodes, one worker each, behind HAProxy: walks of
next links balanced round-robin lose and repeat no row while a node is
killed and started again mid-walk."""

from oslotest import base as oslotest_base

from tests.ha import base
from tests.ha import client
from tests.ha import haproxy
from tests.hardening import base as hardening
from tests.harness import processes


class TestAPINodes(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.database = self.useFixture(
            hardening.MySQLDatabase(count=400, projects=1))
        self.project = self.database.project_ids[0]
        self.nodes = [
            self.useFixture(hardening.Service(self.database.url(),
                                              workers=1))
            for _ in range(3)]
        self.port = processes.free_port()
        self.proxy = self.useFixture(haproxy.HAProxy(haproxy.api_section(
            self.port, [node.port for node in self.nodes])))

    def test_walks_survive_a_node_killed_and_restarted(self):
        for number, sort in enumerate(base.SORTS):
            victim, name = self.nodes[number], 'api%d' % number

            def between(walk):
                if walk.pages == 3:
                    victim.kill()
                elif walk.pages == 8:
                    victim.start()
                    victim.wait(60)
                    self.proxy.wait_state('vbs_native_api', name, 'UP')

            walk = client.walk(
                self, self.port, self.project, base.query(sort), between,
                'API node killed, restarted (%s)' % (sort or 'default sort'))
            self.assertEqual(
                base.expected(self.database.engine, self.project, sort),
                walk.ids, walk.summary())
            # Round-robin over all three before; the dead node served
            # nothing; back in the rotation once HAProxy saw it up.
            self.assertEqual({'api0', 'api1', 'api2'},
                             set(walk.served_by[:3]))
            self.assertNotIn(name, walk.served_by[3:8])
            self.assertIn(name, walk.served_by[8:])
