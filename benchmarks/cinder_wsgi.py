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
