#!/usr/bin/env bash
# Run the tests as CI does: tox from a virtualenv of its own, then the tox
# environments named in TOX_ENVS (default: every environment CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-tox
.venv-tox/bin/pip install --quiet --disable-pip-version-check 'tox>=4.6,<5'
exec .venv-tox/bin/tox -e "${TOX_ENVS:-pep8,docs,api-ref,releasenotes,bench-smoke,py3,functional-mysql,functional-postgresql,keystone,cinder,hardening,ha}" "$@"
