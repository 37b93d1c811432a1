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

"""A client that walks next links as an OpenStack client would: it retries
a 503 after its ``Retry-After``, and a refused or dropped connection or a
502/504 from the balancer at once, and keeps what each retry cost."""

import collections
import json
import os
import time
import urllib.parse

from tests.hardening import base as hardening
from tests.harness import links

RETRIED = (502, 503, 504)
REPORT_VARIABLE = 'VBS_NATIVE_TEST_HA_REPORT'


class Walk:
    """The ids of a walk in the order served, and what failures cost."""

    def __init__(self):
        self.ids = []
        self.pages = 0
        self.served_by = []  # the API node of each page, from HAProxy
        self.failures = collections.Counter()  # status or error: count
        self.retry_after = []  # each 503's Retry-After
        self.failed = []  # (status, served by, body) of each failed answer
        self.notes = {}  # what the test adds to the record
        self.waited = 0.0  # seconds from the first failure to the answer

    def repeated(self):
        return [i for i, n in collections.Counter(self.ids).items() if n > 1]

    def summary(self):
        return '%d ids in %d pages, failures %s, %.1f s lost: %s' % (
            len(self.ids), self.pages, dict(self.failures), self.waited,
            self.failed)


def get(port, target, project, walk, attempts=20):
    """One page, retried as a client does; the 200 response."""
    failed_at = None
    for _attempt in range(attempts):
        try:
            response = hardening.request(
                port, 'GET', target,
                [('X-Auth-Token', 'user:%s' % project)], timeout=60)
        except OSError as exc:
            walk.failures[type(exc).__name__] += 1
            failed_at = failed_at or time.monotonic()
            continue
        if response.status not in RETRIED:
            if failed_at is not None:
                walk.waited += time.monotonic() - failed_at
            return response
        walk.failures[response.status] += 1
        walk.failed.append((response.status, response.header('X-Served-By'),
                            response.body[:200]))
        failed_at = failed_at or time.monotonic()
        if response.status == 503:
            retry_after = response.header('Retry-After')
            walk.retry_after.append(retry_after)
            # As clients do: wait what the service asked for (a number of
            # seconds), at most a minute.
            time.sleep(min(float(retry_after or 0), 60))
    raise AssertionError('%s: no answer after %d attempts: %s' % (
        target, attempts, walk.summary()))


def walk(test, port, project, query, between=None, what=None,
         max_pages=500):
    """Follow the next links of the summary list of ``project`` through
    ``port`` from ``query``; ``between(walk)`` runs after each page. Every
    page must be a 200 with next links that point at ``port``. The walk
    is recorded as ``what``, if given."""
    result = Walk()

    def fetch(href):
        url = urllib.parse.urlsplit(href)
        test.assertEqual('127.0.0.1:%d' % port, url.netloc)
        response = get(port, '%s?%s' % (url.path, url.query), project,
                       result)
        test.assertEqual(200, response.status, response.body[:500])
        result.served_by.append(response.header('X-Served-By'))
        return response.json()

    start = 'http://127.0.0.1:%d/v3/%s/native/backups?%s' % (
        port, project, query)
    for _href, body in links.walk(fetch, start, max_pages):
        result.pages += 1
        result.ids.extend(item['id'] for item in body['backups'])
        if between is not None:
            between(result)
    if what:
        record(test, what, result)
    return result


def record(test, what, walk):
    """Append what a walk cost to the file ``VBS_NATIVE_TEST_HA_REPORT``
    names, if any (for the HA guide and the reports)."""
    path = os.environ.get(REPORT_VARIABLE)
    if not path:
        return
    with open(path, 'a', encoding='utf-8') as stream:
        stream.write(json.dumps({
            'test': test.id(), 'what': what, 'ids': len(walk.ids),
            'pages': walk.pages, 'failures': dict(walk.failures),
            'retry_after': walk.retry_after,
            'seconds_lost': round(walk.waited, 2), **walk.notes}) + '\n')
