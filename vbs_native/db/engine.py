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

"""The engines the DB API reads through: one enginefacade transaction
context, configured from ``[database]``, with every wait bounded.

Every wait on the database is bounded by ``[vbs_native] database_timeout``:
for a pooled connection, to connect, and for each read or write on the
connection; what then goes wrong becomes a 503 (db/faults.py). Errors
show statements without their parameters, and the engines oslo.db creates
are changed for speed (``add_engine_hooks``): on MariaDB/MySQL and
PostgreSQL each request costs its statements and no round trip more.
"""

import functools
import sys
import urllib.parse

from oslo_db import options as db_options
from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

main_context_manager = enginefacade.transaction_context()

_configured = False


def configure(conf):
    """Point the transaction context at ``[database]``; once per process."""
    global _configured
    if _configured:
        return
    # Every API read may go to a replica when one is configured.
    main_context_manager.configure(
        synchronous_reader=False, thread_checkin=_green(),
        **engine_options(conf, facade_options(conf)))
    add_engine_hooks(main_context_manager, conf.vbs_native.database_timeout)
    _configured = True


def get_engine():
    return main_context_manager.writer.get_engine()


def facade_options(conf):
    """``[database]`` as enginefacade takes it: oslo.db's own options, but
    ``synchronous_reader``, which the service decides."""
    return {opt.dest: conf.database[opt.dest]
            for opt in db_options.database_opts
            if opt.dest != 'synchronous_reader'}


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
        # SQLite's pool is made by _pool_sqlite, with this bound.
        options['pool_timeout'] = timeout
    given = set(url.query)
    extra = options.get('connection_parameters') or ''
    given.update(urllib.parse.parse_qs(extra))
    backend = url.get_backend_name()
    # Both drivers of MariaDB/MySQL take the same three.
    if backend in ('mysql', 'mariadb') and url.get_driver_name() in (
            'pymysql', 'mysqldb'):
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


def add_engine_hooks(context_manager, timeout):
    """What the service changes on each engine ``context_manager`` creates:
    parameters hidden; on SQLite, its pool and BEGIN; no ping at checkout;
    on PostgreSQL and MariaDB/MySQL, no transactions; no ROLLBACK at
    check-in of a connection whose transaction has ended.
    Most rely on private attributes of SQLAlchemy and oslo.db and leave the
    engine as it is if those change; tests/unit/test_db_engine.py fails
    then."""
    for hook in (_hide_parameters,
                 functools.partial(_pool_sqlite, timeout=timeout),
                 _begin_sqlite, _no_checkout_ping, _statements_alone,
                 _reset_open_only):
        context_manager.append_on_engine_create(hook)


def _hide_parameters(engine):
    """Errors (and the debug log of statements) show a statement without
    its parameters: they hold the caller's filter values."""
    engine.hide_parameters = True


def _no_checkout_ping(engine):
    """oslo.db turns on the pool's ping before each checkout: a round trip
    per request, as long as the page's own statement on MariaDB. A dropped
    connection is found by that statement instead (db/reconnect.py)."""
    if getattr(engine.pool, '_pre_ping', None):
        engine.pool._pre_ping = False


def _reset_open_only(engine):
    """The pool rolls back each connection it takes back, but enginefacade
    has ended every transaction by then: a second ROLLBACK, a round trip.
    The pool's rollback is kept for a connection still in a transaction
    (SQLAlchemy's "reset" event, with reset_on_return=None)."""
    pool = engine.pool
    if getattr(pool, '_reset_on_return', None) is not (
            sa.pool.base.reset_rollback):
        return
    dialect = engine.dialect
    # Marked open at BEGIN; unmarked once a ROLLBACK or COMMIT succeeded.
    sa.event.listen(engine, 'begin', _transaction_opened)
    dialect.do_rollback = _ending(dialect.do_rollback)
    dialect.do_commit = _ending(dialect.do_commit)
    sa.event.listen(pool, 'reset', _rollback_if_open)
    pool._reset_on_return = sa.pool.base.reset_none


_OPEN = 'vbs_native_transaction_open'


