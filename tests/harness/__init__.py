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

"""What every suite and the benchmark share, each module one job:
``processes`` (a server process on a free port), ``databases`` (a database
of its own on a test server, and its users), ``config`` (ini files),
``service`` (vbs-native-api and vbs-native-manage), ``links`` (walking next
links) and ``reference`` (CONTRACT.md section 8's order and case fold).

Temporary directories that outlive a test (a server shared by every test
of a process) go under ``TMP``: oslotest's test case gives each test a
temporary directory of its own, removed when the test ends.
"""

import tempfile

# Read at import, before any test has replaced the temporary directory.
TMP = tempfile.gettempdir()
