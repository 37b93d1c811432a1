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

"""Entry points for oslo-config-generator."""

from oslo_config import cfg
from oslo_middleware.healthcheck import opts as healthcheck_opts
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
    cfg.set_defaults(healthcheck_opts.HEALTHCHECK_OPTS, backends=['database'])
