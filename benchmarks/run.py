"""The vbs-native benchmark: data, servers, load, report.

    tox -e bench -- [options]          # or: python benchmarks/run.py ...
    tox -e bench-smoke                 # tiny sizes, a few seconds (CI)

For each database (``--db sqlite,mariadb,postgresql``) and size
(``--sizes``), it fills a database of the service's own schema with
``vbs-native-manage backup generate``, starts ``vbs-native-api``
(``--workers``, noauth) and drives every case below from a separate process
over loopback (wrk, or a Python generator when wrk is missing). At the
reference size (``--ref-size``) it also serves the same response bytes from
memory with the same gunicorn (the ceiling) and, with ``--compare-cinder``,
benchmarks real cinder-api 29.0.0 and vbs-native side by side on one
Cinder database filled with the same rows. ``--soak`` adds 16 connections
for 60 s against 2 workers.

It prints one table per database and size plus the ratios and targets, and
writes the same as JSON (``--output``); ``--publish`` writes
``benchmarks/results/results.json`` and its report ``README.md``.
"""

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time

import sqlalchemy as sa

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import loadgen  # noqa: E402
import report  # noqa: E402

ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)
CINDER_VERSION = '29.0.0'
PROJECTS = 4
# The first project's share: ~53% of all rows live there, as in the
# measurements of Cinder this compares with (a ninth is soft-deleted).
FIRST_SHARE = 0.6
SEED = 0
NATIVE = '/native'
V345 = 'OpenStack-API-Version: volume 3.45'


def log(message, *args):
    print('[%s] %s' % (time.strftime('%H:%M:%S'), message % args),
          file=sys.stderr, flush=True)


# Databases.

class Database:
    """A database server (or SQLite) and the benchmark's databases on it."""

    def __init__(self, kind, work):
        self.kind = kind
        self.work = work

    def url(self, name):
        if self.kind == 'sqlite':
            return 'sqlite:///%s' % os.path.join(self.work, name + '.sqlite')
        if self.kind == 'mariadb':
            return ('mysql+pymysql://%s@127.0.0.1:3306/%s?charset=utf8mb4'
                    % (os.environ.get('BENCH_MARIADB_USER', 'root'), name))
        return ('postgresql+psycopg2://%s@127.0.0.1:5432/%s'
                % (os.environ.get('BENCH_POSTGRESQL_USER', 'postgres'), name))

    def recreate(self, name):
        if self.kind == 'sqlite':
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.url(name)[len('sqlite:///'):])
            return
        admin = sa.create_engine(
            self.url('mysql' if self.kind == 'mariadb' else 'postgres'),
            isolation_level='AUTOCOMMIT')
        with admin.connect() as connection:
            connection.execute(sa.text('DROP DATABASE IF EXISTS %s' % name))
            connection.execute(sa.text('CREATE DATABASE %s' % name))
        admin.dispose()

    def version(self):
        if self.kind == 'sqlite':
            import sqlite3
            return 'SQLite %s' % sqlite3.sqlite_version
        engine = sa.create_engine(self.url(
            'mysql' if self.kind == 'mariadb' else 'postgres'))
        with engine.connect() as connection:
            value = connection.scalar(sa.text('SELECT version()'))
        engine.dispose()
        return value.split(' on ')[0]


def _stamp_path(work, name):
    return os.path.join(work, 'stamps', name + '.json')


def _fresh(database, name, size):
    """True when ``name`` already holds this data set (same generator
    arguments), which saves regenerating a million rows per run."""
    try:
        with open(_stamp_path(database.work, database.kind + '-' + name),
                  encoding='utf-8') as handle:
            stamp = json.load(handle)
    except (OSError, ValueError):
        return False
    if stamp != {'size': size, 'projects': PROJECTS, 'seed': SEED,
                 'first_share': FIRST_SHARE}:
        return False
    try:
        engine = sa.create_engine(database.url(name))
        with engine.connect() as connection:
            count = connection.scalar(sa.text('SELECT count(*) FROM backups'))
        engine.dispose()
    except sa.exc.SQLAlchemyError:
        return False
    return count == size


