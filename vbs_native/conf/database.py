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

from oslo_config import cfg
from oslo_db import options as db_options

DEFAULT_CONNECTION = 'sqlite:///$state_path/vbs_native.sqlite'
# oslo.db's default (10 attempts, 10 s apart) makes the first request of
# a worker wait 100 s for a database that is down; each request tries
# once and answers 503 instead (see vbs_native.db.faults).
DEFAULTS = {'connection': DEFAULT_CONNECTION, 'max_retries': 0}


def register_opts(conf):
    db_options.set_defaults(conf)
    for name, value in DEFAULTS.items():
        conf.set_default(name, value, group='database')


def set_lib_defaults():
    """The same defaults on oslo.db's options themselves, for the tools
    that list them (oslo-config-generator, the documentation)."""
    cfg.set_defaults(db_options.database_opts, **DEFAULTS)
