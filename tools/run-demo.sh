#!/usr/bin/env bash
# Start vbs-native on http://127.0.0.1:8776 (noauth, SQLite) with sample
# backups; Ctrl-C stops it. State lives in .quickstart/.
set -euo pipefail
cd "$(dirname "$0")/.."
state="$PWD/.quickstart"
python3 -m venv .venv-demo
.venv-demo/bin/pip install --quiet --disable-pip-version-check \
    -c upper-constraints.txt -e .
mkdir -p "$state"
cat > "$state/vbs-native.conf" <<CONF
[DEFAULT]
state_path = $state
auth_strategy = noauth
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = ${VBS_NATIVE_PORT:-8776}
osapi_volume_workers = 2
CONF
manage=(.venv-demo/bin/vbs-native-manage --config-file "$state/vbs-native.conf")
if [ ! -f "$state/vbs_native.sqlite" ]; then
    "${manage[@]}" db sync
    "${manage[@]}" backup generate --count 500 --projects 2
fi
cat <<HELP

Sample projects: ff49cd58005650f1a16eb13bb3910a20 bca94f1397c7916afe540d5dbfc420d2
Try: curl -H 'X-Auth-Token: demo:ff49cd58005650f1a16eb13bb3910a20' \\
       -H 'OpenStack-API-Version: volume 3.45' \\
       'http://127.0.0.1:${VBS_NATIVE_PORT:-8776}/v3/ff49cd58005650f1a16eb13bb3910a20/native/backups?name~=daily&with_count=true&limit=2'

HELP
exec .venv-demo/bin/vbs-native-api --config-file "$state/vbs-native.conf"
