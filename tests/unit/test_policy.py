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

import logging
import os
import subprocess
import sys
import time
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


class TestReadsTarget(oslotest_base.BaseTestCase):
    """Rules that check the caller alone are decided once for any
    target."""

    def setUp(self):
        super().setUp()
        conf = self.useFixture(test_fixtures.Conf()).conf
        self.enforcer = policy.make_enforcer(conf)
        self.context = vbs_context.RequestContext(
            user_id='u1', project_id='p1', roles=['reader'],
            enforcer=self.enforcer)

    def set_rules(self, rules_by_name):
        self.enforcer.set_rules(oslo_policy.Rules.from_dict(rules_by_name))

    def test_which_rules_read_the_target(self):
        self.set_rules({
            'role': 'role:admin', 'literal': 'is_admin:True',
            'always': '@', 'never': '!',
            'owner': 'project_id:%(project_id)s',
            'role_of_target': 'role:%(project_id)s',
            'either': 'rule:role or rule:owner',
            'both_callers': 'rule:role and not role:member',
            'missing': 'rule:nothing', 'http': 'http://127.0.0.1/check',
            'loop': 'rule:loop or role:admin',
        })
        reading = {name: policy.reads_target(self.enforcer, name)
                   for name in ('role', 'literal', 'always', 'never', 'owner',
                                'role_of_target', 'either', 'both_callers',
                                'missing', 'http', 'loop', 'unknown')}
        self.assertEqual({
            'role': False, 'literal': False, 'always': False, 'never': False,
            'owner': True, 'role_of_target': True, 'either': True,
            'both_callers': False, 'missing': False, 'http': True,
            'loop': False, 'unknown': True}, reading)

    def test_default_rules(self):
        self.assertFalse(self.context.rule_reads_target(
            rules.PROJECT_ATTRIBUTE))
        self.assertTrue(self.context.rule_reads_target(rules.GET))

    def test_decided_once_for_every_target(self):
        self.set_rules({rules.PROJECT_ATTRIBUTE: 'role:reader'})
        with mock.patch.object(self.enforcer, 'authorize',
                               wraps=self.enforcer.authorize) as authorize:
            for project in ('p1', 'p2', 'p3'):
                self.assertTrue(self.context.can(
                    rules.PROJECT_ATTRIBUTE, {'project_id': project}))
            self.assertEqual(1, authorize.call_count)

    def test_new_rules_read_the_target_again(self):
        self.set_rules({rules.PROJECT_ATTRIBUTE: 'role:reader'})
        self.assertTrue(self.context.can(rules.PROJECT_ATTRIBUTE,
                                         {'project_id': 'p2'}))
        self.set_rules({rules.PROJECT_ATTRIBUTE: 'project_id:%(project_id)s'})
        self.assertTrue(self.context.rule_reads_target(
            rules.PROJECT_ATTRIBUTE))
        self.assertTrue(self.context.can(rules.PROJECT_ATTRIBUTE,
                                         {'project_id': 'p1'}))
        self.assertFalse(self.context.can(
            rules.PROJECT_ATTRIBUTE, {'project_id': 'p2'}, fatal=False))


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


class TestPolicyFile(oslotest_base.BaseTestCase):
    """A policy file that cannot be parsed: an ERROR, once per version of
    the file, and never an exception out of a check."""

    def setUp(self):
        super().setUp()
        self.path = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'policy.yaml')
        self.log = self.useFixture(fixtures.FakeLogger(
            name='vbs_native.policy', level=logging.WARNING))
        self.useFixture(fixtures.MockPatchObject(policy, 'RELOAD_SECONDS',
                                                 0))
        self.conf = self.useFixture(test_fixtures.Conf(**{
            'oslo_policy.policy_file': self.path})).conf

    def write(self, text):
        with open(self.path, 'w') as stream:
            stream.write(text)
        self.version = getattr(self, 'version', time.time()) + 10
        os.utime(self.path, (self.version, self.version))

    def context(self, enforcer):
        return vbs_context.RequestContext(
            user_id='u1', project_id='p1', roles=['reader'],
            enforcer=enforcer)

    def test_missing_file_warned_of(self):
        policy.make_enforcer(self.conf)
        self.assertIn('The policy file %s does not exist' % self.path,
                      self.log.output)

    def test_default_file_missing_is_no_warning(self):
        conf = self.useFixture(test_fixtures.Conf()).conf
        policy.make_enforcer(conf)
        self.assertEqual('', self.log.output)

    def test_bad_file_keeps_the_rules_loaded_before(self):
        self.write('"backup:get_all": "role:admin"\n')
        context = self.context(policy.make_enforcer(self.conf))
        self.assertFalse(context.can(rules.GET_ALL, fatal=False))
        for text in ('"backup:get_all": [\n', '- a list\n',
                     '"backup:get_all": 3\n'):
            self.write(text)
            for _ in range(3):
                self.assertFalse(context.can(rules.GET_ALL, fatal=False))
                self.assertTrue(context.can(rules.GET, fatal=False))
        errors = [line for line in self.log.output.splitlines()
                  if line.startswith('The policy file %s cannot be used'
                                     % self.path)]
        self.assertEqual(3, len(errors), self.log.output)
        self.assertIn('The rules loaded before stay in force.',
                      self.log.output)

    def test_bad_file_from_the_start_refuses(self):
        self.write('"backup:get_all": [\n')
        context = self.context(policy.make_enforcer(self.conf))
        for rule in (rules.GET_ALL, rules.GET, rules.GET_ALL):
            self.assertFalse(context.can(rule, fatal=False))
        self.assertIn('Every request is refused until it is fixed.',
                      self.log.output)
        self.write('{}\n')
        self.assertTrue(context.can(rules.GET_ALL, fatal=False))
