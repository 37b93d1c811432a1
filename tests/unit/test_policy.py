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

"""Remembered policy decisions: the same answers as oslo.policy, and
forgotten when the rules change."""

import os
import subprocess
import sys
from unittest import mock

import fixtures
from oslo_policy import policy as oslo_policy
from oslotest import base as oslotest_base

from tests import fixtures as test_fixtures
from vbs_native import context as vbs_context
from vbs_native import exception
from vbs_native.policies import backups as rules
from vbs_native import policy


class TestAuthorize(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        conf = self.useFixture(test_fixtures.Conf()).conf
        self.enforcer = policy.make_enforcer(conf)

    def context(self, roles, project='p1'):
        return vbs_context.RequestContext(
            user_id='u1', project_id=project, roles=roles,
            enforcer=self.enforcer)

    def test_same_answers_as_oslo_policy(self):
        for roles in (['reader'], ['member'], ['admin'], []):
            context = self.context(roles)
            for rule in (rules.GET_ALL, rules.GET, rules.PROJECT_ATTRIBUTE,
                         rules.GET_ALL_PROJECTS):
                for _ in range(2):  # computed, then remembered
                    self.assertEqual(
                        bool(self.enforcer.authorize(
                            rule, context.default_target(), context)),
                        context.can(rule, fatal=False), (roles, rule))

    def test_remembered(self):
        context = self.context(['reader'])
        other = self.context(['reader'], 'p2')
        self.assertTrue(context.can(rules.GET_ALL))
        with mock.patch.object(self.enforcer, 'authorize') as authorize:
            self.assertTrue(context.can(rules.GET_ALL))
            self.assertEqual(0, authorize.call_count)
            # Another caller's values are decided afresh.
            self.assertTrue(other.can(rules.GET_ALL))
            self.assertEqual(1, authorize.call_count)

    def test_denied_raises_when_fatal(self):
        context = self.context(['member'])
        for _ in range(2):
            self.assertRaises(exception.PolicyNotAuthorized,
                              context.can, rules.GET_ALL)
            self.assertFalse(context.can(rules.GET_ALL, fatal=False))

    def test_new_rules_forget_decisions(self):
        context = self.context(['reader'])
        self.assertTrue(context.can(rules.GET_ALL))
        self.enforcer.set_rules(oslo_policy.Rules.from_dict(
            {rules.GET_ALL: '!'}))
        self.assertFalse(context.can(rules.GET_ALL, fatal=False))


class TestPolicyTools(oslotest_base.BaseTestCase):
    """The oslopolicy-* tools read the files --config-file names."""

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.policy_file = os.path.join(self.tmp, 'custom-policy.yaml')
        with open(self.policy_file, 'w') as f:
            f.write('"backup:get": "role:auditor"\n')
        self.config_file = os.path.join(self.tmp, 'vbs-native.conf')
        with open(self.config_file, 'w') as f:
            f.write('[oslo_policy]\npolicy_file = %s\n' % self.policy_file)

    def test_get_enforcer_reads_config_file(self):
        enforcer = policy.get_enforcer(
            ['--namespace', 'vbs_native', '--config-file', self.config_file])
        enforcer.load_rules()
        self.assertEqual('role:auditor', str(enforcer.rules['backup:get']))

    def test_policy_generator_reads_config_file(self):
        tool = os.path.join(os.path.dirname(sys.executable),
                            'oslopolicy-policy-generator')
        output = subprocess.run(
            [tool, '--namespace', 'vbs_native',
             '--config-file', self.config_file],
            capture_output=True, text=True, check=True).stdout
        self.assertIn('"backup:get": "role:auditor"', output)
