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

"""The install guide's literal steps, read from the guide itself.

doc/source/install/cinder.rst names the code blocks an operator copies
(``:name: paste-ini``, ``vbs-native-conf``, ``grant-sql``); the Cinder tests
build their deployment from those blocks, so the guide and the test are one
source. Placeholders in the guide are replaced by the test's own paths.
"""

import configparser
import os
import re

GUIDE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'doc', 'source', 'install', 'cinder.rst')

# The guide's placeholders.
CONF_PATH = '/etc/vbs-native/vbs-native.conf'
POLICY_PATH = '/etc/cinder/policy.yaml'
RO_URL = ('mysql+pymysql://vbs_native:VBS_DBPASS@controller/cinder'
          '?charset=utf8mb4')
RO_USER = 'vbs_native'
RO_PASSWORD = 'VBS_DBPASS'
DATABASE = 'cinder'
# The words the guide adds to Cinder's pipelines.
FILTERS = ('vbs_native_versions', 'vbs_native')

_DIRECTIVE = re.compile(r'^\.\. code-block:: *(\S+)\s*$')
_OPTION = re.compile(r'^\s+:(\w+):\s*(.*)$')


def blocks(path=GUIDE):
    """{name: text} of the guide's named code blocks."""
    with open(path) as f:
        lines = f.read().splitlines()
    found = {}
    index = 0
    while index < len(lines):
        if not _DIRECTIVE.match(lines[index]):
            index += 1
            continue
        index += 1
        options = {}
        while index < len(lines) and _OPTION.match(lines[index]):
            key, value = _OPTION.match(lines[index]).groups()
            options[key] = value
            index += 1
        body = []
        while index < len(lines) and (not lines[index].strip()
                                      or lines[index].startswith('   ')):
            body.append(lines[index][3:])
            index += 1
        if 'name' in options:
            found[options['name']] = '\n'.join(body).strip('\n') + '\n'
    return found


def _substitute(text, values):
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _parser():
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    return parser


def apply_paste(stock, values):
    """Cinder's api-paste.ini text with the guide's changes; checks that the
    guide's pipelines are Cinder's own plus the filters, nothing else."""
    guide = _parser()
    guide.read_string(_substitute(blocks()['paste-ini'], values))
    paste = _parser()
    paste.read_string(stock)
    for section in guide.sections():
        if not paste.has_section(section):
            paste.add_section(section)
        for key, value in guide.items(section, raw=True):
            if (paste.has_option(section, key)
                    and section.startswith('composite:')):
                mine = [word for word in value.split()
                        if word not in FILTERS]
                if mine != paste.get(section, key, raw=True).split():
                    raise AssertionError(
                        'The guide changes more than the filters in [%s] '
                        '%s: %r' % (section, key, value))
            paste.set(section, key, value)
    lines = []
    for section in paste.sections():
        lines.append('[%s]' % section)
        for key, value in paste.items(section, raw=True):
            lines.append('%s = %s' % (key, value))
        lines.append('')
    return '\n'.join(lines)


def filter_conf(values):
    """The guide's vbs-native.conf for the filter."""
    return _substitute(blocks()['vbs-native-conf'], values)


def grant_statements(database, user, password):
    """The guide's SQL for the read-only user, one statement each."""
    text = blocks()['grant-sql']
    text = text.replace("'%s'@" % RO_USER, "'%s'@" % user)
    text = text.replace(RO_PASSWORD, password)
    text = re.sub(r'\b%s\.' % DATABASE, '`%s`.' % database, text)
    return [statement.strip() for statement in text.split(';')
            if statement.strip()]
