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

"""The vbs-native benchmark: data, servers, load, report.

    tox -e bench -- [options]          # or: python benchmarks/run.py ...
    tox -e bench-smoke                 # tiny sizes, a few seconds (CI)

For each database (``--db sqlite,mariadb,postgresql``) and size
(``--sizes``), it fills a database of the service's own schema with
``vbs-native-manage backup generate``, starts ``vbs-native-api``
(``--workers``, noauth) and drives every case (measure.py) from a separate
process over loopback (wrk, or a Python generator when wrk is missing). At the
reference size (``--ref-size``) it also serves the same response bytes from
memory with the same gunicorn (the ceiling), serves the first summary page
from least.py (the same server, pipeline and router; a handler doing only
what every page needs) and, with ``--compare-cinder``,
benchmarks real cinder-api 29.0.0 and vbs-native side by side on one
Cinder database filled with the same rows (on every engine). On MariaDB it
also measures cinder-api with the vbs-native paste filter in its pipeline
(as the install guide adds it, ``cinder_routes`` on), and then all three
again after adding the index doc/source/admin/cinder-database.rst
documents, which it drops at the end. ``--soak`` adds 16 connections
for 60 s against 2 workers.

PostgreSQL databases get ``VACUUM ANALYZE backups`` before they are
measured. At the largest size and the reference size it times the
fastest ``SELECT COUNT(*)`` of the project's live rows the engine does
(plain; MariaDB: ``FORCE INDEX`` of each index that starts with the
predicate's columns; PostgreSQL: seq and bitmap scans switched off), the
bound of the with_count target.

It prints one table per database and size plus the ratios and targets, and
writes the same as JSON (``--output``); ``--publish`` writes
``benchmarks/results/results.json`` and its report ``README.md``.

This file is the command line; the jobs are data.py (the databases and what
the cases need of them), cinder_venv.py (Cinder's virtualenv and
configuration), servers.py (the servers, on tests/harness), measure.py (the
cases, the load, the soak, floor.py) and report.py. Database servers are
reached through oslo.db's ``OS_TEST_DBAPI_ADMIN_CONNECTION``, as the tests
reach them.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
# The processes it starts (vbs-native-api, floor.py, the filter inside
# Cinder) run this checkout's code as well, whichever checkout the
# virtualenv has installed.
os.environ['PYTHONPATH'] = os.pathsep.join(
    [ROOT] + [path for path in os.environ.get('PYTHONPATH', '').split(
        os.pathsep) if path and path != ROOT])
# tox sets the admin URLs of the database servers; run by hand, the local
# servers' (before oslo.db reads them).
os.environ.setdefault(
    'OS_TEST_DBAPI_ADMIN_CONNECTION',
    'mysql+pymysql://root@127.0.0.1/?charset=utf8mb4;'
    'postgresql+psycopg2://postgres@127.0.0.1/postgres')
# vbs-native reads MariaDB through the driver its docs recommend; Cinder
# keeps PyMySQL, its own (cinder_venv.conf).
os.environ.setdefault('VBS_NATIVE_TEST_MYSQL_DRIVER', 'mysqldb')

import cinder_venv  # noqa: E402
import data  # noqa: E402
import measure  # noqa: E402
from progress import log  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402


# Where --compare-cinder also measures cinder-api with the vbs-native paste
# filter, and everything on Cinder's database again with the documented
# index.
INSIDE_CINDER = ('mariadb',)


def run_database(kind, args, venv):
    store = data.Store(kind, args.work)
    project = data.project()
    results, facts_by_size, soak_result = [], {}, None
    for size in args.sizes:
        name = data.fill_own(store, size)
        url = store.url(name)
        data.analyse(url)
        facts = dict(data.facts(url, project), size=size)
        facts_by_size[size] = dict(facts, schema='own')
        tag = {'db': kind, 'size': size, 'schema': 'own',
               'live_rows': facts['live_rows']}
        log('%s %d rows, %d live in the project: vbs-native (own schema)',
            kind, size, facts['live_rows'])
        native_cases = measure.cases(measure.NATIVE, project, facts)
        with servers.running(servers.vbs(
                args.work, 'vbs-native@%s-%d' % (kind, size), url,
                args.workers)) as (server,):
            found, pages = measure.measure([server], native_cases, project,
                                           args, tag)
            results += found
        if size in (max(args.sizes), args.ref_size):
            best = data.best_count(url, project)
            log('%s %d rows: best COUNT(*) %.2f ms (%s)', kind, size,
                best['best_count_ms'], best['best_count_variant'])
            facts_by_size[size].update(best)
        if size != args.ref_size:
            continue
        facts_by_size[size].update(data.sql_timings(url, project))
        facts_by_size[size]['floor'] = measure.stack_floor(url, project,
                                                           args)
        with servers.running(servers.ceiling(
                args.work, 'ceiling@%s-%d' % (kind, size), pages)) as (
                    server,):
            results += measure.measure([server], native_cases, project,
                                       args, tag)[0]
        with servers.running(servers.least(
                args.work, 'least@%s-%d' % (kind, size), url)) as (server,):
            results += measure.measure(
                [server], [case for case in native_cases
                           if case[0] == report.FIRST], project, args,
                tag)[0]
        if args.soak:
            soak_result = measure.soak(store, name, project, facts, args)
        if venv is not None:
            results += compare_cinder(store, size, venv, project, args,
                                      facts_by_size)
    return results, facts_by_size, soak_result


def compare_cinder(store, size, venv, project, args, facts_by_size):
    """cinder-api and vbs-native on one Cinder database of ``size`` rows,
    Cinder's own paths; on INSIDE_CINDER engines also cinder-api with the
    vbs-native filter, and all three again with the documented index
    (dropped again at the end)."""
    kind = store.kind
    inside = kind in INSIDE_CINDER
    url = store.url(data.fill_cinder(store, size, venv))
    data.without_cinder_index(url)
    data.analyse(url)
    facts = dict(data.facts(url, project), size=size)
    facts_by_size['cinder-%d' % size] = dict(
        facts, schema='cinder', **data.sql_timings(url, project))
    tag = {'db': kind, 'size': size, 'live_rows': facts['live_rows']}
    # Cinder's own paths, which all serve.
    cinder_cases = measure.cases('', project, facts)

    def measure_on(schema):
        label = '%s-%d%s' % (kind, size, schema[len('cinder'):])
        pair = [servers.cinder(args.work, 'cinder@' + label, url, venv),
                servers.vbs(args.work, 'vbs-on-cinder@' + label, url,
                            args.workers)]
        if inside:
            pair.append(servers.cinder(args.work, 'cinder+filter@' + label,
                                       url, venv, with_filter=True))
        log('%s %d rows, %s: %s', kind, size, schema,
            ', '.join(server.name.split('@')[0] for server in pair))
        with servers.running(*pair) as running:
            return measure.measure(list(running), cinder_cases, project,
                                   args, dict(tag, schema=schema))[0]

    results = measure_on('cinder')
    if inside:
        with data.cinder_index(url):
            facts_by_size['cinder-indexed-%d' % size] = dict(
                facts, schema='cinder-indexed',
                **data.sql_timings(url, project))
            results += measure_on('cinder-indexed')
    return results


def machine(kinds):
    info = {'nproc': os.cpu_count(), 'python': platform.python_version(),
            'kernel': platform.release()}
    with contextlib.suppress(OSError):
        with open('/proc/cpuinfo') as handle:
            for line in handle:
                if line.startswith('model name'):
                    info['cpu'] = line.split(':', 1)[1].strip()
                    break
        with open('/proc/meminfo') as handle:
            info['memory'] = handle.readline().split(':', 1)[1].strip()
    if shutil.which('wrk'):
        out = subprocess.run(['wrk', '--version'], capture_output=True,
                             text=True)
        info['wrk'] = (out.stdout or out.stderr).split('[')[0].strip()
    info['databases'] = {}
    for kind in kinds:
        with contextlib.suppress(Exception):
            info['databases'][kind] = data.Store(kind, '/').version()
    from importlib import metadata
    info['packages'] = {name: metadata.version(name) for name in (
        'vbs-native', 'gunicorn', 'SQLAlchemy', 'WebOb', 'oslo.db')}
    return info


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('--db', default='sqlite',
                        help='comma-separated: sqlite, mariadb, postgresql')
    parser.add_argument('--sizes', default='10000,100000,1000000')
    parser.add_argument('--ref-size', type=int,
                        help='size of the ceiling, Cinder and soak runs '
                             '(default: 100000, else the largest size)')
    parser.add_argument('--duration', type=float, default=10.0,
                        help='seconds of load per case')
    parser.add_argument('--warmup', type=float, default=1.0)
    parser.add_argument('--connections', type=int, default=1)
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--loadgen', choices=('auto', 'wrk', 'python'),
                        default='auto')
    parser.add_argument('--compare-cinder', action='store_true',
                        help='cinder-api 29.0.0 and vbs-native on a Cinder '
                             'database; on MariaDB also cinder-api with '
                             'the\nvbs-native filter, without and with the '
                             'documented index')
    parser.add_argument('--soak', action='store_true')
    parser.add_argument('--soak-seconds', type=float, default=60.0)
    parser.add_argument('--soak-connections', type=int, default=16)
    parser.add_argument('--smoke', action='store_true',
                        help='tiny sizes, a few seconds, the Python load '
                             'generator; fails on any error (CI)')
    parser.add_argument('--work', default=os.path.join(HERE, 'work'))
    parser.add_argument('--output')
    parser.add_argument('--publish', action='store_true',
                        help='write benchmarks/results/results.json and '
                             'README.md, and the ratios into README.rst')
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes = '300,600'
        args.duration, args.warmup = 0.3, 0.1
        args.loadgen = 'python'
        args.soak, args.soak_seconds, args.soak_connections = True, 1.8, 4
    args.dbs = args.db.split(',')
    args.sizes = [int(size) for size in args.sizes.split(',')]
    if args.ref_size is None:
        args.ref_size = 100000 if 100000 in args.sizes else max(args.sizes)
    args.work = os.path.abspath(args.work)
    os.makedirs(os.path.join(args.work, 'logs'), exist_ok=True)
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    venv = cinder_venv.make(args.work) if args.compare_cinder else None
    document = {
        'started': datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec='seconds'),
        'command': 'benchmarks/run.py ' + ' '.join(
            sys.argv[1:] if argv is None else argv),
        'settings': {key: getattr(args, key) for key in (
            'dbs', 'sizes', 'ref_size', 'duration', 'warmup', 'connections',
            'workers', 'loadgen', 'compare_cinder', 'soak', 'soak_seconds',
            'soak_connections')},
        'machine': machine(args.dbs),
        'results': [], 'facts': [], 'soak': [],
    }
    for kind in args.dbs:
        results, facts, soak_result = run_database(kind, args, venv)
        document['results'] += results
        document['facts'] += [dict(value, db=kind)
                              for value in facts.values()]
        if soak_result:
            document['soak'].append(soak_result)
    text = report.render(document)
    print(text)
    output = args.output or os.path.join(
        args.work, 'results-%s.json' % time.strftime('%Y%m%d-%H%M%S'))
    outputs = [output]
    if args.publish:
        results_dir = os.path.join(HERE, 'results')
        os.makedirs(results_dir, exist_ok=True)
        outputs.append(os.path.join(results_dir, 'results.json'))
        report.publish(document, results_dir,
                       os.path.join(ROOT, 'README.rst'))
    for path in outputs:
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(document, handle, indent=1)
            handle.write('\n')
    log('wrote %s', ', '.join(outputs))
    if args.smoke:
        failures = report.smoke_failures(document)
        for failure in failures:
            print('SMOKE FAILURE: %s' % failure)
        return 1 if failures else 0
    return 0


if __name__ == '__main__':
    sys.exit(main())
