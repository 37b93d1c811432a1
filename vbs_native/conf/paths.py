from oslo_config import cfg

path_opts = [
    cfg.StrOpt('state_path',
               default='/var/lib/vbs-native',
               help='Top-level directory for the service\'s state; the '
                    'default SQLite database lives here.'),
]


def register_opts(conf):
    conf.register_opts(path_opts)


def list_opts():
    return {'DEFAULT': path_opts}
