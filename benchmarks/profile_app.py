"""Time (and optionally profile) one request path in-process: the paste
application called directly, no server, no sockets. Quicker and steadier
than a load run for comparing two versions of the code.

    python benchmarks/profile_app.py --url sqlite:///benchmarks/work/x.sqlite \
        --project P '/v3/P/native/backups?limit=50' [--cprofile N]
"""

import argparse
import cProfile
import gc
import io
import pstats
import sys
import time

from vbs_native import wsgi


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('path')
    parser.add_argument('--url', required=True)
    parser.add_argument('--project', required=True)
    parser.add_argument('--header', action='append', default=[])
    parser.add_argument('--seconds', type=float, default=3.0)
    parser.add_argument('--cprofile', type=int, metavar='N',
                        help='print the N most expensive functions')
    args = parser.parse_args()

    conf = wsgi.load_config(['--config-file', '/dev/null'])
    conf.set_override('connection', args.url, group='database')
    conf.set_override('auth_strategy', 'noauth')
    app = wsgi.init_application(conf)
    gc.freeze()

    path, _sep, query = args.path.partition('?')
    environ = {
        'REQUEST_METHOD': 'GET', 'PATH_INFO': path, 'QUERY_STRING': query,
        'SCRIPT_NAME': '', 'SERVER_NAME': '127.0.0.1', 'SERVER_PORT': '8776',
        'HTTP_HOST': '127.0.0.1:8776', 'SERVER_PROTOCOL': 'HTTP/1.1',
        'wsgi.url_scheme': 'http', 'wsgi.input': io.BytesIO(),
        'wsgi.errors': sys.stderr, 'wsgi.multithread': False,
        'wsgi.multiprocess': True, 'wsgi.run_once': False,
        'HTTP_X_AUTH_TOKEN': 'bench:%s' % args.project,
    }
    for header in args.header:
        key, _sep, value = header.partition(':')
        environ['HTTP_' + key.strip().upper().replace('-', '_')] = (
            value.strip())
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    def one():
        body = b''.join(app(dict(environ), start_response))
        return len(body)

    size = one()
    for _ in range(50):
        one()
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < args.seconds:
        one()
        count += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if args.cprofile:
        profiler.disable()
    # CPU time is steadier than wall time on a shared machine.
    print('%s: status %s, %d bytes, %.1f us/request, %.1f us CPU '
          '(%d requests)' % (args.path, statuses[-1], size,
                             elapsed / count * 1e6, cpu / count * 1e6,
                             count))
    if args.cprofile:
        stats = pstats.Stats(profiler)
        stats.sort_stats('tottime').print_stats(args.cprofile)
        stats.sort_stats('cumulative').print_stats(args.cprofile)


if __name__ == '__main__':
    main()