def _transaction_opened(connection):
    connection.info[_OPEN] = True


def _ending(method):
    def end(dbapi_connection):
        method(dbapi_connection)
        try:
            dbapi_connection.info.pop(_OPEN, None)
        except NotImplementedError:
            pass  # the first connection's set-up: not pooled yet
    return end


def _rollback_if_open(dbapi_connection, record, state):
    if record.info.pop(_OPEN, False) and not state.terminate_only:
        dbapi_connection.rollback()


def _statements_alone(engine):
    """Every read is one statement on its own (autocommit): no BEGIN and
    ROLLBACK around it on PostgreSQL, no ROLLBACK after it on MariaDB/MySQL
    (whose drivers send one even in autocommit mode: it is not called).
    The service only reads; a page, its count and its metadata are one
    statement (db/api.py), and a backup and its metadata may come from two
    snapshots, as two statements of one transaction do at PostgreSQL's
    READ COMMITTED."""
    name = engine.dialect.name
    if name == 'postgresql':
        sa.event.listen(engine, 'connect', _autocommit)
    elif name in ('mysql', 'mariadb'):
        sa.event.listen(engine, 'connect', _autocommit_mysql)
        dialect = engine.dialect
        dialect.do_rollback = dialect.do_commit = _nothing_to_end
    else:
        return
    # Connections made before (oslo.db tries one) go.
    engine.pool.dispose()


def _autocommit(dbapi_connection, record):
    dbapi_connection.autocommit = True


def _autocommit_mysql(dbapi_connection, record):
    dbapi_connection.autocommit(True)


def _nothing_to_end(dbapi_connection):
    pass


def _green():
    """Whether eventlet patched threads: only then does oslo.db's
    ``sleep(0)`` on every connection check-in let others run. A worker
    process or thread per request just pays for the system call."""
    patcher = sys.modules.get('eventlet.patcher')
    return bool(patcher and patcher.is_monkey_patched('thread'))


def _pool_sqlite(engine, timeout):
    """Keep SQLite connections open between requests.

    oslo.db gives SQLite files a NullPool, so every transaction opened a
    new connection (and registered our functions on it again): about
    0.25 ms of a 1.9 ms page. This is SQLAlchemy 2's own default for SQLite
    files: a QueuePool, connections usable from any thread (the pool hands
    each to one thread at a time). Left as it is if SQLAlchemy's pool
    internals are not as expected.
    """
    old = engine.pool
    if engine.dialect.name != 'sqlite' or not isinstance(
            old, sa.pool.NullPool):
        return
    try:
        pool = sa.pool.QueuePool(
            old._creator, pool_size=5, max_overflow=10, timeout=timeout,
            recycle=old._recycle,
            echo=old.echo, logging_name=old._orig_logging_name,
            reset_on_return=old._reset_on_return, _dispatch=old.dispatch,
            dialect=old._dialect)
    except AttributeError:
        return
    sa.event.listen(engine, 'do_connect', _any_thread)
    engine.pool = pool


def _begin_sqlite(engine):
    """oslo.db sends SQLite's BEGIN itself (the driver would not), as a
    whole SQLAlchemy statement: a tenth of a small page's time. Its listener
    is replaced by one that sends it on the driver's connection, keeping
    oslo.db's mark that a transaction is open (its commit and rollback
    listeners clear it). Left alone if oslo.db's listener is not found."""
    if engine.dialect.name != 'sqlite':
        return
    theirs = [listener for listener in engine.dispatch.begin
              if getattr(listener, '__name__', '') == '_sqlite_emit_begin']
    if len(theirs) != 1:
        return
    sa.event.remove(engine, 'begin', theirs[0])
    sa.event.listen(engine, 'begin', sqlite_begin)


def sqlite_begin(connection):
    """The BEGIN listener of SQLite engines."""
    if 'in_transaction' not in connection.info:
        connection.connection.driver_connection.execute('BEGIN')
        connection.info['in_transaction'] = True


def _any_thread(dialect, record, cargs, cparams):
    cparams['check_same_thread'] = False
