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

"""The options in a deployment's config files that nothing reads: a
misspelt name (auth_stratgy) is silently ignored by oslo.config."""

import configparser
import glob
import importlib.metadata
import os

from keystoneauth1 import loading as ks_loading

# The option namespaces of the sample configuration file.
NAMESPACES = ('vbs_native', 'keystonemiddleware.auth_token', 'oslo.db',
              'oslo.log', 'oslo.middleware.healthcheck',
              'oslo.middleware.http_proxy_to_wsgi',
              'oslo.middleware.sizelimit', 'oslo.policy')


def _known_options(sections):
    """{group: names} of every option the service or its libraries read."""
    known = {}
    for entry_point in importlib.metadata.entry_points(
            group='oslo.config.opts'):
        if entry_point.name not in NAMESPACES:
            continue
        for group, opts in entry_point.load()():
            names = known.setdefault(getattr(group, 'name', group)
                                     or 'DEFAULT', set())
            for opt in opts:
                names.add(opt.dest)
                names.update(old.name.replace('-', '_')
                             for old in opt.deprecated_opts if old.name)
    # The options of [keystone_authtoken]'s auth plugin.
    auth_type = sections.get('keystone_authtoken', {}).get('auth_type')
    if auth_type:
        try:
            plugin_opts = ks_loading.get_auth_plugin_conf_options(auth_type)
        except Exception:  # an unknown plugin: keystonemiddleware says so
            plugin_opts = []
        known['keystone_authtoken'].update(opt.dest for opt in plugin_opts)
    return known


def _config_files(conf):
    files = list(conf.config_file or [])
    for directory in conf.config_dir and [conf.config_dir] or []:
        files.extend(sorted(glob.glob(os.path.join(directory, '*.conf'))))
    return files


def unknown_options(conf):
    """[(section, option, file)] of options no one reads."""
    found = []
    parsed = {}
    for path in _config_files(conf):
        parser = configparser.RawConfigParser(strict=False,
                                              interpolation=None)
        parser.optionxform = str
        parser.read(path)
        sections = {'DEFAULT': dict(parser.defaults())}
        for section in parser.sections():
            sections[section] = {
                key: value for key, value in parser.items(section)
                if key not in parser.defaults()}
        parsed[path] = sections
    merged = {}
    for sections in parsed.values():
        for section, values in sections.items():
            merged.setdefault(section, {}).update(values)
    known = _known_options(merged)
    for path, sections in parsed.items():
        for section, values in sections.items():
            names = known.get(section, set())
            for key in values:
                if key.replace('-', '_') not in names:
                    found.append((section, key, path))
    return found
