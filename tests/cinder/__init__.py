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

"""Tests against a real Cinder 29 (``tox -e cinder``): vbs-native's paste
filter inside cinder-api, vbs-native on Cinder's database, and the
OpenStack clients against both.

They need Cinder, its clients and a MariaDB server, which only the
``cinder`` tox env installs; elsewhere (``tox -e py3``) this package
loads no tests.
"""

import importlib.util
import os


def load_tests(loader, tests, pattern):
    if importlib.util.find_spec('cinder') is None:
        return tests
    this_dir = os.path.dirname(__file__)
    tests.addTests(loader.discover(start_dir=this_dir, pattern=pattern,
                                   top_level_dir=os.path.dirname(
                                       os.path.dirname(this_dir))))
    return tests
