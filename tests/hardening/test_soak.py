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

"""Soak: 2 workers, 32 concurrent connections, mixed queries whose answers
are checked against the database; no 5xx, no wrong answer, worker RSS flat.

``VBS_NATIVE_TEST_SOAK_SECONDS`` sets the length (default 20, the short form
CI runs); the full run is two minutes::

    VBS_NATIVE_TEST_SOAK_SECONDS=120 tox -e soak
"""

import collections
import os
import random
import threading
import time
import urllib.parse

import sqlalchemy as sa

from tests.hardening import base
from tests.harness import reference

SECTION = 'Load'
SECONDS = int(os.environ.get('VBS_NATIVE_TEST_SOAK_SECONDS', '20'))
CONNECTIONS = 32
WORKERS = 2
# Growth of a worker's RSS allowed between the end of the warm-up and the
# end of the run.
RSS_GROWTH_KIB = 8 * 1024
WORDS = ['daily', 'WEEK', 'arch', 'logs', 'zzz-none']


class Model:
    """The database's rows, read once, and the answers they imply."""

    def __init__(self, engine, projects):
        self.projects = projects
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                'SELECT id, project_id, display_name, status, size, '
                'created_at, deleted FROM backups')).all()
        self.rows = {row.id: row for row in rows}
        self.live = collections.defaultdict(list)
        for row in rows:
            if not row.deleted:
                self.live[row.project_id].append(row)
        for project in self.live:
            # The default order: created_at desc, then id desc.
            self.live[project].sort(key=lambda r: (r.created_at, r.id),
                                    reverse=True)

    def order(self, project):
        return [row.id for row in self.live[project]]


