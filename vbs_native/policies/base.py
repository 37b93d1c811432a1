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
