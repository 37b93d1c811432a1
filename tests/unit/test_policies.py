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

"""Policy rules named and defaulted as Cinder's (CONTRACT.md section 6)."""

from oslotest import base as oslotest_base

from vbs_native import policies


class TestRules(oslotest_base.BaseTestCase):

    def test_cinder_names_and_defaults(self):
        rules = {rule.name: rule.check_str
                 for rule in policies.list_rules()}
        self.assertEqual(
            '(role:admin) or (role:reader and project_id:%(project_id)s)',
            rules['xena_system_admin_or_project_reader'])
        for name in ('backup:get_all', 'backup:get'):
            self.assertEqual('rule:xena_system_admin_or_project_reader',
                             rules[name])
        self.assertEqual('rule:admin_api',
                         rules['backup:backup_project_attribute'])
        self.assertEqual(
            'is_admin:True or (role:admin and is_admin_project:True)',
            rules['admin_api'])
        self.assertEqual('role:admin', rules['context_is_admin'])
        self.assertEqual('rule:context_is_admin',
                         rules['backup:get_all_projects'])
