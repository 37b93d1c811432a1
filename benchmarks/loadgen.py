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

"""Load from a separate process over loopback: wrk when it is installed,
else a small closed-loop generator in Python. Both send
``Connection: close`` (one request per connection, as the reference
measurements did) and report the same JSON:

    {"requests", "seconds", "rps", "p50_ms", "p99_ms", "max_ms",
     "errors", "statuses"}

``errors`` counts socket errors, timeouts and non-2xx answers.

Run as a program, this is the Python generator:

    python loadgen.py URL --duration S --connections C [--header H]...
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

_WRK_SCRIPT = r'''
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON:{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, '
    .. '"p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(99),
    latency.max))
end
'''


def have_wrk():
    return shutil.which('wrk') is not None


def run(url, duration, connections=1, headers=(), tool='auto'):
    """Drive ``url`` for ``duration`` seconds; the JSON summary as a dict."""
    if tool == 'auto':
        tool = 'wrk' if have_wrk() else 'python'
    if tool == 'wrk':
        return _run_wrk(url, duration, connections, headers)
    command = [sys.executable, os.path.abspath(__file__), url,
               '--duration', str(duration),
               '--connections', str(connections)]
    for header in headers:
        command += ['--header', header]
    out = subprocess.run(command, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def _run_wrk(url, duration, connections, headers):
    with tempfile.NamedTemporaryFile('w', suffix='.lua') as script:
        script.write(_WRK_SCRIPT)
        script.flush()
        threads = max(1, min(connections, os.cpu_count() or 1))
        command = ['wrk', '-t%d' % threads, '-c%d' % connections,
                   '-d%ds' % max(1, round(duration)), '--timeout', '10s',
                   '-H', 'Connection: close', '-s', script.name]
        for header in headers:
            command += ['-H', header]
        out = subprocess.run(command + [url], check=True,
                             capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines()
                if line.startswith('JSON:'))
    raw = json.loads(line[len('JSON:'):])
    seconds = raw['duration_us'] / 1e6
    errors = sum(raw[key] for key in ('connect', 'read', 'write', 'status',
                                      'timeout'))
    return {
        'tool': 'wrk',
        'requests': raw['requests'],
        'seconds': seconds,
        'rps': raw['requests'] / seconds if seconds else 0.0,
        'p50_ms': raw['p50_us'] / 1000.0,
        'p99_ms': raw['p99_us'] / 1000.0,
        'max_ms': raw['max_us'] / 1000.0,
        'errors': errors,
        'error_detail': {key: raw[key] for key in (
            'connect', 'read', 'write', 'status', 'timeout') if raw[key]},
    }


# The Python generator.

def _request_bytes(url, headers):
    parts = urllib.parse.urlsplit(url)
    target = parts.path + ('?' + parts.query if parts.query else '')
    lines = ['GET %s HTTP/1.1' % target, 'Host: %s' % parts.netloc,
             'Connection: close', 'User-Agent: vbs-bench']
    lines += list(headers)
    return (parts.hostname, parts.port or 80,
            ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1'))


def _one(address, payload):
    """Status of one request on a fresh connection, read to EOF."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(payload)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    head = b''.join(chunks[:1])
    return int(head.split(b' ', 2)[1])


def _worker(address, payload, deadline, latencies, outcome):
    perf = time.perf_counter
    while True:
        start = perf()
        if start >= deadline:
            return
        try:
            status = _one(address, payload)
        except (OSError, ValueError, IndexError):
            status = 0
        latencies.append(perf() - start)
        outcome[status] = outcome.get(status, 0) + 1


def _percentile(ordered, fraction):
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))
    return ordered[index]


def generate(url, duration, connections, headers):
    host, port, payload = _request_bytes(url, headers)
    deadline = time.perf_counter() + duration
    started = time.perf_counter()
    results = [([], {}) for _ in range(connections)]
    threads = [threading.Thread(target=_worker, args=(
        (host, port), payload, deadline, latencies, outcome))
        for latencies, outcome in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies = sorted(x for lats, _o in results for x in lats)
    statuses = {}
    for _l, outcome in results:
        for status, count in outcome.items():
            statuses[status] = statuses.get(status, 0) + count
    errors = sum(count for status, count in statuses.items()
                 if not 200 <= status < 300)
    return {
        'tool': 'python',
        'requests': len(latencies),
        'seconds': seconds,
        'rps': len(latencies) / seconds if seconds else 0.0,
        'p50_ms': _percentile(latencies, 0.50) * 1000.0,
        'p99_ms': _percentile(latencies, 0.99) * 1000.0,
        'max_ms': (latencies[-1] if latencies else 0.0) * 1000.0,
        'errors': errors,
        'error_detail': {str(s): c for s, c in statuses.items()
                         if not 200 <= s < 300},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('url')
    parser.add_argument('--duration', type=float, default=5.0)
    parser.add_argument('--connections', type=int, default=1)
    parser.add_argument('--header', action='append', default=[])
    args = parser.parse_args()
    json.dump(generate(args.url, args.duration, args.connections,
                       args.header), sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
