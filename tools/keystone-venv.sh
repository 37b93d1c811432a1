#!/usr/bin/env bash
# Make the virtualenv of the Keystone the keystone tests run against, with
# the clients they drive: Keystone, python-openstackclient,
# python-cinderclient, openstacksdk and gunicorn, pinned by
# tools/keystone-constraints.txt. Kept apart from the service's virtualenv so
# Keystone's ~115 pins stay out of the service's dependencies. Reused as long
# as the constraints file is unchanged.
# Usage: tools/keystone-venv.sh DIR [PYTHON]   (Keystone 30 needs Python 3.11+)
set -euo pipefail
venv=$1
python=${2:-python3}
constraints=$(cd "$(dirname "$0")" && pwd)/keystone-constraints.txt
stamp=$venv/constraints.txt
if [ -f "$stamp" ] && cmp -s "$stamp" "$constraints"; then
    exit 0
fi
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    -c "$constraints" \
    keystone python-openstackclient python-cinderclient openstacksdk gunicorn
cp "$constraints" "$stamp"