class Soak:

    def __init__(self, service, model, seconds):
        self.service = service
        self.model = model
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.errors = []

    def run_client(self, seed):
        rng = random.Random(seed)
        checks = [self.count_by_status, self.page_with_offset,
                  self.page_after_marker, self.fuzzy_count, self.show,
                  self.show_other_project, self.detail_page]
        while time.monotonic() < self.deadline:
            check = rng.choice(checks)
            project = rng.choice(self.model.projects)
            try:
                check(rng, project)
                outcome = 'ok'
            except AssertionError as exc:
                outcome = 'wrong'
                self.note_error('%s: %s' % (check.__name__, exc))
            except OSError as exc:
                outcome = 'connection error'
                self.note_error('%s: %r' % (check.__name__, exc))
            except Exception as exc:  # a body not as expected
                outcome = 'wrong'
                self.note_error('%s: %r' % (check.__name__, exc))
            with self.lock:
                self.counts[outcome] += 1

    def note_error(self, text):
        with self.lock:
            if len(self.errors) < 20:
                self.errors.append(text)

    def get(self, project, path, query=(), version='3.45'):
        target = '/v3/%s/native/backups%s' % (project, path)
        if query:
            target += '?' + urllib.parse.urlencode(query)
        response = self.service.get(target, project, version=version,
                                    timeout=30)
        with self.lock:
            self.counts['status %dxx' % (response.status // 100)] += 1
        return response

    def expect(self, response, status=200):
        if response.status != status:
            raise AssertionError('status %d: %r' % (response.status,
                                                    response.body[:200]))
        return response.json()

    # The queries, each checked against the model.

    def count_by_status(self, rng, project):
        status = rng.choice(['available', 'error', 'creating', 'nothing'])
        body = self.expect(self.get(project, '', [
            ('status', status), ('with_count', 'true'), ('limit', '0')]))
        expected = sum(1 for r in self.model.live[project]
                       if r.status == status)
        if body['count'] != expected or body['backups']:
            raise AssertionError('count %s != %s' % (body['count'],
                                                     expected))

    def page_with_offset(self, rng, project):
        order = self.model.order(project)
        offset, limit = rng.randint(0, len(order)), rng.randint(1, 25)
        body = self.expect(self.get(project, '', [
            ('limit', limit), ('offset', offset)]))
        got = [item['id'] for item in body['backups']]
        if got != order[offset:offset + limit]:
            raise AssertionError('offset page differs')
        if bool(body.get('backups_links')) != (offset + limit < len(order)):
            raise AssertionError('next link wrong')

    def page_after_marker(self, rng, project):
        order = self.model.order(project)
        if not order:
            return
        index = rng.randrange(len(order))
        body = self.expect(self.get(project, '', [
            ('limit', 10), ('marker', order[index])]))
        got = [item['id'] for item in body['backups']]
        if got != order[index + 1:index + 11]:
            raise AssertionError('marker page differs')

    def detail_page(self, rng, project):
        order = self.model.order(project)
        body = self.expect(self.get(project, '/detail', [('limit', 5)]))
        for item in body['backups']:
            row = self.model.rows[item['id']]
            if (item['name'], item['status'], item['size']) != (
                    row.display_name, row.status, row.size):
                raise AssertionError('detail differs for %s' % row.id)
        if [item['id'] for item in body['backups']] != order[:5]:
            raise AssertionError('detail order differs')

    def fuzzy_count(self, rng, project):
        word = rng.choice(WORDS)
        body = self.expect(self.get(project, '', [
            ('name~', word), ('with_count', 'true'), ('limit', '1')]))
        expected = sum(1 for r in self.model.live[project]
                       if r.display_name is not None
                       and reference.fold(word)
                       in reference.fold(r.display_name))
        if body['count'] != expected:
            raise AssertionError('fuzzy count %s != %s for %s' % (
                body['count'], expected, word))

    def show(self, rng, project):
        rows = self.model.live[project]
        if not rows:
            return
        row = rng.choice(rows)
        body = self.expect(self.get(project, '/%s' % row.id))
        if (body['backup']['id'], body['backup']['name']) != (
                row.id, row.display_name):
            raise AssertionError('show differs for %s' % row.id)

    def show_other_project(self, rng, project):
        others = [row for row in self.model.rows.values()
                  if row.project_id != project]
        if not others:
            return
        row = rng.choice(others)
        self.expect(self.get(project, '/%s' % row.id), status=404)


class TestSoak(base.TestCase):

    def test_soak(self):
        db = self.useFixture(base.MySQLDatabase(count=3000, projects=3))
        service = self.useFixture(base.Service(db.url(), workers=WORKERS))
        model = Model(db.engine, db.project_ids)
        soak = Soak(service, model, SECONDS)
        threads = [threading.Thread(target=soak.run_client, args=(seed,))
                   for seed in range(CONNECTIONS)]
        for thread in threads:
            thread.start()
        # RSS after the warm-up (a fifth of the run, at least 3 s), then at
        # the end.
        time.sleep(max(3, SECONDS / 5))
        warm = service.rss()
        for thread in threads:
            thread.join(SECONDS + 120)
            self.assertFalse(thread.is_alive(), 'a client never finished')
        end = service.rss()
        total = sum(soak.counts[k] for k in ('ok', 'wrong',
                                             'connection error'))
        report = '%d requests in %d s: %s; RSS KiB warm %s end %s' % (
            total, SECONDS, dict(soak.counts), warm, end)
        print(report)
        self.assertEqual([], soak.errors, report)
        self.assertEqual(0, soak.counts['status 5xx'], report)
        self.assertGreater(total, SECONDS * 10, report)
        self.assertEqual(sorted(warm), sorted(end), 'workers changed')
        for pid, size in end.items():
            self.assertLess(size - warm[pid], RSS_GROWTH_KIB, report)
        base.record(SECTION, '%d workers, %d concurrent connections, mixed '
                    'queries checked against the database' % (
                        WORKERS, CONNECTIONS),
                    'no 5xx, no wrong answer, worker RSS flat (growth under '
                    '%d MiB after warm-up)' % (RSS_GROWTH_KIB // 1024))
