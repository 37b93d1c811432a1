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

"""A database that is down, slow or full: one exception.

Every wait on the database is bounded (db/engine.py). Whatever then goes
wrong with the database itself (connection refused or lost, a read that
timed out, no free connection in the pool, the server at its connection
limit, a statement cancelled by the server) becomes ``DatabaseUnavailable``:
a 503 with ``Retry-After``. The next request tries again, so the service
recovers by itself when the database does.
"""

import contextlib
import contextvars
import functools

from oslo_db import exception as db_exc
from oslo_log import log as logging
from sqlalchemy import exc as sa_exc

from vbs_native import exception

LOG = logging.getLogger(__name__)

# Set inside a translated block: the outermost one translates, so that what
# it wraps (db/reconnect.py) still sees the database's own exception.
_translating = contextvars.ContextVar('vbs_native_db_translating',
                                      default=False)


def unavailable(exc):
    """Whether ``exc`` means the database cannot answer now."""
    if isinstance(exc, (db_exc.DBConnectionError, sa_exc.TimeoutError,
                        sa_exc.OperationalError)):
        return True
    # oslo.db wraps what it does not know in DBError.
    return (isinstance(exc, db_exc.DBError)
            and isinstance(exc.inner_exception, sa_exc.OperationalError))


@contextlib.contextmanager
def translated():
    """Raise DatabaseUnavailable for a database that cannot answer."""
    if _translating.get():
        yield
        return
    token = _translating.set(True)
    try:
        yield
    except Exception as exc:
        if not unavailable(exc):
            raise
        # The log says why (a refused connection, a timeout, a missing
        # table); the caller only gets the 503.
        LOG.warning('The database is unavailable: %s', driver_error(exc))
        raise exception.DatabaseUnavailable() from exc
    finally:
        _translating.reset(token)


def driver_error(exc):
    """The error the database driver raised, on one line, so that the line
    carries the request id: not SQLAlchemy's text, which adds the statement
    and its parameters (the caller's values) on lines of their own."""
    error = getattr(exc, 'inner_exception', None) or exc
    if isinstance(error, sa_exc.StatementError):
        if error.orig is None:
            return type(error).__name__
        error = error.orig
    return '%s: %s' % (type(error).__name__, ' '.join(str(error).split()))


def translate(function):
    """The same for every call of ``function``."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translated():
            return function(*args, **kwargs)
    return wrapper
