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

"""The request context: who is calling, and what they may do."""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade

from vbs_native import policy

ENVIRON_KEY = 'vbs_native.context'


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):

    def __init__(self, *args, enforcer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enforcer = enforcer
        if enforcer is not None and not self.is_admin:
            self.is_admin = policy.authorize(
                enforcer, self, 'context_is_admin',
                self.to_policy_values(), fatal=False)

    def to_policy_values(self):
        """As Cinder's: with ``is_admin``, which rules such as
        ``admin_api`` check."""
        values = super().to_policy_values()
        values['is_admin'] = self.is_admin
        return values

    def default_target(self):
        return {'project_id': self.project_id, 'user_id': self.user_id}

    def rule_reads_target(self, action):
        """Whether the rule may answer differently for different targets."""
        return policy.reads_target(self.enforcer, action)

    def can(self, action, target=None, fatal=True):
        """Check a policy rule; raise PolicyNotAuthorized unless ``fatal``
        is false, in which case return whether it passed."""
        return policy.authorize(self.enforcer, self, action,
                                target or self.default_target(), fatal=fatal)
