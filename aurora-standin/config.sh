# Settings of the local Aurora stand-in: the one place that fixes them.
# Other parts of dbiam depend on these values; see README.md before changing any.
# Sourced by the scripts in this folder (bash); defines AURORA_* variables.

AURORA_STANDIN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
AURORA_REPO_ROOT=$(dirname "$AURORA_STANDIN_DIR")

# --- What the server plays -------------------------------------------------
AURORA_HOST=127.0.0.1                              # TCP, loopback only
AURORA_PORT=33306
AURORA_ACCOUNT=012345678901                        # AWS account id
AURORA_REGION=ap-northeast-1
AURORA_ENDPOINTS="127.0.0.1:33306,localhost:33306" # host:port a token may carry
AURORA_MAX_CLOCK_SKEW=300                          # seconds X-Amz-Date may be in the future
AURORA_KEYS_FILE=$AURORA_STANDIN_DIR/test-access-keys

# --- Accounts db-up creates ------------------------------------------------
AURORA_ADMIN_USER=dbiam_admin          # password: $DBIAM_LOCAL_ADMIN_PASSWORD
AURORA_IAM_ADMIN_USER=dbiam_iam_admin  # IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL
: "${DBIAM_LOCAL_ADMIN_PASSWORD:=local-admin-secret}"  # the Makefile's default

# --- Files (everything lives under .local/aurora/, ignored by git) ---------
AURORA_ROOT=$AURORA_REPO_ROOT/.local/aurora
AURORA_DATADIR=$AURORA_ROOT/data             # MariaDB's datadir
AURORA_TLS_DIR=$AURORA_ROOT/tls              # ca.pem, server-cert.pem, server-key.pem
AURORA_CA=$AURORA_TLS_DIR/ca.pem
AURORA_PLUGIN_DIR=$AURORA_ROOT/plugin
AURORA_PLUGIN_SO_NAME=aws_authentication_plugin.so
AURORA_PLUGIN_SO=$AURORA_PLUGIN_DIR/$AURORA_PLUGIN_SO_NAME
AURORA_PID_FILE=$AURORA_ROOT/mariadbd.pid
AURORA_ERROR_LOG=$AURORA_ROOT/mariadbd.err  # also the plugin's log
AURORA_SOCKET=$AURORA_ROOT/mariadbd.sock    # for the scripts' own admin use (unix_socket auth)
# A unix socket path must fit in 108 bytes; fall back to /tmp for deep checkouts.
if [ ${#AURORA_SOCKET} -gt 100 ]; then
    AURORA_SOCKET=/tmp/dbiam-aurora-$(printf '%s' "$AURORA_ROOT" | sha256sum | cut -c1-16).sock
fi
AURORA_HEADERS_CACHE=$AURORA_REPO_ROOT/.local/cache/mariadb-server-headers
