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

"""The ``database`` backend of oslo.middleware's /healthcheck: 503 while
the database does not answer.

A load balancer polls /healthcheck every second or two, on every worker:
the answer is reused for FRESH seconds, so polling costs at most one trivial
query per worker that often. The query runs in a thread of its own, and
/healthcheck waits for it at most TIMEOUT seconds, whatever the database's
own timeouts: a silent database is reported as quickly as a refused one. A
query still running is waited for again rather than started twice.
"""

import concurrent.futures
import threading
import time

from oslo_log import log as logging
from oslo_middleware.healthcheck import pluginbase
import sqlalchemy as sa

from vbs_native.db import engine as db_engine
from vbs_native.db import reconnect

LOG = logging.getLogger(__name__)

TIMEOUT = 2.0
FRESH = 1.0

_OK = 'The database answers.'
_DOWN = 'The database does not answer.'


def _ping():
    engine = db_engine.main_context_manager.reader.get_engine()
    reconnect.run(engine.connect, lambda connection: connection.execute(
        sa.text('SELECT 1')))


class DatabaseHealthcheck(pluginbase.HealthcheckBaseExtension):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._executor = None  # made in the worker that first checks
        self._running = None  # the future of the query under way
        self._result = None
        self._checked = None  # time.monotonic() of self._result

    def healthcheck(self, server_port):
        with self._lock:
            now = time.monotonic()
            if self._checked is not None and now - self._checked < FRESH:
                return self._result
            if self._running is None:
                if self._executor is None:
                    self._executor = concurrent.futures.ThreadPoolExecutor(
                        max_workers=1, thread_name_prefix='healthcheck')
                self._running = self._executor.submit(_ping)
            running = self._running
        try:
            running.result(TIMEOUT)
        except concurrent.futures.TimeoutError:
            available, error = False, 'no answer in %.0f s' % TIMEOUT
        except Exception as exc:
            available, error = False, exc
        else:
            available, error = True, None
        with self._lock:
            if running.done() and self._running is running:
                self._running = None
            was_available = self._result is None or self._result.available
            if available != was_available:
                if available:
                    LOG.info('The database answers again.')
                else:
                    LOG.warning('The database does not answer: %s', error)
            # The reason is shown to anyone who can reach /healthcheck:
            # never the error itself, which may name hosts and users.
            self._result = pluginbase.HealthcheckResult(
                available, _OK if available else _DOWN)
            self._checked = time.monotonic()
            return self._result
