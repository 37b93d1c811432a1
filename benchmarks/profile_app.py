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

"""Time (and optionally profile) one request path in-process: the paste
application called directly, no server, no sockets. Quicker and steadier
than a load run for comparing two versions of the code.

    python benchmarks/profile_app.py --url sqlite:///benchmarks/work/x.sqlite \
        --project P '/v3/P/native/backups?limit=50' [--cprofile N]
"""

import argparse
import cProfile
import pstats
import time

import inprocess


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

    app = inprocess.load_app(args.url)
    get = inprocess.getter(app, args.path, args.project, [
        (name, value.strip()) for name, _sep, value in (
            header.partition(':') for header in args.header)])

    def one():
        status, body = get()
        return status, len(body)

    status, size = one()
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
          '(%d requests)' % (args.path, status, size,
                             elapsed / count * 1e6, cpu / count * 1e6,
                             count))
    if args.cprofile:
        stats = pstats.Stats(profiler)
        stats.sort_stats('tottime').print_stats(args.cprofile)
        stats.sort_stats('cumulative').print_stats(args.cprofile)


if __name__ == '__main__':
    main()
