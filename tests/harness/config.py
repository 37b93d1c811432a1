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

"""Configuration files of the servers."""

import configparser


def write(path, sections):
    """Write ``sections`` ({section: {option: value}}) as an ini file:
    option names as given, values as ``str`` makes them. Returns ``path``."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    for section, values in sections.items():
        if section != 'DEFAULT':
            parser.add_section(section)
        for key, value in values.items():
            parser.set(section, key, str(value))
    with open(path, 'w', encoding='utf-8') as stream:
        parser.write(stream)
    return path


def add_options(sections, options):
    """``options`` ({'group.name' or 'name': value}) into ``sections``; a
    value of None removes the option."""
    for key, value in options.items():
        group, _sep, name = key.rpartition('.')
        values = sections.setdefault(group or 'DEFAULT', {})
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return sections
