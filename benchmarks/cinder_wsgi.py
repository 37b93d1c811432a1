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

"""Real cinder-api 29.0.0 for gunicorn, in Cinder's own virtualenv.

Cinder's ``cinder.wsgi.api`` parses ``sys.argv`` as its own command line,
which under gunicorn holds gunicorn's; this hands it the configuration file
the benchmark wrote (``BENCH_CINDER_CONF``) and changes nothing else.
"""

import os
import sys

sys.argv = ['cinder-api', '--config-file', os.environ['BENCH_CINDER_CONF']]

from cinder.wsgi import wsgi  # noqa: E402

application = wsgi.initialize_application()
