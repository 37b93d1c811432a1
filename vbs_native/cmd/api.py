"""vbs-native-api: the service on gunicorn, a multi-process WSGI server."""

import gc
import ipaddress
import os
import sys

from gunicorn.app import base
from oslo_log import log as logging

from vbs_native import wsgi

LOG = logging.getLogger(__name__)


class Server(base.BaseApplication):

    def __init__(self, conf):
        self.conf = conf
        super().__init__(prog='vbs-native-api')

    def load_config(self):
        conf = self.conf
        host = conf.osapi_volume_listen
        if ':' in host:
            host = '[%s]' % host
        settings = {
            'bind': '%s:%d' % (host, conf.osapi_volume_listen_port),
            'workers': conf.osapi_volume_workers or _cpu_count(),
            'worker_class': 'sync',
            'preload_app': True,
            # Each gunicorn of a user shares one control socket path by
            # default; the service needs none.
            'control_socket_disable': True,
            'accesslog': None,
            'proc_name': 'vbs-native-api',
        }
        for key, value in settings.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self):
        application = wsgi.init_application(self.conf)
        _warn_if_exposed(self.conf)
        # Objects built at start-up live as long as the process; keep the
        # garbage collector from walking them on every collection.
        gc.freeze()
        return application


def _cpu_count():
    return len(os.sched_getaffinity(0)) or 1


def _warn_if_exposed(conf):
    if conf.auth_strategy != 'noauth':
        return
    try:
        loopback = ipaddress.ip_address(conf.osapi_volume_listen).is_loopback
    except ValueError:
        loopback = conf.osapi_volume_listen == 'localhost'
    if not loopback:
        LOG.warning('auth_strategy is noauth and the API listens on %s: '
                    'anyone who can reach it can read every backup.',
                    conf.osapi_volume_listen)


def main(argv=None):
    conf = wsgi.load_config(sys.argv[1:] if argv is None else argv)
    Server(conf).run()
