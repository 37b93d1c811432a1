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

"""Throughput through HAProxy with 1, 2 and 3 ``vbs-native-api`` nodes of
one sync worker each, on one MariaDB database (127.0.0.1:3306), with one
node without HAProxy for reference:

    python benchmarks/ha.py [--rows N] [--duration S] [--connections C]
                            [--rounds R] [--publish]

The nodes, HAProxy (configured as doc/source/admin/ha.rst says, see
tests/ha/haproxy.py) and the load generator share the machine's CPUs, so
nodes beyond its CPU count cannot add throughput here. ``--publish`` writes
benchmarks/results/ha.md.
"""

import argparse
import contextlib
import os
import platform
import statistics
import time

# First: run.py puts the source tree on the path and sets the admin URLs.
import run  # noqa: F401

import data  # noqa: I100
import loadgen
import measure
from progress import log
import servers
from tests.ha import haproxy
from tests.harness import processes

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = (('summary-50', '/v3/%s/native/backups?limit=50'),
         ('detail-50', '/v3/%s/native/backups/detail?limit=50'))


def load(port, project, args):
    """{case: loadgen result} for one frontend."""
    results = {}
    headers = ['X-Auth-Token: bench:%s' % project, measure.V345]
    for name, path in CASES:
        url = 'http://127.0.0.1:%d%s' % (port, path % project)
        loadgen.run(url, 1, args.connections, headers)  # warm-up
        results[name] = loadgen.run(url, args.duration, args.connections,
                                    headers)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rows', type=int, default=10000)
    parser.add_argument('--duration', type=float, default=5)
    parser.add_argument('--connections', type=int, default=6)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--work', default=os.path.join(HERE, 'work'))
    parser.add_argument('--publish', action='store_true')
    args = parser.parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    store = data.Store('mariadb', args.work)
    url = store.url(data.fill_own(store, args.rows))
    project = data.project()
    nodes = [servers.vbs(args.work, 'ha-api%d' % number, url, 1)
             for number in range(3)]
    rounds = []
    with servers.running(*nodes), contextlib.ExitStack() as proxies:
        frontends = [('1, direct', nodes[0].port)]
        for count in (1, 2, 3):
            port = processes.free_port()
            proxies.enter_context(haproxy.HAProxy(haproxy.api_section(
                port, [node.port for node in nodes[:count]])))
            frontends.append(('%d, HAProxy' % count, port))
        # The set-ups in turn, each round: the machine's load changes.
        for number in range(args.rounds):
            for label, port in frontends:
                log('round %d: %s', number + 1, label)
                rounds.append((label, load(port, project, args)))
    text = render([label for label, _port in frontends], rounds, args,
                  store)
    print(text)
    if args.publish:
        path = os.path.join(HERE, 'results', 'ha.md')
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(text)


def render(labels, rounds, args, store):
    tool = 'wrk' if loadgen.have_wrk() else 'the Python generator'
    lines = [
        '# Throughput through HAProxy, 1 to 3 API nodes', '',
        'Command: `benchmarks/ha.py --rows %d --duration %g --connections '
        '%d --rounds %d` (%s).' % (
            args.rows, args.duration, args.connections, args.rounds,
            time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())),
        '',
        'Machine: %d CPUs, %s, Python %s; %s; load from %s, '
        '`Connection: close`, %d connections, %g s per case. Each node is '
        'one gunicorn sync worker; HAProxy balances round-robin with '
        '`/healthcheck` checks. The set-ups were measured in turn, %d '
        'rounds; medians. The nodes, HAProxy, MariaDB and the load '
        'generator share the CPUs, and the machine was shared with other '
        'work during the run (load average %s at the end): read the '
        'ratios, not the absolute numbers.' % (
            os.cpu_count(), platform.platform(terse=True),
            platform.python_version(), store.version(), tool,
            args.connections, args.duration, args.rounds,
            '%.1f' % os.getloadavg()[0]),
        '', '| API nodes | case | req/s | p50 ms | p99 ms | errors |',
        '| --- | --- | --- | --- | --- | --- |']
    for label in labels:
        for name, _path in CASES:
            results = [result[name] for got, result in rounds
                       if got == label]
            lines.append('| %s | %s | %.1f | %.2f | %.2f | %d |' % (
                label, name, median(r['rps'] for r in results),
                median(r['p50_ms'] for r in results),
                median(r['p99_ms'] for r in results),
                sum(r['errors'] for r in results)))
    return '\n'.join(lines) + '\n'


def median(values):
    return statistics.median(list(values))


if __name__ == '__main__':
    main()
