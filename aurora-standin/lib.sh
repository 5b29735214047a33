# Helpers shared by the scripts in this folder. Sourced, after config.sh.
# shellcheck source=config.sh
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

PATH=$PATH:/usr/sbin:/sbin  # mariadbd lives in /usr/sbin
AURORA_OS_USER=$(id -un)  # the unix_socket admin account has this name

aurora_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
aurora_die() { aurora_log "error: $*"; exit 1; }

# Serializes db-up / db-down / build-plugin (fd 9 stays open until the script exits).
aurora_lock() {
    mkdir -p "$AURORA_ROOT"
    exec 9>"$AURORA_ROOT/.lock-$1"
    flock -w 300 9 || aurora_die "timed out waiting for $AURORA_ROOT/.lock-$1"
}

# Is $1 the pid of a live mariadbd serving our data dir?
aurora_is_our_server() {
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = mariadbd ] && aurora_pid_alive "$1" &&
        tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$AURORA_DATADIR"
}

# Prints the pid of our running mariadbd, or fails. The pid file is the quick
# way; without it (say .local/ was deleted under a running server), look for a
# mariadbd started with our --datadir.
aurora_server_pid() {
    local pid comm name
    if [ -s "$AURORA_PID_FILE" ]; then
        pid=$(<"$AURORA_PID_FILE")
        if [[ $pid =~ ^[0-9]+$ ]] && aurora_is_our_server "$pid"; then
            echo "$pid"
            return 0
        fi
    fi
    for comm in /proc/[0-9]*/comm; do
        { read -r name <"$comm"; } 2>/dev/null && [ "$name" = mariadbd ] || continue
        pid=${comm#/proc/}
        pid=${pid%/comm}
        if aurora_is_our_server "$pid"; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

# Is process $1 alive? A zombie is not (the reaper may take a while).
aurora_pid_alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

aurora_server_running() { aurora_server_pid >/dev/null; }

# Is the plugin .so newer than its sources, build-plugin and the server binary (an upgrade)?
aurora_plugin_up_to_date() {
    [ -f "$AURORA_PLUGIN_SO" ] && [ -z "$(find "$AURORA_STANDIN_DIR/src" "$AURORA_STANDIN_DIR/build-plugin" \
        /usr/sbin/mariadbd -newer "$AURORA_PLUGIN_SO" -print -quit 2>/dev/null)" ]
}

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

# The C compiler: $CC, else gcc, else cc, else clang (Swift toolchains have one).
aurora_cc() {
    if [ -n "${CC:-}" ]; then echo "$CC"; return; fi
    command -v gcc || command -v cc || command -v clang || aurora_die "no C compiler (install gcc)"
}

# Milliseconds since the epoch (for timings).
aurora_now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }
