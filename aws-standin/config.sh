# Settings of the local AWS stand-in (moto's server): the one place that fixes them.
# Sourced by the scripts in this folder (bash); defines AWS_STANDIN_* variables.
# The ids it seeds are fixed in seed.py; see README.md.

AWS_STANDIN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
AWS_STANDIN_REPO_ROOT=$(dirname "$AWS_STANDIN_DIR")

# --- What the server plays -------------------------------------------------
AWS_STANDIN_HOST=127.0.0.1                 # TCP, loopback only
AWS_STANDIN_PORT=${AWS_STANDIN_PORT:-45130}
[[ $AWS_STANDIN_PORT =~ ^[0-9]+$ ]] && [ "$AWS_STANDIN_PORT" -ge 1 ] && [ "$AWS_STANDIN_PORT" -le 65535 ] || {
    echo "${0##*/}: error: AWS_STANDIN_PORT must be a TCP port number, not '$AWS_STANDIN_PORT'" >&2
    exit 2
}
AWS_STANDIN_URL=http://$AWS_STANDIN_HOST:$AWS_STANDIN_PORT
AWS_STANDIN_ACCOUNT=012345678901           # MOTO_ACCOUNT_ID: the MariaDB stand-in's account

# --- Files (under .local/aws/, ignored by git; one set per port) -----------
AWS_STANDIN_ROOT=$AWS_STANDIN_REPO_ROOT/.local/aws
AWS_STANDIN_PID_FILE=$AWS_STANDIN_ROOT/moto-$AWS_STANDIN_PORT.pid
AWS_STANDIN_LOG=$AWS_STANDIN_ROOT/moto-$AWS_STANDIN_PORT.log

# The virtualenv's Python (scripts/setup installs moto[server] and boto3 there).
AWS_STANDIN_PYTHON=${DBIAM_PYTHON:-$AWS_STANDIN_REPO_ROOT/.venv/bin/python}
