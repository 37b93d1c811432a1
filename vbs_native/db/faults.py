"""A database that is down, slow or full: bounded waits, and one exception.

Every wait on the database is bounded by ``[vbs_native] database_timeout``:
for a pooled connection, to connect, and for each read or write on the
connection. Whatever then goes wrong with the database itself (connection
refused or lost, a read that timed out, no free connection in the pool, the
server at its connection limit, a statement cancelled by the server) becomes
``DatabaseUnavailable``: a 503 with ``Retry-After``. The next request tries
again, so the service recovers by itself when the database does.
"""

import contextlib
import functools
import urllib.parse

from oslo_db import exception as db_exc
from oslo_log import log as logging
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from vbs_native import exception

LOG = logging.getLogger(__name__)


def engine_options(conf, options):
    """``options`` (the ``[database]`` options for enginefacade) with the
    waits bounded by ``database_timeout``; an operator's own values win."""
    timeout = conf.vbs_native.database_timeout
    options = dict(options)
    connection = options.get('connection')
    if not connection:
        return options
    url = sa.engine.make_url(connection)
    if options.get('pool_timeout') is None and (
            url.get_backend_name() != 'sqlite'):
        # SQLite's pool is made by db.api._pool_sqlite, with this bound.
        options['pool_timeout'] = timeout
    given = set(url.query)
    extra = options.get('connection_parameters') or ''
    given.update(urllib.parse.parse_qs(extra))
    backend = url.get_backend_name()
    if backend in ('mysql', 'mariadb') and url.get_driver_name() == 'pymysql':
        wanted = {'connect_timeout': timeout, 'read_timeout': timeout,
                  'write_timeout': timeout}
    elif backend == 'postgresql':
        wanted = {'connect_timeout': timeout,
                  'options': '-c statement_timeout=%d' % (timeout * 1000)}
    else:
        wanted = {}
    added = urllib.parse.urlencode(
        {key: value for key, value in wanted.items() if key not in given})
    if added:
        options['connection_parameters'] = (
            '%s&%s' % (extra, added) if extra else added)
    return options


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
    try:
        yield
    except Exception as exc:
        if not unavailable(exc):
            raise
        # The log says why (a refused connection, a timeout, a missing
        # table); the caller only gets the 503.
        LOG.warning('The database is unavailable: %s', exc)
        raise exception.DatabaseUnavailable() from exc


def translate(function):
    """The same for every call of ``function``."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translated():
            return function(*args, **kwargs)
    return wrapper