def _stamp(database, name, size):
    path = _stamp_path(database.work, database.kind + '-' + name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump({'size': size, 'projects': PROJECTS, 'seed': SEED,
                   'first_share': FIRST_SHARE}, handle)


def vbs_conf(work, name, url, port=None, workers=1):
    path = os.path.join(work, name + '.conf')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(
            '[DEFAULT]\nstate_path = %s\nauth_strategy = noauth\n'
            'osapi_volume_listen = 127.0.0.1\nosapi_volume_listen_port = %d\n'
            'osapi_volume_workers = %d\n\n[database]\nconnection = %s\n'
            % (os.path.join(work, 'state'), port or 8776, workers, url))
    return path


def fill_own(database, size):
    """Our schema, filled by vbs-native-manage as an operator would."""
    name = 'vbs_bench_own_%d' % size
    if _fresh(database, name, size):
        log('%s %s: reusing %d rows', database.kind, name, size)
        return name
    log('%s %s: generating %d rows', database.kind, name, size)
    database.recreate(name)
    conf = vbs_conf(database.work, name, database.url(name))
    manage = [os.path.join(BIN, 'vbs-native-manage'), '--config-file', conf]
    subprocess.run(manage + ['db', 'sync'], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(manage + ['backup', 'generate', '--count', str(size),
                             '--projects', str(PROJECTS),
                             '--first-share', str(FIRST_SHARE),
                             '--seed', str(SEED)],
                   check=True, stdout=subprocess.DEVNULL)
    _stamp(database, name, size)
    return name


# Cinder.

def cinder_venv(work):
    """A virtualenv with cinder==29.0.0 (made once; a few minutes)."""
    venv = os.path.join(work, 'cinder-venv')
    python = os.path.join(venv, 'bin', 'python')
    marker = os.path.join(venv, '.bench-ready')
    if not os.path.exists(marker):
        log('installing cinder==%s into %s', CINDER_VERSION, venv)
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        subprocess.run([python, '-m', 'pip', 'install', '--quiet',
                        '--disable-pip-version-check',
                        'cinder==%s' % CINDER_VERSION, 'gunicorn',
                        'PyMySQL', 'psycopg2-binary'], check=True)
        open(marker, 'w').close()
    return venv


def cinder_conf(work, name, url, venv):
    path = os.path.join(work, name + '.cinder.conf')
    state = os.path.join(work, 'cinder-state')
    os.makedirs(state, exist_ok=True)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(
            '[DEFAULT]\nauth_strategy = noauth\nstate_path = %s\n'
            'api_paste_config = %s\nlog_file = %s\n'
            '[database]\nconnection = %s\n'
            '[oslo_concurrency]\nlock_path = %s\n'
            % (state, os.path.join(venv, 'etc', 'cinder', 'api-paste.ini'),
               os.path.join(work, 'logs', name + '.cinder-api.log'),
               url, state))
    return path


def fill_cinder(database, size, venv):
    """Cinder's schema from ``cinder-manage db sync``, filled with the rows
    ``backup generate`` writes into ours (same seed). vbs-native-manage
    refuses a Cinder database on purpose, so the benchmark writes here
    itself, through Cinder's tables as the database describes them."""
    name = 'vbs_bench_cinder_%d' % size
    if _fresh(database, name, size):
        log('%s %s: reusing %d rows', database.kind, name, size)
        return name
    log('%s %s: cinder-manage db sync, then %d rows', database.kind, name,
        size)
    database.recreate(name)
    url = database.url(name)
    conf = cinder_conf(database.work, name, url, venv)
    subprocess.run([os.path.join(venv, 'bin', 'cinder-manage'),
                    '--config-file', conf, 'db', 'sync'], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from vbs_native.db import sample
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    backups = sa.Table('backups', metadata, autoload_with=engine)
    backup_metadata = sa.Table('backup_metadata', metadata,
                               autoload_with=engine)
    columns = [column.name for column in backups.columns]
    batch, meta = [], []
    with engine.begin() as connection:
        for row, items in sample.generate(size, projects=PROJECTS,
                                          seed=SEED,
                                          first_share=FIRST_SHARE):
            batch.append({key: row.get(key) for key in columns})
            meta.extend({'backup_id': row['id'], 'key': key, 'value': value,
                         'deleted': False, 'created_at': row['created_at']}
                        for key, value in items.items())
            if len(batch) >= 5000:
                connection.execute(backups.insert(), batch)
                if meta:
                    connection.execute(backup_metadata.insert(), meta)
                batch, meta = [], []
        if batch:
            connection.execute(backups.insert(), batch)
        if meta:
            connection.execute(backup_metadata.insert(), meta)
    engine.dispose()
    _stamp(database, name, size)
    return name


# What the cases ask for.

def data_facts(url, project):
    """Live rows of the project, the id 90% deep in the default order, the
    id of a row to show, and the database's own COUNT(*) time."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        live = connection.scalar(sa.text(
            'SELECT count(*) FROM backups WHERE project_id = :p '
            'AND deleted = :d'), {'p': project, 'd': False})

        def nth(n):
            return connection.scalar(sa.text(
                'SELECT id FROM backups WHERE project_id = :p AND '
                'deleted = :d ORDER BY created_at DESC, id DESC '
                'LIMIT 1 OFFSET %d' % n), {'p': project, 'd': False})
        deep, middle = nth(int(live * 0.9)), nth(live // 2)

        def median_ms(statement):
            timings = []
            for _ in range(15):
                start = time.perf_counter()
                connection.execute(sa.text(statement),
                                   {'p': project, 'd': False}).all()
                timings.append(time.perf_counter() - start)
            timings.sort()
            return timings[len(timings) // 2] * 1000.0

        count_ms = median_ms('SELECT count(*) FROM backups WHERE '
                             'deleted = :d AND project_id = :p')
        # The first summary page's SQL alone: on a schema without an index
        # for this order, what no service can answer faster than.
        first_page_ms = median_ms(
            'SELECT id, display_name FROM backups WHERE deleted = :d AND '
            'project_id = :p ORDER BY created_at DESC, id DESC LIMIT 51')
    engine.dispose()
    return {'live_rows': live, 'deep_marker': deep, 'show_id': middle,
            'count_ms': count_ms, 'first_page_ms': first_page_ms}


def stack_floor(url, project, args):
    """floor.py's layers of a first summary page, in-process, in a process
    of its own (the DB API is configured once per process)."""
    output = subprocess.run(
        [sys.executable, os.path.join(HERE, 'floor.py'), '--url', url,
         '--project', project, '--seconds', '0.5' if args.smoke else '3',
         '--rounds', '20' if args.smoke else '200'],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def cases(family, project, facts):
    """(name, path and query, extra headers) of every case."""
    base = '/v3/%s%s/backups' % (project, family)
    offset = min(1000, facts['live_rows'] // 2)
    return [
        ('summary-50', base + '?limit=50', ()),
        ('summary-1000', base, ()),
        ('marker-deep-50', base + '?limit=50&marker=' + facts['deep_marker'],
         ()),
        ('offset-%d-50' % offset, base + '?limit=50&offset=%d' % offset, ()),
        ('name~-50', base + '?limit=50&name~=daily', (V345,)),
        ('status-50', base + '?limit=50&status=error', ()),
        ('with-count-50', base + '?limit=50&with_count=true', (V345,)),
        ('detail-50', base + '/detail?limit=50', (V345,)),
        ('show', base + '/' + facts['show_id'], (V345,)),
    ]


# Servers.

def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def fetch(port, path, headers, project):
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    all_headers = {'X-Auth-Token': 'bench:%s' % project}
    for header in headers:
        key, _sep, value = header.partition(':')
        all_headers[key.strip()] = value.strip()
    connection.request('GET', path, headers=all_headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader('Content-Type'), body


class Server:
    """A server process of its own session, so that it and every worker
    stop together."""

    def __init__(self, name, command, env, work, port):
        self.name = name
        self.port = port
        self.log_path = os.path.join(work, 'logs', name + '.log')
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self.log_file = open(self.log_path, 'w')
        self.process = subprocess.Popen(
            command, env=dict(os.environ, **env), cwd=HERE,
            stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError('%s exited; see %s' % (
                    name, self.log_path))
            try:
                fetch(port, '/', (), 'x')
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError('%s did not start; see %s' % (
                        name, self.log_path))
                time.sleep(0.2)

    def workers(self):
        """PIDs of the worker processes (children of the master)."""
        pids = []
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open('/proc/%s/stat' % entry) as handle:
                    fields = handle.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry))
        return sorted(pids)

    def rss_kb(self):
        """The largest worker's resident set, in KiB."""
        sizes = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                with open('/proc/%d/status' % pid) as handle:
                    for line in handle:
                        if line.startswith('VmRSS:'):
                            sizes.append(int(line.split()[1]))
        return max(sizes) if sizes else None

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_vbs(work, name, url, workers):
    port = free_port()
    conf = vbs_conf(work, name + '-server', url, port, workers)
    return Server(name, [os.path.join(BIN, 'vbs-native-api'),
                         '--config-file', conf], {}, work, port)


def _gunicorn(python, module, workers, port):
    return [python, '-m', 'gunicorn', '--no-control-socket', '--workers',
            str(workers), '--worker-class', 'sync', '--bind',
            '127.0.0.1:%d' % port, '--log-level', 'warning', module]


def start_cinder(work, name, url, venv):
    port = free_port()
    conf = cinder_conf(work, name, url, venv)
    return Server(name, _gunicorn(os.path.join(venv, 'bin', 'python'),
                                  'cinder_wsgi:application', 1, port),
                  {'BENCH_CINDER_CONF': conf}, work, port)


def start_ceiling(work, name, pages):
    port = free_port()
    path = os.path.join(work, name + '.pages.json')
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(pages, handle)
    return Server(name, _gunicorn(sys.executable, 'ceiling:application', 1,
                                  port),
                  {'BENCH_CEILING_FILE': path}, work, port)


# Measuring.

def measure(servers, case_list, project, args, tag):
    """Run every case against each server, the servers back to back per
    case (so that a noisy moment hits them alike); one result per server
    and case."""
    results = []
    token = 'X-Auth-Token: bench:%s' % project
    for server in servers:  # every code path once before measuring
        for _name, path, headers in case_list:
            fetch(server.port, path, headers, project)
    for name, path, headers in case_list:
        for server in servers:
            status, _type, body = fetch(server.port, path, headers, project)
            url = 'http://127.0.0.1:%d%s' % (server.port, path)
            loadgen.run(url, args.warmup, 1, (token,) + headers,
                        args.loadgen)
            outcome = loadgen.run(url, args.duration, args.connections,
                                  (token,) + headers, args.loadgen)
            result = dict(tag, target=server.name.split('@')[0], case=name,
                          status=status, bytes=len(body),
                          rss_kb=server.rss_kb(),
                          **{key: outcome[key] for key in (
                              'rps', 'p50_ms', 'p99_ms', 'errors',
                              'requests', 'tool')})
            log('  %-13s %-16s %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  '
                'errors %d  status %d', result['target'], name,
                result['rps'], result['p50_ms'], result['p99_ms'],
                result['errors'], status)
            results.append(result)
    return results


def capture(server, case_list, project):
    pages = {}
    for _name, path, headers in case_list:
        status, content_type, body = fetch(server.port, path, headers,
                                           project)
        pages[path] = {'status': status, 'content_type': content_type,
                       'body': body.decode('utf-8')}
    return pages


def soak(database, name, project, facts, args):
    """``--soak-connections`` for ``--soak-seconds`` against 2 workers,
    cycling through the cases; worker RSS sampled between segments."""
    case_list = cases(NATIVE, project, facts)
    token = 'X-Auth-Token: bench:%s' % project
    with start_vbs(database.work, 'vbs-soak', database.url(name),
                   2) as server:
        for _name, path, headers in case_list:  # warm every code path
            url = 'http://127.0.0.1:%d%s' % (server.port, path)
            loadgen.run(url, args.warmup, 2, (token,) + headers,
                        args.loadgen)
        samples = [server.rss_kb()]
        errors, requests = 0, 0
        segment = args.soak_seconds / len(case_list)
        for _name, path, headers in case_list:
            url = 'http://127.0.0.1:%d%s' % (server.port, path)
            outcome = loadgen.run(url, segment, args.soak_connections,
                                  (token,) + headers, args.loadgen)
            errors += outcome['errors']
            requests += outcome['requests']
            samples.append(server.rss_kb())
    result = {'db': database.kind, 'size': facts['size'], 'workers': 2,
              'connections': args.soak_connections,
              'seconds': args.soak_seconds, 'requests': requests,
              'errors': errors, 'rss_kb': samples,
              'rss_growth': samples[-1] / samples[0] - 1.0}
    log('soak: %d requests, %d errors, worker RSS %s KiB', requests, errors,
        samples)
    return result


def run_database(kind, args, venv):
    database = Database(kind, args.work)
    from vbs_native.db import sample
    project = sample.project_ids(PROJECTS, SEED)[0]
    results, facts_by_size, soak_result = [], {}, None
    for size in args.sizes:
        name = fill_own(database, size)
        url = database.url(name)
        facts = dict(data_facts(url, project), size=size)
        facts_by_size[size] = dict(facts, schema='own')
        tag = {'db': kind, 'size': size, 'schema': 'own',
               'live_rows': facts['live_rows']}
        log('%s %d rows, %d live in the project: vbs-native (own schema)',
            kind, size, facts['live_rows'])
        native_cases = cases(NATIVE, project, facts)
        with start_vbs(args.work, 'vbs-native@%s-%d' % (kind, size), url,
                       args.workers) as server:
            results += measure([server], native_cases, project, args, tag)
            pages = capture(server, native_cases, project)
        if size != args.ref_size:
            continue
        facts_by_size[size]['floor'] = stack_floor(url, project, args)
        with start_ceiling(args.work, 'ceiling@%s-%d' % (kind, size),
                           pages) as server:
            results += measure([server], native_cases, project, args, tag)
        if args.soak:
            soak_result = soak(database, name, project, facts, args)
        if venv is None:
            continue
        name = fill_cinder(database, size, venv)
        url = database.url(name)
        facts = dict(data_facts(url, project), size=size)
        facts_by_size['cinder-%d' % size] = dict(facts, schema='cinder')
        tag = dict(tag, schema='cinder', live_rows=facts['live_rows'])
        # Cinder's own paths, which both serve.
        cinder_cases = cases('', project, facts)
        log('%s %d rows: cinder-api and vbs-native on the Cinder database',
            kind, size)
        with start_cinder(args.work, 'cinder@%s-%d' % (kind, size), url,
                          venv) as cinder, start_vbs(
                args.work, 'vbs-on-cinder@%s-%d' % (kind, size), url,
                args.workers) as vbs:
            results += measure([cinder, vbs], cinder_cases, project, args,
                               tag)
    return results, facts_by_size, soak_result


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
            info['databases'][kind] = Database(kind, '/').version()
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
    parser.add_argument('--compare-cinder', action='store_true')
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
    venv = cinder_venv(args.work) if args.compare_cinder else None
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
