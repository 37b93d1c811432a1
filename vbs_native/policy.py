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
under those (without the target when the rule reads none of it); the
rules are looked at again at most once a second (a changed policy file
applies within a second), and any new rule set forgets every decision.

A policy file that cannot be parsed changes nothing: the rules loaded
before stay in force (none when it was bad from the start: every check is
then refused). One that can no longer be read refuses every check. Either
way an ERROR says which file and why, once for each version of the file,
and no request fails with a 500.
"""

import argparse
import os
import sys
import threading
import time
import weakref

from oslo_config import cfg
from oslo_log import log as logging
from oslo_policy import _checks
from oslo_policy import policy

from vbs_native import exception
from vbs_native import policies

LOG = logging.getLogger(__name__)

RELOAD_SECONDS = 1.0
MAX_DECISIONS = 4096


def make_enforcer(conf):
    enforcer = policy.Enforcer(conf)
    enforcer.register_defaults(policies.list_rules())
    _warn_if_missing(conf)
    return enforcer


def _warn_if_missing(conf):
    """oslo.policy says nothing of a policy file it cannot find: the
    operator's rules would silently not apply."""
    location = conf.get_location('policy_file', 'oslo_policy')
    if location is None or location.location == cfg.Locations.opt_default:
        return  # no file configured: the rules in code are meant
    name = conf.oslo_policy.policy_file
    if not conf.find_file(name):
        LOG.warning('The policy file %s does not exist: the default rules '
                    'apply until it does.', name)


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
        self.failure = None  # (file version, error) last reported
        self.reading_target = {}  # {rule: whether it reads the target}

    def clear(self):
        super().clear()
        self.reading_target.clear()


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
        _load_rules(enforcer, decisions)
        decisions.checked = now
    if decisions.rules is not enforcer.rules:
        # Reloaded from a changed file, or replaced by set_rules().
        decisions.clear()
        decisions.rules = enforcer.rules
    return decisions


# What reading and parsing a policy file raises: it is missing or
# unreadable (OSError), not YAML (ValueError), or not a mapping of rule
# names to rule strings (AttributeError, TypeError).
_FILE_ERRORS = (OSError, ValueError, AttributeError, TypeError)


def _load_rules(enforcer, decisions):
    try:
        enforcer.load_rules()
    except _FILE_ERRORS as exc:
        _report(enforcer, decisions, exc)
    else:
        decisions.failure = None


def _report(enforcer, decisions, exc):
    """Log why the policy file cannot be used, once per file version."""
    if isinstance(exc, OSError):
        # oslo.policy raises again on every check: none can be decided,
        # and none decided before may be used.
        decisions.clear()
        outcome = 'Every request is refused until it can be read.'
    elif enforcer.rules:
        outcome = 'The rules loaded before stay in force.'
    else:
        outcome = 'Every request is refused until it is fixed.'
    path = enforcer.policy_path or enforcer.policy_file
    try:
        version = os.stat(path).st_mtime_ns
    except OSError:
        version = None
    failure = (version, str(exc))
    if failure != decisions.failure:
        decisions.failure = failure
        LOG.error('The policy file %(path)s cannot be used: %(error)s. '
                  '%(outcome)s', {'path': path, 'error': exc,
                                  'outcome': outcome})


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


# oslo_policy._checks defines the classes rules are parsed into (the policy
# module re-exports only some). The checks whose outcome cannot depend on
# the target unless their match names a value of it (``%(project_id)s``);
# any other kind (http, or one registered by a plugin) may send or read it.
_CREDS_ONLY = (_checks.RoleCheck, _checks.GenericCheck)
_CONSTANT = (_checks.TrueCheck, _checks.FalseCheck)


def _check_reads_target(enforcer, check, seen):
    if isinstance(check, _CONSTANT):
        return False
    if isinstance(check, (_checks.AndCheck, _checks.OrCheck)):
        return any(_check_reads_target(enforcer, rule, seen)
                   for rule in check.rules)
    if isinstance(check, _checks.NotCheck):
        return _check_reads_target(enforcer, check.rule, seen)
    if isinstance(check, _checks.RuleCheck):
        if check.match in seen:
            return False  # already being looked at, higher up
        rule = enforcer.rules.get(check.match)
        return rule is not None and _check_reads_target(
            enforcer, rule, seen | {check.match})
    if type(check) in _CREDS_ONLY:
        return '%' in check.match
    return True


def reads_target(enforcer, action):
    """Whether the rule ``action`` may decide differently for different
    targets: False when it checks the caller alone (``role:admin``), so
    that one answer serves every row of a page."""
    return _reads_target(enforcer, _current(enforcer), action)


def _reads_target(enforcer, decisions, action):
    reading = decisions.reading_target.get(action)
    if reading is None:
        rule = (enforcer.rules or {}).get(action)
        reading = rule is None or _check_reads_target(
            enforcer, rule, frozenset([action]))
        decisions.reading_target[action] = reading
    return reading


def authorize(enforcer, context, action, target, fatal=True):
    """Whether ``context`` may do ``action`` on ``target``; with ``fatal``,
    raise PolicyNotAuthorized instead of returning False."""
    decisions = _current(enforcer)
    try:
        key = (action, _frozen(target)
               if _reads_target(enforcer, decisions, action) else None,
               _frozen_creds(context))
        allowed = decisions.get(key)
    except TypeError:  # an unhashable value: decide without remembering
        key = allowed = None
    if allowed is None:
        try:
            allowed = bool(enforcer.authorize(action, target, context,
                                              do_raise=False))
        except policy.InvalidScope:
            allowed = False
        except _FILE_ERRORS as exc:
            # oslo.policy reads the file again itself, and may find it
            # changed since _current() looked.
            _report(enforcer, decisions, exc)
            key, allowed = None, False
        if key is not None:
            if len(decisions) >= MAX_DECISIONS:
                decisions.clear()
            decisions[key] = allowed
    if not allowed and fatal:
        raise exception.PolicyNotAuthorized(action=action)
    return allowed
