"""The benchmark's progress lines, on stderr."""

import sys
import time


def log(message, *args):
    print('[%s] %s' % (time.strftime('%H:%M:%S'), message % args),
          file=sys.stderr, flush=True)
