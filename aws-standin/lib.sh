# Helpers shared by the scripts in this folder. Sourced, after config.sh.
# shellcheck source=config.sh
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

aws_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
aws_die() { aws_log "error: $*"; exit 1; }

# Serializes aws-up / aws-down for one port (fd 8 stays open until the script exits;
# the MariaDB stand-in's scripts use fd 9, so with-server can hold both).
aws_lock() {
    mkdir -p "$AWS_STANDIN_ROOT"
    exec 8>"$AWS_STANDIN_ROOT/.lock-$AWS_STANDIN_PORT"
    flock -w 300 8 || aws_die "timed out waiting for $AWS_STANDIN_ROOT/.lock-$AWS_STANDIN_PORT"
}

# Is process $1 alive? A zombie is not.
aws_pid_alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# Is $1 the pid of our launcher (server.py of this checkout) serving our port?
aws_is_our_server() {
    aws_pid_alive "$1" || return 1
    local args
    args=$(tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null) || return 1
    grep -qxF -- "$AWS_STANDIN_DIR/server.py" <<<"$args" && grep -qxF -- "--port=$AWS_STANDIN_PORT" <<<"$args"
}

# Prints the pid of our running server, or fails. The pid file is the quick way;
# without it (say .local/ was deleted under a running server), look for the process.
aws_server_pid() {
    local pid cmdline
    if [ -s "$AWS_STANDIN_PID_FILE" ]; then
        pid=$(<"$AWS_STANDIN_PID_FILE")
        if [[ $pid =~ ^[0-9]+$ ]] && aws_is_our_server "$pid"; then
            echo "$pid"
            return 0
        fi
    fi
    for cmdline in /proc/[0-9]*/cmdline; do
        grep -qF "$AWS_STANDIN_DIR/server.py" "$cmdline" 2>/dev/null || continue
        pid=${cmdline#/proc/}
        pid=${pid%/cmdline}
        if aws_is_our_server "$pid"; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

aws_server_running() { aws_server_pid >/dev/null; }

aws_log_tail() {
    if [ -f "$AWS_STANDIN_LOG" ]; then
        echo "--- last lines of $AWS_STANDIN_LOG ---" >&2
        tail -n "${1:-25}" "$AWS_STANDIN_LOG" >&2
        echo "---" >&2
    fi
}

# Milliseconds since the epoch (for timings).
aws_now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }
