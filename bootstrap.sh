#!/bin/sh
# Create .venv/ here with budgetkg and its test tools installed (pip install -e '.[test]').
#
# Which interpreter: $PYTHON when set; otherwise the system's own python3 when it is 3.10 or
# newer and can make a venv; otherwise the first python3 on PATH. Why not simply `python3`:
# version managers (pyenv's default build) give an interpreter linked against a shared libpython
# built without profile-guided and link-time optimisation; extraction runs a quarter to a third
# faster on the distribution's own build (docs/benchmarks.md). An existing .venv/ is kept as it
# is; remove it to choose again.
set -eu
cd "$(dirname "$0")"

usable() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null
}

if [ ! -x .venv/bin/python ]; then
  made=""
  for py in ${PYTHON:-/usr/bin/python3 python3}; do
    if usable "$py" && "$py" -m venv .venv 2>/dev/null; then
      made="$py"
      break
    fi
    rm -rf .venv
  done
  if [ -z "$made" ]; then
    echo "bootstrap.sh: no Python 3.10+ that can create a venv (tried: ${PYTHON:-/usr/bin/python3 python3});" \
      "install python3-venv or set PYTHON=/path/to/python3" >&2
    exit 1
  fi
  echo "bootstrap.sh: .venv/ made with $made ($(.venv/bin/python -c 'import sys; print(sys.version.split()[0])'))"
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
