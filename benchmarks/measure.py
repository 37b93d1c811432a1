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

"""What the benchmark measures: each case under load against one or more
servers, the soak, and the in-process floor (floor.py)."""

import json
import os
import subprocess
import sys

import loadgen
from progress import log
import servers

HERE = os.path.dirname(os.path.abspath(__file__))
NATIVE = '/native'
V345 = 'OpenStack-API-Version: volume 3.45'
RESULT_KEYS = ('rps', 'p50_ms', 'p99_ms', 'errors', 'requests', 'tool')


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


def answers(server, case_list, project):
    """Each case asked once, which also runs every code path before the
    measurement: {path: {status, content_type, body}}."""
    pages = {}
    for _name, path, headers in case_list:
        status, content_type, body = servers.fetch(server.port, path,
                                                   headers, project)
        pages[path] = {'status': status, 'content_type': content_type,
                       'body': body.decode('utf-8')}
    return pages


def _url(server, path):
    return 'http://127.0.0.1:%d%s' % (server.port, path)


def measure(server_list, case_list, project, args, tag):
    """Every case against each server, the servers back to back per case
    (so that a noisy moment hits them alike): one result per server and
    case, and the first server's answers."""
    results = []
    token = 'X-Auth-Token: bench:%s' % project
    pages = [answers(server, case_list, project) for server in server_list]
    for name, path, headers in case_list:
        for server, answered in zip(server_list, pages):
            url = _url(server, path)
            loadgen.run(url, args.warmup, 1, (token,) + headers,
                        args.loadgen)
            outcome = loadgen.run(url, args.duration, args.connections,
                                  (token,) + headers, args.loadgen)
            result = dict(tag, target=server.name.split('@')[0], case=name,
                          status=answered[path]['status'],
                          bytes=len(answered[path]['body'].encode('utf-8')),
                          rss_kb=servers.rss_kb(server),
                          **{key: outcome[key] for key in RESULT_KEYS})
            log('  %-13s %-16s %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  '
                'errors %d  status %d', result['target'], name,
                result['rps'], result['p50_ms'], result['p99_ms'],
                result['errors'], result['status'])
            results.append(result)
    return results, pages[0]


def soak(store, name, project, facts, args):
    """``--soak-connections`` for ``--soak-seconds`` against 2 workers,
    cycling through the cases; worker RSS sampled between segments."""
    case_list = cases(NATIVE, project, facts)
    token = 'X-Auth-Token: bench:%s' % project
    with servers.running(servers.vbs(store.work, 'vbs-soak',
                                     store.url(name), 2)) as (server,):
        for _name, path, headers in case_list:  # warm every code path
            loadgen.run(_url(server, path), args.warmup, 2,
                        (token,) + headers, args.loadgen)
        samples = [servers.rss_kb(server)]
        errors, requests = 0, 0
        segment = args.soak_seconds / len(case_list)
        for _name, path, headers in case_list:
            outcome = loadgen.run(_url(server, path), segment,
                                  args.soak_connections, (token,) + headers,
                                  args.loadgen)
            errors += outcome['errors']
            requests += outcome['requests']
            samples.append(servers.rss_kb(server))
    result = {'db': store.kind, 'size': facts['size'], 'workers': 2,
              'connections': args.soak_connections,
              'seconds': args.soak_seconds, 'requests': requests,
              'errors': errors, 'rss_kb': samples,
              'rss_growth': samples[-1] / samples[0] - 1.0}
    log('soak: %d requests, %d errors, worker RSS %s KiB', requests, errors,
        samples)
    return result


def stack_floor(url, project, args):
    """floor.py's layers of a first summary page, in-process, in a process
    of its own (the DB API is configured once per process)."""
    output = subprocess.run(
        [sys.executable, os.path.join(HERE, 'floor.py'), '--url', url,
         '--project', project, '--seconds', '0.5' if args.smoke else '3',
         '--rounds', '20' if args.smoke else '200'],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])
