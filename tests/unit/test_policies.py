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
