"""Entry points for oslo-config-generator."""

from oslo_config import cfg
from oslo_policy import opts as policy_opts

from vbs_native.conf import api
from vbs_native.conf import database
from vbs_native.conf import paths

# [database] is oslo.db's namespace, with the defaults of set_lib_defaults.
_MODULES = (paths, api)


def list_opts():
    groups = {}
    for module in _MODULES:
        for group, opts in module.list_opts().items():
            groups.setdefault(group, []).extend(opts)
    return sorted(groups.items())


def set_lib_defaults():
    """Defaults of library options as this service wants them."""
    policy_opts.set_defaults(cfg.CONF, policy_file='policy.yaml')
    database.set_lib_defaults()
