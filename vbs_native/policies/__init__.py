import itertools

from vbs_native.policies import backups
from vbs_native.policies import base


def list_rules():
    return itertools.chain(base.list_rules(), backups.list_rules())
