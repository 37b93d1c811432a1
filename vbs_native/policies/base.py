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

"""Rules other rules refer to, named and defined as in Cinder, so a Cinder
policy.yaml that overrides them applies unchanged."""

from oslo_policy import policy

RULE_CONTEXT_IS_ADMIN = 'rule:context_is_admin'
RULE_ADMIN_API = 'rule:admin_api'
RULE_ADMIN_OR_OWNER = 'rule:admin_or_owner'
SYSTEM_READER_OR_PROJECT_READER = 'rule:xena_system_admin_or_project_reader'

rules = [
    policy.RuleDefault(
        'context_is_admin', 'role:admin',
        description="Decides what is required for the 'is_admin:True' check "
                    "to succeed."),
    policy.RuleDefault(
        'admin_api', 'is_admin:True or (role:admin and is_admin_project:True)',
        description='Default rule for administrative APIs.'),
    policy.RuleDefault(
        'admin_or_owner',
        'is_admin:True or (role:admin and is_admin_project:True) or '
        'project_id:%(project_id)s',
        description='Legacy rule, kept for policy files that refer to it.'),
    policy.RuleDefault(
        'xena_system_admin_or_project_reader',
        '(role:admin) or (role:reader and project_id:%(project_id)s)',
        description='An administrator, or a reader of the project.'),
]


def list_rules():
    return rules
