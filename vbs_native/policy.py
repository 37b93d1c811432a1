"""The oslo.policy enforcer."""

from oslo_config import cfg
from oslo_policy import policy

from vbs_native import exception
from vbs_native import policies


def make_enforcer(conf):
    enforcer = policy.Enforcer(conf)
    enforcer.register_defaults(policies.list_rules())
    return enforcer


def get_enforcer():
    """Entry point of the oslopolicy-* command line tools."""
    conf = cfg.CONF
    conf([], project='vbs-native')
    return make_enforcer(conf)


def authorize(enforcer, context, action, target, fatal=True):
    try:
        return enforcer.authorize(action, target, context, do_raise=fatal,
                                  exc=exception.PolicyNotAuthorized,
                                  action=action)
    except policy.InvalidScope:
        if not fatal:
            return False
        raise exception.PolicyNotAuthorized(action=action)
