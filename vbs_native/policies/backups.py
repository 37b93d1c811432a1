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

from oslo_log import versionutils
from oslo_policy import policy

from vbs_native.policies import base

GET_ALL = 'backup:get_all'
GET = 'backup:get'
PROJECT_ATTRIBUTE = 'backup:backup_project_attribute'
GET_ALL_PROJECTS = 'backup:get_all_projects'

_DEPRECATED_REASON = (
    'Cinder moved to project reader personas; the old owner rule is kept '
    'so deployments can opt back in.')

_LIST_OPERATIONS = [
    {'method': 'GET', 'path': '/v3/{project_id}/native/backups'},
    {'method': 'GET', 'path': '/v3/{project_id}/native/backups/detail'},
    {'method': 'GET', 'path': '/v3/{project_id}/backups'},
    {'method': 'GET', 'path': '/v3/{project_id}/backups/detail'},
]
_SHOW_OPERATIONS = [
    {'method': 'GET', 'path': '/v3/{project_id}/native/backups/{backup_id}'},
    {'method': 'GET', 'path': '/v3/{project_id}/backups/{backup_id}'},
]

rules = [
    policy.DocumentedRuleDefault(
        name=GET_ALL,
        check_str=base.SYSTEM_READER_OR_PROJECT_READER,
        description='List backups.',
        operations=_LIST_OPERATIONS,
        deprecated_rule=policy.DeprecatedRule(
            name=GET_ALL, check_str=base.RULE_ADMIN_OR_OWNER,
            deprecated_reason=_DEPRECATED_REASON,
            deprecated_since=versionutils.deprecated.WALLABY)),
    policy.DocumentedRuleDefault(
        name=GET,
        check_str=base.SYSTEM_READER_OR_PROJECT_READER,
        description='Show backup.',
        operations=_SHOW_OPERATIONS,
        deprecated_rule=policy.DeprecatedRule(
            name=GET, check_str=base.RULE_ADMIN_OR_OWNER,
            deprecated_reason=_DEPRECATED_REASON,
            deprecated_since=versionutils.deprecated.WALLABY)),
    policy.DocumentedRuleDefault(
        name=PROJECT_ATTRIBUTE,
        check_str=base.RULE_ADMIN_API,
        description='Show the project (from 3.18) and user (from 3.56) of '
                    'backups in the detail list and show.',
        operations=_SHOW_OPERATIONS + _LIST_OPERATIONS[1::2]),
    policy.DocumentedRuleDefault(
        name=GET_ALL_PROJECTS,
        check_str=base.RULE_CONTEXT_IS_ADMIN,
        description='See the backups of every project: list with '
                    'all_tenants=true, name another project in the URL, show '
                    'any backup, and use any backup as a marker.',
        operations=_LIST_OPERATIONS + _SHOW_OPERATIONS),
]


def list_rules():
    return rules
