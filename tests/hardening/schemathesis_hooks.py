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

"""Checks schemathesis adds to its own, loaded with SCHEMATHESIS_HOOKS: every
error is a JSON fault of the response's status with a request id, and says
nothing internal."""

import json

import schemathesis

from tests.hardening.base import LEAKS as _LEAKS
from tests.hardening.base import REQUEST_ID as _REQUEST_ID


@schemathesis.check
def request_id_everywhere(ctx, response, case):
    """Every response carries x-openstack-request-id."""
    value = response.headers.get('x-openstack-request-id')
    if isinstance(value, list):
        value = value[0] if value else None
    if not value or not _REQUEST_ID.match(value):
        raise AssertionError('No request id: %r' % (value,))


@schemathesis.check
def errors_are_json_faults(ctx, response, case):
    """A 4xx or 5xx (but a HEAD's) is {"<name>": {"code", "message"}} with
    code equal to the status, and nothing internal in the message."""
    if response.status_code < 400 or case.method.upper() == 'HEAD':
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError('Error is not JSON: %r' % response.content[:200])
    if not isinstance(body, dict) or len(body) != 1:
        raise AssertionError('Not a fault: %r' % body)
    fault = next(iter(body.values()))
    if fault.get('code') != response.status_code:
        raise AssertionError('Fault code %r for status %d' % (
            fault.get('code'), response.status_code))
    if _LEAKS.search(fault.get('message', '')):
        raise AssertionError('Fault message leaks: %r' % fault['message'])


@schemathesis.check
def no_server_error(ctx, response, case):
    """Not even a 503: the database is up during fuzzing."""
    if response.status_code >= 500:
        raise AssertionError('Server error %d' % response.status_code)
