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

    def can(self, action, target=None, fatal=True):
        """Check a policy rule; raise PolicyNotAuthorized unless ``fatal``
        is false, in which case return whether it passed."""
        return policy.authorize(self.enforcer, self, action,
                                target or self.default_target(), fatal=fatal)
