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

"""A pooled connection the database has dropped (it restarted, failed over,
or something between closed idle connections) is found by the first
statement sent on it, not by a ping before every request (a round trip
each). SQLAlchemy then discards every connection pooled before that moment,
and the work runs once more on a new one, so a restart costs no request.

A connection that cannot be made is not tried again: the database is down,
and the bounded wait for it (``[vbs_native] database_timeout``) is spent.
"""

from oslo_db import exception as db_exc
from oslo_log import log as logging
from sqlalchemy import exc as sa_exc

LOG = logging.getLogger(__name__)


def dropped(exc):
    """Whether ``exc`` says the connection was lost. oslo.db makes that a
    DBConnectionError; a statement run with SQLAlchemy's error events
    skipped (MySQL's table reflection, on a worker's first request) raises
    SQLAlchemy's own error, marked invalidated."""
    return isinstance(exc, db_exc.DBConnectionError) or (
        isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated)


def run(connect, work):
    """``work(connection)`` on what ``connect()`` (a context manager that
    checks a connection out) gives; once more when that turns out
    dropped."""
    connected = False
    try:
        with connect() as connection:
            connected = True
            return work(connection)
    except Exception as exc:
        if not connected or not dropped(exc):
            raise
        LOG.info('A pooled database connection was closed (%s); trying '
                 'again on a new one.', type(
                     getattr(exc, 'inner_exception', None) or exc).__name__)
    with connect() as connection:
        return work(connection)
