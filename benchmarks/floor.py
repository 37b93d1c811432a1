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

"""What a first summary page costs in-process, layer by layer: the whole
request; the same pipeline answering a request that needs no database
(``GET /v3/{project}/resource_filters``: identity, version, routing, policy,
JSON); one oslo.db read transaction running the page's statement, built
once, through SQLAlchemy; the same SQL on the driver alone; and the least
rendering of that page (least.py's plain dicts, dumped by orjson, with
none of the service's code). Prints one JSON object
(microseconds per request, the best of a few rounds: a floor on a shared
machine). run.py runs it at the reference size.

It also measures what ``with_count=true`` adds to that page against the
database's own ``COUNT(*)`` on the driver, the three taken in turn, round
after round, and compared by their medians: measured apart (the count on an
idle machine, the pages under load) they would differ by the conditions,
not by the work.

    python benchmarks/floor.py --url sqlite:///benchmarks/work/x.sqlite \
        --project P
"""

import argparse
import json
import statistics
import time

import orjson
import sqlalchemy as sa

import inprocess
import least
from vbs_native import context as vbs_context
from vbs_native.db import engine as db_engine
from vbs_native.db import models


def best_us(call, seconds, rounds=5):
    for _ in range(50):
        call()
    best = None
    for _ in range(rounds):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / rounds:
            call()
            count += 1
        per_call = (time.perf_counter() - start) / count * 1e6
        best = per_call if best is None else min(best, per_call)
    return round(best, 1)


def interleaved_us(calls, rounds):
    """The median time of each call, the calls taken in turn each round."""
    timings = [[] for _call in calls]
    for call in calls:
        call()
    for _ in range(rounds):
        for call, times in zip(calls, timings):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) * 1e6 for times in timings]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--url', required=True)
    parser.add_argument('--project', required=True)
    parser.add_argument('--seconds', type=float, default=2.0)
    parser.add_argument('--rounds', type=int, default=200)
    args = parser.parse_args()
    project = args.project

    app = inprocess.load_app(args.url)

    def get(path):
        request = inprocess.getter(app, path, project,
                                   [('OpenStack-API-Version', 'volume 3.45')])

        def call():
            status, _body = request()
            if not status.startswith('200'):
                raise SystemExit('%s: %s' % (path, status))
        return call

    backups = models.backups
    engine = db_engine.get_engine()
    with engine.connect() as connection:
        stmt = least.first_page(connection, project)
        rows = connection.execute(stmt, {'p': project}).all()
    context = vbs_context.RequestContext(user_id='floor', project_id=project)

    def transaction():
        with db_engine.main_context_manager.reader.connection.using(
                context) as connection:
            connection.execute(stmt, {'p': project}).all()

    raw = engine.raw_connection()

    def on_driver(statement, values):
        compiled = statement.compile(dialect=engine.dialect)
        params = compiled.construct_params(values)
        if compiled.positional:
            params = tuple(params[name] for name in compiled.positiontup)
        sql = str(compiled)

        def call():
            # On its own, as the service runs each statement (on MariaDB
            # and PostgreSQL in autocommit, db/engine.py): no ROLLBACK.
            cursor = raw.cursor()
            cursor.execute(sql, params)
            cursor.fetchall()
            cursor.close()
        return call

    driver = on_driver(stmt, {'p': project})
    count = on_driver(
        sa.select(sa.func.count()).select_from(backups).where(
            backups.c.deleted == sa.false(),
            backups.c.project_id == sa.bindparam('p')), {'p': project})

    collection = 'http://127.0.0.1:8776/v3/%s/native/backups' % project

    def render():
        orjson.dumps(least.page_body(rows, collection))

    result = {
        'request_us': best_us(
            get('/v3/%s/native/backups?limit=50' % project), args.seconds),
        'no_database_us': best_us(
            get('/v3/%s/resource_filters' % project), args.seconds),
        'transaction_us': best_us(transaction, args.seconds),
        'driver_us': best_us(driver, args.seconds),
        'render_us': best_us(render, args.seconds),
    }
    page = get('/v3/%s/native/backups?limit=50' % project)
    counted = get('/v3/%s/native/backups?limit=50&with_count=true' % project)
    medians = interleaved_us([page, counted, count], args.rounds)
    result['with_count_adds_us'] = round(medians[1] - medians[0], 1)
    result['count_us'] = round(medians[2], 1)
    raw.close()
    print(json.dumps(result))


if __name__ == '__main__':
    main()
