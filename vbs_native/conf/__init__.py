"""Configuration options, registered on a ConfigOpts handed in."""

from oslo_log import log as logging

from vbs_native.conf import api
from vbs_native.conf import database
from vbs_native.conf import paths


def register_opts(conf):
    paths.register_opts(conf)
    api.register_opts(conf)
    database.register_opts(conf)
    logging.register_options(conf)
