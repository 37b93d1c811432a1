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

"""The WSGI application, configured from files and built from paste."""

import ipaddress
import os

from keystoneauth1 import loading as ksa_loading
from oslo_config import cfg
from oslo_log import log as logging

from vbs_native.api import deploy
from vbs_native import conf as vbs_conf
from vbs_native.db import engine as db_engine
from vbs_native import exception
from vbs_native import version

LOG = logging.getLogger(__name__)
AUTHTOKEN_GROUP = 'keystone_authtoken'


def load_config(argv=None, default_config_files=None, conf=None):
    """A ConfigOpts (a fresh one unless given) with the service's options,
    parsed."""
    conf = conf or cfg.ConfigOpts()
    vbs_conf.register_opts(conf)
    if default_config_files is None:
        default_config_files = config_files_from_environment()
    conf(argv or [], project='vbs-native',
         version=version.version_info.version_string(),
         default_config_files=default_config_files)
    return conf


def config_files_from_environment():
    """vbs-native.conf in the directory VBS_NATIVE_CONFIG_DIR names, or
    None: oslo.config's defaults."""
    config_dir = os.environ.get('VBS_NATIVE_CONFIG_DIR')
    if config_dir:
        return [os.path.join(config_dir, 'vbs-native.conf')]
    return None


def is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == 'localhost'


def check_exposure(conf, listen=None):
    """Refuse noauth, where every caller names its own identity, on an
    address others can reach, unless ``noauth_allow_non_loopback`` says
    so. ``listen``: the address vbs-native-api listens on; None under a
    WSGI server, whose address the service cannot know."""
    if conf.auth_strategy != 'noauth' or conf.noauth_allow_non_loopback:
        return
    if listen is not None and is_loopback(listen):
        return
    raise exception.NoauthExposed(where=(
        'on %s, which is not a loopback address' % listen
        if listen is not None else
        'under a WSGI server, whose address the service cannot know'))


def check_identity(conf):
    """Refuse the keystone pipeline with no way to validate a token:
    keystonemiddleware starts without ``[keystone_authtoken]`` and fails
    each request that carries a token (a 500)."""
    if conf.auth_strategy != 'keystone':
        return
    ksa_loading.register_auth_conf_options(conf, AUTHTOKEN_GROUP)
    section = conf[AUTHTOKEN_GROUP]
    if not (section.auth_type or section.auth_section):
        raise exception.KeystoneNotConfigured()


def check_start(conf, listen=None):
    """Every check of the configuration the service refuses to start
    without (exception.RefusedToStart); ``listen`` as for check_exposure."""
    check_exposure(conf, listen)
    check_identity(conf)


def init_application(conf=None, listen=None):
    """Configure logging and the database, then build the application;
    ``listen`` as for check_exposure."""
    if conf is None:
        conf = load_config()
    logging.setup(conf, 'vbs-native')
    try:
        check_start(conf, listen)
    except exception.RefusedToStart as exc:
        LOG.error('%s', exc)
        raise
    db_engine.configure(conf)
    return deploy.loadapp(conf)
