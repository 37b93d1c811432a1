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

"""Building the WSGI application from paste deploy.

Paste cannot hand objects to the factories it calls, so ``loadapp`` holds
the service's ConfigOpts while paste builds the application, and the
factories take it from here. A factory called by some other paste loader
(inside Cinder's pipeline) reads the config files its paste section names.
"""

import os
import sys
import threading

from oslo_config import cfg
from paste import deploy

from vbs_native import conf as vbs_conf

_lock = threading.RLock()
_building = threading.local()


def loadapp(conf, name='vbs_native'):
    """The application named ``name`` in the paste file of ``conf``."""
    with _lock:
        _building.conf = conf
        try:
            return deploy.loadapp('config:%s' % find_paste_config(conf),
                                  name=name)
        finally:
            _building.conf = None


def find_paste_config(conf):
    """The paste file: next to the config files, then installed, then in
    the source tree."""
    name = conf.api_paste_config
    if os.path.isabs(name):
        candidates = [name]
    else:
        candidates = [conf.find_file(name),
                      os.path.join(sys.prefix, 'etc', 'vbs_native', name),
                      os.path.join(_SOURCE_ETC, name)]
    for path in candidates:
        if path and os.path.exists(path):
            return os.path.abspath(path)
    raise cfg.ConfigFilesNotFoundError([name])


_SOURCE_ETC = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir,
                           'etc', 'vbs_native')


def config_for(local_conf):
    """The ConfigOpts a paste factory should use."""
    conf = getattr(_building, 'conf', None)
    if conf is not None:
        return conf
    conf = cfg.ConfigOpts()
    vbs_conf.register_opts(conf)
    files = local_conf.get('config_file')
    conf([], project='vbs-native',
         default_config_files=files.split() if files else None)
    return conf


def pipeline_factory(loader, global_conf, **local_conf):
    """A pipeline chosen by ``auth_strategy``, as in Cinder's paste file."""
    conf = config_for(local_conf)
    names = local_conf[conf.auth_strategy].split()
    app = loader.get_app(names[-1])
    for name in reversed(names[:-1]):
        app = loader.get_filter(name)(app)
    return app
