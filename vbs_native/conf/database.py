from oslo_db import options as db_options

DEFAULT_CONNECTION = 'sqlite:///$state_path/vbs_native.sqlite'


def register_opts(conf):
    db_options.set_defaults(conf, connection=DEFAULT_CONNECTION)
    # oslo.db's default (10 attempts, 10 s apart) makes the first request of
    # a worker wait 100 s for a database that is down; each request tries
    # once and answers 503 instead (see vbs_native.db.faults).
    conf.set_default('max_retries', 0, group='database')


def list_opts():
    return {'database': db_options.database_opts}
