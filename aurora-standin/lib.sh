# Helpers shared by the scripts in this folder. Sourced, after config.sh.
# shellcheck source=config.sh
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

PATH=$PATH:/usr/sbin:/sbin  # mariadbd lives in /usr/sbin
AURORA_OS_USER=$(id -un)

aurora_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
aurora_die() { aurora_log "error: $*"; exit 1; }

# Serializes db-up / db-down / build-plugin (fd 9 stays open until the script exits).
aurora_lock() {
    mkdir -p "$AURORA_ROOT"
    exec 9>"$AURORA_ROOT/.lock-$1"
    flock -w 300 9 || aurora_die "timed out waiting for $AURORA_ROOT/.lock-$1"
}

# Prints the pid of our running mariadbd, or fails.
aurora_server_pid() {
    local pid
    [ -s "$AURORA_PID_FILE" ] || return 1
    pid=$(<"$AURORA_PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mariadbd ] || return 1
    tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$AURORA_DATADIR" || return 1
    echo "$pid"
}

aurora_server_running() { aurora_server_pid >/dev/null; }

# mariadb client as the OS user over the unix socket (unix_socket authentication).
aurora_admin_sql() {
    mariadb --no-defaults --protocol=socket --socket="$AURORA_SOCKET" -u "$AURORA_OS_USER" \
        --batch --skip-column-names "$@"
}

aurora_log_tail() {
    if [ -f "$AURORA_ERROR_LOG" ]; then
        echo "--- last lines of $AURORA_ERROR_LOG ---" >&2
        tail -n "${1:-25}" "$AURORA_ERROR_LOG" >&2
        echo "---" >&2
    fi
}

# Milliseconds since the epoch (for timings).
aurora_now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }
