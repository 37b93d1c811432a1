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
