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

"""The oslo.policy enforcer, and the decisions it made, remembered.

oslo.policy re-reads its configuration on every check (it searches the
config directories for the policy file and ``policy.d``, present or not)
and inspects each check's signature while evaluating: about 0.3 ms per
check, two checks per request. A decision depends only on the rules, the
rule name, the target and the caller's policy values, so it is remembered
under those; the rules are looked at again at most once a second (a changed
policy file applies within a second), and any new rule set forgets every
decision.
"""

import argparse
import sys
import threading
import time
import weakref

from oslo_config import cfg
from oslo_policy import policy

from vbs_native import exception
from vbs_native import policies

RELOAD_SECONDS = 1.0
MAX_DECISIONS = 4096


def make_enforcer(conf):
    enforcer = policy.Enforcer(conf)
    enforcer.register_defaults(policies.list_rules())
    return enforcer


def get_enforcer(argv=None):
    """Entry point of the oslopolicy-* command line tools: the enforcer of
    the configuration files their ``--config-file`` and ``--config-dir``
    name (the service's defaults without them)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('--config-file', action='append', default=[])
    parser.add_argument('--config-dir', action='append', default=[])
    known, _rest = parser.parse_known_args(
        sys.argv[1:] if argv is None else argv)
    args = ['--config-file=%s' % path for path in known.config_file]
    args += ['--config-dir=%s' % path for path in known.config_dir]
    conf = cfg.ConfigOpts()
    conf(args, project='vbs-native')
    return make_enforcer(conf)


class _Decisions(dict):
    """{(rule, target, creds): allowed} for one enforcer and rule set."""

    def __init__(self):
        super().__init__()
        self.checked = None  # time.monotonic() of the last load_rules()
        self.rules = None


_decisions = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _current(enforcer):
    """The decisions valid for the enforcer's rules as they are now."""
    decisions = _decisions.get(enforcer)
    if decisions is None:
        with _lock:
            decisions = _decisions.setdefault(enforcer, _Decisions())
    now = time.monotonic()
    if decisions.checked is None or now - decisions.checked >= RELOAD_SECONDS:
        enforcer.load_rules()
        decisions.checked = now
    if decisions.rules is not enforcer.rules:
        # Reloaded from a changed file, or replaced by set_rules().
        decisions.clear()
        decisions.rules = enforcer.rules
    return decisions


def _frozen(mapping):
    return tuple(sorted(
        (key, tuple(value) if isinstance(value, list) else value)
        for key, value in mapping.items()))


def _frozen_creds(context):
    """The caller's policy values, frozen once per request: a context is
    not changed once built, but for ``is_admin``, which it sets itself."""
    memo = context.__dict__.get('_frozen_policy_values')
    if memo is None or memo[0] != context.is_admin:
        memo = (context.is_admin, _frozen(context.to_policy_values()))
        context.__dict__['_frozen_policy_values'] = memo
    return memo[1]


def authorize(enforcer, context, action, target, fatal=True):
    """Whether ``context`` may do ``action`` on ``target``; with ``fatal``,
    raise PolicyNotAuthorized instead of returning False."""
    decisions = _current(enforcer)
    try:
        key = (action, _frozen(target), _frozen_creds(context))
        allowed = decisions.get(key)
    except TypeError:  # an unhashable value: decide without remembering
        key = allowed = None
    if allowed is None:
        try:
            allowed = bool(enforcer.authorize(action, target, context,
                                              do_raise=False))
        except policy.InvalidScope:
            allowed = False
        if key is not None:
            if len(decisions) >= MAX_DECISIONS:
                decisions.clear()
            decisions[key] = allowed
    if not allowed and fatal:
        raise exception.PolicyNotAuthorized(action=action)
    return allowed
