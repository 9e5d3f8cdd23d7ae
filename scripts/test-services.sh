#!/usr/bin/env bash
# -----------------------------------------------------------------------------
# test-services.sh — throw-away PostgreSQL + ClickHouse instances for Hera tests
# -----------------------------------------------------------------------------
#
# Usage:
#   scripts/test-services.sh start    # install if needed, start both, print env
#   scripts/test-services.sh status   # exit 0 only if both servers answer
#   scripts/test-services.sh stop     # stop both and delete the state dir
#   scripts/test-services.sh restart  # stop + start
#
# Consuming the connection settings (pick one):
#   env_lines="$(scripts/test-services.sh start)"   # stdout = export lines only
#   eval "$env_lines"
#       (Keep the assignment a statement of its own so `set -e` sees a failed
#       start. A bare `eval "$(scripts/test-services.sh start)"`, or
#       `a=$(...) && eval ...`, silently carries on without the variables.)
#   scripts/test-services.sh start >/dev/null        # likewise two statements,
#   . "${HERA_TEST_SERVICES_DIR:-/tmp/hera-test-services}/env"   # not `start && .`
#   . scripts/test-services.sh                   # sourcing == start + load env
#
# Exported variables (defaults shown):
#   HERA_TEST_PG="Host=127.0.0.1;Port=55432;Username=hera;Password=hera;Database=hera_test"
#   HERA_TEST_CH="http://127.0.0.1:58123"
#
# Knobs (environment):
#   HERA_TEST_SERVICES_DIR      state dir (data, sockets, logs, env)   [/tmp/hera-test-services]
#   HERA_TEST_PG_PORT           PostgreSQL TCP port                    [55432]
#   HERA_TEST_CH_HTTP_PORT      ClickHouse HTTP port                   [58123]
#   HERA_TEST_CH_TCP_PORT       ClickHouse native protocol port        [59000]
#   HERA_TEST_SERVICES_TIMEOUT  seconds to wait for readiness/shutdown [60]
#
# Design notes:
#   * No systemd / service / invoke-rc.d: both servers are started straight from
#     their binaries, as their own system users when we are root, and detached
#     into their own session so they outlive this script (and the CI step).
#   * Both listen on 127.0.0.1 only, on non-default ports, so they never clash
#     with a system-wide instance and are unreachable from the network.
#   * `start` is idempotent: servers already running from this state dir and
#     answering are left alone. Anything found dead is wiped and re-created —
#     the data is disposable by design.
#   * Progress messages go to stderr; stdout is reserved for the export lines.
# -----------------------------------------------------------------------------

# --- Sourced mode -------------------------------------------------------------
# When sourced we must not leak `set -euo pipefail` or call `exit` in the
# caller's shell, so run ourselves as a child process and load the env file.
# (Sourcing always means "start": a sourced script without arguments would see
# the caller's positional parameters, so they are deliberately ignored.)
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    if bash "${BASH_SOURCE[0]}" start >/dev/null; then
        # shellcheck disable=SC1091  # generated at runtime
        . "${HERA_TEST_SERVICES_DIR:-/tmp/hera-test-services}/env"
    else
        return 1
    fi
    return 0
fi

set -euo pipefail

# --- Configuration --------------------------------------------------------------
STATE_DIR="${HERA_TEST_SERVICES_DIR:-/tmp/hera-test-services}"
# Absolute: the generated ClickHouse config and pg_ctl must not depend on cwd.
STATE_DIR="$(realpath -m -- "$STATE_DIR")"
PG_PORT="${HERA_TEST_PG_PORT:-55432}"
CH_HTTP_PORT="${HERA_TEST_CH_HTTP_PORT:-58123}"
CH_TCP_PORT="${HERA_TEST_CH_TCP_PORT:-59000}"
TIMEOUT="${HERA_TEST_SERVICES_TIMEOUT:-60}"

# Fixed test credentials. The instance only listens on loopback and is thrown
# away after the run, so a well-known password is fine.
PG_USER=hera
PG_PASSWORD=hera
PG_DB=hera_test

PG_DIR="$STATE_DIR/postgres"        # owned by the postgres OS user
PG_DATA="$PG_DIR/data"              # initdb target
PG_LOG="$PG_DIR/postgres.log"       # server log (pg_ctl -l)
PG_INITDB_LOG="$PG_DIR/initdb.log"
# The unix socket lives directly in $PG_DIR (.s.PGSQL.<port>).

CH_DIR="$STATE_DIR/clickhouse"      # owned by the clickhouse OS user
CH_CONF="$CH_DIR/etc/config.xml"
CH_PIDFILE="$CH_DIR/clickhouse.pid" # pid of the server process we launched
CH_CONSOLE_LOG="$CH_DIR/log/console.log"  # stdout/stderr (early start-up errors)
CH_SERVER_LOG="$CH_DIR/log/server.log"
CH_ERROR_LOG="$CH_DIR/log/server.err.log"

ENV_FILE="$STATE_DIR/env"
# Sibling of the state dir (not inside it) because `stop` deletes the state dir.
LOCK_FILE="$STATE_DIR.lock"

# --- Helpers ---------------------------------------------------------------------
log() { printf '[test-services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Wall-clock seconds with millisecond precision, for the timing messages.
now() { date +%s.%3N; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

is_root() { [[ $EUID -eq 0 ]]; }

# Run a command as root: directly if we are root, else through sudo.
as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# Run a command as the given service user when we are root (PostgreSQL refuses
# to run as root). setpriv execs in place — no PAM session, no extra process —
# and --reset-env gives the server a clean, predictable environment.
# As a non-root user we simply run everything as ourselves.
# `9>&-`: never hand the lock fd (see take_lock) to a server — a daemon that
# inherits it would hold the lock for its whole life.
run_as() {
    local user=$1
    shift
    if is_root && [[ $user != root ]]; then
        setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups \
            --reset-env -- "$@" 9>&-
    else
        "$@" 9>&-
    fi
}

# chown only matters (and only works) when we are root.
chown_to() {
    local user=$1
    shift
    if is_root && [[ $user != root ]]; then
        chown -R "$user:$(id -gn "$user")" "$@"
    fi
}

# Is PID a live process? `kill -0` alone is not enough: a server that died is
# a zombie until its parent (init, after we detached it) reaps it, and some
# container/VM inits reap lazily. State "Z" therefore counts as dead.
proc_alive() {
    local stat
    kill -0 "$1" 2>/dev/null || return 1
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"    # drop "pid (comm) ", comm may contain spaces
    [[ ${stat%% *} != Z ]]
}

# Print the last lines of each existing log file given, for error reports.
show_logs() {
    local f
    for f in "$@"; do
        if [[ -s $f ]]; then
            log "---- last lines of $f ----"
            tail -n 40 "$f" >&2 || true
        fi
    done
}

require_port() {
    if ! [[ $2 =~ ^[0-9]+$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then
        die "$1 must be a TCP port number, got '$2'"
    fi
}

# --- Package installation ---------------------------------------------------------

# Newest installed PostgreSQL server binary dir, e.g. /usr/lib/postgresql/15/bin.
pg_bindir() {
    local d
    d="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' \
        -printf '%h\n' 2>/dev/null | sort -V | tail -n 1)"
    [[ -n $d ]] && printf '%s\n' "$d"
}

ensure_packages() {
    local missing=()
    pg_bindir >/dev/null || missing+=(postgresql)
    [[ -x /usr/sbin/clickhouse-server ]] || missing+=(clickhouse-server)
    [[ -x /usr/bin/clickhouse-client ]] || missing+=(clickhouse-client)
    command -v curl >/dev/null 2>&1 || missing+=(curl)  # readiness probe
    ((${#missing[@]} == 0)) && return 0

    log "installing missing packages: ${missing[*]}"
    local started policy=/usr/sbin/policy-rc.d created_policy=0
    started="$(now)"
    # Stop the packages' maintainer scripts from starting system-wide services
    # (postgresql on 5432, clickhouse-server on 8123/9000) through invoke-rc.d:
    # a policy-rc.d exiting 101 means "action not allowed". Docker images
    # usually ship one already; otherwise install it just for this apt run.
    if [[ ! -e $policy ]]; then
        as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
        created_policy=1
    fi
    local rc=0
    {
        as_root apt-get -o DPkg::Lock::Timeout=120 update -q &&
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get -o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0 install -y -q \
            --no-install-recommends "${missing[@]}"
    } >&2 || rc=$?
    if ((created_policy)); then as_root rm -f "$policy"; fi
    ((rc == 0)) || die "apt-get install ${missing[*]} failed (exit $rc)"
    log "packages installed in $(elapsed_since "$started")s"
}

# --- PostgreSQL -----------------------------------------------------------------------

PG_BIN=""   # set by pg_init_vars
PG_OSUSER=""

pg_init_vars() {
    PG_BIN="$(pg_bindir)" || die "no PostgreSQL server found under /usr/lib/postgresql"
    if is_root; then
        id -u postgres >/dev/null 2>&1 \
            || die "OS user 'postgres' missing (the postgresql package creates it)"
        PG_OSUSER=postgres
    else
        PG_OSUSER="$(id -un)"
    fi
}

# PID of the postmaster of *our* data dir, if it is alive.
pg_pid() {
    local pid
    [[ -r $PG_DATA/postmaster.pid ]] || return 1
    pid="$(head -n 1 "$PG_DATA/postmaster.pid")"
    [[ $pid =~ ^[0-9]+$ ]] && proc_alive "$pid" && printf '%s\n' "$pid"
}
pg_alive() { pg_pid >/dev/null; }

# Answers over TCP with the same credentials the tests use?
pg_ready() {
    [[ "$(PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=2 "$PG_BIN/psql" -X -q -A -t \
        -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
        -c 'SELECT 1' 2>/dev/null)" == 1 ]]
}

pg_logs() { show_logs "$PG_INITDB_LOG" "$PG_LOG"; }

pg_stop() {
    local pid i
    pid="$(pg_pid)" || return 0
    log "stopping PostgreSQL (pid $pid)"
    if ! (cd / && run_as "$PG_OSUSER" "$PG_BIN/pg_ctl" -D "$PG_DATA" \
            -m fast -w -t "$TIMEOUT" -s stop) >&2; then
        log "pg_ctl stop failed; sending SIGKILL to postmaster $pid"
        kill -KILL "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do proc_alive "$pid" || break; sleep 0.1; done
    fi
}

pg_start() {
    local started pid running_port
    started="$(now)"

    if pid="$(pg_pid)"; then
        # Line 4 of postmaster.pid is the port the running server listens on.
        running_port="$(sed -n 4p "$PG_DATA/postmaster.pid")"
        [[ $running_port == "$PG_PORT" ]] || die "PostgreSQL from $STATE_DIR runs on" \
            "port $running_port, not $PG_PORT; run '$0 stop' first"
        if poll_ready pg_alive pg_ready; then
            log "PostgreSQL already running (pid $pid, port $PG_PORT)"
            return 0
        fi
        # Alive but mute for $TIMEOUT s: hung. Dead meanwhile: re-create below.
        if pg_alive; then
            pg_logs
            die "PostgreSQL (pid $pid) runs but does not answer; run '$0 stop'"
        fi
    fi

    # Not running: start from a clean slate (a leftover data dir from a
    # crashed/killed run is just wiped).
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    chmod 700 "$PG_DIR"
    printf '%s\n' "$PG_PASSWORD" >"$PG_DIR/pwfile"
    chown_to "$PG_OSUSER" "$PG_DIR"

    log "initdb (PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')) into $PG_DATA"
    # UTF8 + C.UTF-8 regardless of the caller's LANG (initdb would otherwise
    # pick SQL_ASCII in a bare CI environment). The superuser gets a password:
    # TCP connections use SCRAM (what Npgsql will do), the socket is trusted.
    if ! (cd / && run_as "$PG_OSUSER" "$PG_BIN/initdb" -D "$PG_DATA" \
            --username="$PG_USER" --pwfile="$PG_DIR/pwfile" \
            --auth-host=scram-sha-256 --auth-local=trust \
            --encoding=UTF8 --locale=C.UTF-8 --no-sync) >"$PG_INITDB_LOG" 2>&1; then
        pg_logs
        die "initdb failed"
    fi
    rm -f "$PG_DIR/pwfile"

    # Later settings in postgresql.conf override the defaults initdb wrote.
    cat >>"$PG_DATA/postgresql.conf" <<EOF

# ---- hera test instance (written by scripts/test-services.sh) ----
listen_addresses = '127.0.0.1'      # loopback only
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 300               # parallel test classes x Npgsql pools
timezone = 'UTC'                    # deterministic timestamps in tests
# Statement counts per database, for the cluster bench's idle-cost figure.
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
# Durability is pointless for a throw-away test database and costs time:
# NEVER use these settings for data you want to keep. A crash may corrupt the
# cluster — 'start' then simply re-creates it.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # pg_ctl runs the postmaster in its own session (setsid), so it survives
    # this script; -w waits until it accepts connections (bounded by -t).
    if ! (cd / && run_as "$PG_OSUSER" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" \
            -w -t "$TIMEOUT" -s start) >&2; then
        pg_logs
        die "PostgreSQL did not start"
    fi

    # Create the test database over the unix socket (trusted, no password).
    if ! "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" \
            -U "$PG_USER" -d postgres -c "CREATE DATABASE $PG_DB" >&2; then
        pg_logs
        die "could not create database $PG_DB"
    fi

    wait_for PostgreSQL pg_alive pg_ready pg_logs
    log "PostgreSQL ready in $(elapsed_since "$started")s (pid $(pg_pid))"
}

# --- ClickHouse -------------------------------------------------------------------------

CH_OSUSER=""

ch_init_vars() {
    # Run as the package's 'clickhouse' user if it exists, else as ourselves.
    if is_root && id -u clickhouse >/dev/null 2>&1; then
        CH_OSUSER=clickhouse
    else
        CH_OSUSER="$(id -un)"
    fi
}

# PID of the clickhouse-server we launched from this state dir, if alive. The
# /proc/<pid>/comm check guards against a recycled pid after a reboot.
ch_pid() {
    local pid comm
    [[ -r $CH_PIDFILE ]] || return 1
    pid="$(<"$CH_PIDFILE")"
    [[ $pid =~ ^[0-9]+$ ]] && proc_alive "$pid" || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
    [[ $comm == clickhouse* ]] && printf '%s\n' "$pid"
}
ch_alive() { ch_pid >/dev/null; }

ch_ready() {
    [[ "$(curl -sf --max-time 2 \
        "http://127.0.0.1:$CH_HTTP_PORT/?query=SELECT%201" 2>/dev/null)" == 1 ]]
}

ch_logs() { show_logs "$CH_CONSOLE_LOG" "$CH_ERROR_LOG" "$CH_SERVER_LOG"; }

ch_stop() {
    local pid i
    pid="$(ch_pid)" || return 0
    log "stopping ClickHouse (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < TIMEOUT * 10; i++)); do
        proc_alive "$pid" || return 0
        sleep 0.1
    done
    log "ClickHouse did not exit within ${TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do proc_alive "$pid" || break; sleep 0.1; done
}

# Minimal config for ClickHouse 18.16 (root element <yandex>, not the modern
# <clickhouse>). Everything lives under the state dir; only loopback listens.
ch_write_config() {
    mkdir -p "$CH_DIR"/{etc,data,tmp,user_files,format_schemas,log}
    cat >"$CH_CONF" <<EOF
<?xml version="1.0"?>
<!-- Hera test instance, generated by scripts/test-services.sh. Do not edit. -->
<yandex>
    <logger>
        <level>information</level>
        <log>$CH_SERVER_LOG</log>
        <errorlog>$CH_ERROR_LOG</errorlog>
        <size>100M</size>
        <count>1</count>
    </logger>

    <!-- Loopback only; fail instead of silently skipping an address. -->
    <listen_host>127.0.0.1</listen_host>
    <listen_try>0</listen_try>
    <http_port>$CH_HTTP_PORT</http_port>
    <tcp_port>$CH_TCP_PORT</tcp_port>
    <!-- No interserver_http_port: without the key 18.16 opens no
         replication port at all (the stock config uses 9009). -->

    <max_connections>1024</max_connections>
    <!-- Idle HTTP keep-alive in seconds (stock config: 3). Pooled HTTP clients
         should drop idle connections sooner than this to avoid reusing one
         the server is just closing. -->
    <keep_alive_timeout>10</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>

    <!-- Mandatory in 18.16 (no default; server exits "Not found: mark_cache_size"). -->
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>

    <!-- Paths need the trailing slash. -->
    <path>$CH_DIR/data/</path>
    <tmp_path>$CH_DIR/tmp/</tmp_path>
    <user_files_path>$CH_DIR/user_files/</user_files_path>
    <format_schema_path>$CH_DIR/format_schemas/</format_schema_path>

    <!-- Relative to this file. -->
    <users_config>users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>

    <!-- Deterministic DateTime rendering in tests. -->
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>

    <!-- system.query_log, filled only for queries run with log_queries=1. -->
    <query_log>
        <database>system</database>
        <table>query_log</table>
        <partition_by>toYYYYMM(event_date)</partition_by>
        <flush_interval_milliseconds>1000</flush_interval_milliseconds>
    </query_log>
</yandex>
EOF
    cat >"$CH_DIR/etc/users.xml" <<'EOF'
<?xml version="1.0"?>
<!-- Hera test instance, generated by scripts/test-services.sh. Do not edit. -->
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
        </default>
    </profiles>

    <users>
        <!-- 'default', no password, loopback clients only. -->
        <default>
            <password></password>
            <networks>
                <ip>127.0.0.1</ip>
                <ip>::1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>

    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
    chown_to "$CH_OSUSER" "$CH_DIR"
}

# Launch clickhouse-server without waiting for it (cmd_start does that), so its
# start-up overlaps with PostgreSQL's initdb. Sets CH_LAUNCHED=0 if it was
# already up. (A flag, not a return code: calling a function as an `if`
# condition would switch off `set -e` inside it.)
CH_LAUNCHED=0
ch_launch() {
    local pid configured_port
    CH_LAUNCHED=0
    if pid="$(ch_pid)"; then
        configured_port="$(sed -n 's:.*<http_port>\([0-9]*\)</http_port>.*:\1:p' "$CH_CONF")"
        [[ $configured_port == "$CH_HTTP_PORT" ]] || die "ClickHouse from $STATE_DIR" \
            "runs on HTTP port $configured_port, not $CH_HTTP_PORT; run '$0 stop' first"
        if poll_ready ch_alive ch_ready; then return 0; fi
        # Alive but mute for $TIMEOUT s: hung. Dead meanwhile: re-create below.
        if ch_alive; then
            ch_logs
            die "ClickHouse (pid $pid) runs but does not answer; run '$0 stop'"
        fi
    fi

    rm -rf "$CH_DIR"
    ch_write_config

    log "starting ClickHouse $(clickhouse_version) on 127.0.0.1:$CH_HTTP_PORT (http)," \
        "127.0.0.1:$CH_TCP_PORT (native)"
    # Not --daemon: in daemon mode 18.16 detaches before reading its config and
    # sends early errors (bad config, unwritable path, port in use) to
    # /dev/null. Instead run it in the foreground, in its own session (setsid;
    # it is not a process-group leader here so setsid execs without forking),
    # stdin closed and console output captured; $! is then the server's pid.
    # setsid cannot run a shell function, so spell out run_as's setpriv here.
    local -a cmd=(/usr/sbin/clickhouse-server --config-file="$CH_CONF"
        --pid-file="$CH_DIR/data/clickhouse-server.pid")
    if is_root && [[ $CH_OSUSER != root ]]; then
        cmd=(setpriv --reuid="$CH_OSUSER" --regid="$(id -g "$CH_OSUSER")"
            --init-groups --reset-env -- "${cmd[@]}")
    fi
    # 9>&-: do not let the server inherit the lock fd (see run_as).
    (cd "$CH_DIR" && exec setsid "${cmd[@]}") </dev/null >>"$CH_CONSOLE_LOG" 2>&1 9>&- &
    printf '%s\n' "$!" >"$CH_PIDFILE"
    CH_LAUNCHED=1
}

clickhouse_version() {
    dpkg-query -W -f '${Version}' clickhouse-server 2>/dev/null | sed 's/+.*//' \
        || echo '(unknown version)'
}

# --- Waiting -------------------------------------------------------------------------------

# poll_ready ALIVE_FN READY_FN
# Poll READY_FN for up to $TIMEOUT seconds. Returns 0 once it succeeds, 1 as
# soon as ALIVE_FN says the server process is gone, 2 on timeout.
poll_ready() {
    local alive=$1 ready=$2
    local deadline=$((SECONDS + TIMEOUT))
    until "$ready"; do
        "$alive" || return 1
        ((SECONDS < deadline)) || return 2
        sleep 0.1
    done
}

# wait_for NAME ALIVE_FN READY_FN LOGS_FN
# poll_ready, but failing the script with the server log tail.
wait_for() {
    local name=$1 rc=0
    poll_ready "$2" "$3" || rc=$?
    case $rc in
        0) return 0 ;;
        1) "$4"; die "$name exited during start-up (logs above; '$0 stop' cleans up)" ;;
        *) "$4"; die "$name did not answer within ${TIMEOUT}s (logs above; '$0 stop' cleans up)" ;;
    esac
}

# --- Commands ------------------------------------------------------------------------------

write_env() {
    cat >"$ENV_FILE.tmp" <<EOF
export HERA_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$PG_DB"
export HERA_TEST_CH="http://127.0.0.1:$CH_HTTP_PORT"
EOF
    chmod 644 "$ENV_FILE.tmp"
    mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}

prepare_state_dir() {
    if [[ -e $STATE_DIR && ! -O $STATE_DIR ]]; then
        die "$STATE_DIR exists but is not owned by $(id -un); refusing to use it"
    fi
    mkdir -p "$STATE_DIR"
    chmod 755 "$STATE_DIR"   # service users must be able to traverse it
}

# Serialise concurrent invocations (e.g. parallel test projects all calling
# `start`) with an exclusive lock held until this script exits. Every command
# that launches a server closes fd 9 (`9>&-`) so the lock dies with us. The
# wait is generous because the holder may be running apt-get.
take_lock() {
    exec 9>>"$LOCK_FILE"
    flock -w 600 9 || die "another test-services.sh has held $LOCK_FILE for 10 minutes"
}

cmd_start() {
    local started
    started="$(now)"
    require_port HERA_TEST_PG_PORT "$PG_PORT"
    require_port HERA_TEST_CH_HTTP_PORT "$CH_HTTP_PORT"
    require_port HERA_TEST_CH_TCP_PORT "$CH_TCP_PORT"

    take_lock          # first: concurrent first-time runs must not race apt
    ensure_packages
    pg_init_vars
    ch_init_vars
    prepare_state_dir

    ch_launch
    pg_start
    wait_for ClickHouse ch_alive ch_ready ch_logs
    if ((CH_LAUNCHED)); then
        log "ClickHouse ready (pid $(ch_pid))"
    else
        log "ClickHouse already running (pid $(ch_pid), port $CH_HTTP_PORT)"
    fi

    write_env
    log "services up in $(elapsed_since "$started")s; env written to $ENV_FILE"
    cat "$ENV_FILE"
}

cmd_stop() {
    local pid
    take_lock
    if [[ -d $STATE_DIR ]]; then
        # The binaries may be gone (package removed); then only the pids matter.
        if pg_bindir >/dev/null; then
            pg_init_vars
            pg_stop
        elif pid="$(pg_pid)"; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
        ch_stop
        rm -rf "$STATE_DIR"
        log "stopped; removed $STATE_DIR"
    else
        log "nothing to stop ($STATE_DIR does not exist)"
    fi
}

cmd_status() {
    local rc=0 pid
    if pg_bindir >/dev/null; then pg_init_vars; fi
    if [[ -n $PG_BIN ]] && pid="$(pg_pid)" && pg_ready; then
        echo "postgres:   up   (pid $pid, 127.0.0.1:$PG_PORT, db $PG_DB)"
    else
        echo "postgres:   DOWN (state dir $STATE_DIR, port $PG_PORT)"
        rc=1
    fi
    if pid="$(ch_pid)" && ch_ready; then
        echo "clickhouse: up   (pid $pid, http 127.0.0.1:$CH_HTTP_PORT, native 127.0.0.1:$CH_TCP_PORT)"
    else
        echo "clickhouse: DOWN (state dir $STATE_DIR, http port $CH_HTTP_PORT)"
        rc=1
    fi
    return "$rc"
}

usage() {
    sed -n '6,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

main() {
    (($# == 1)) || usage
    case "$1" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        restart)
            cmd_stop
            cmd_start
            ;;
        *) usage ;;
    esac
}

main "$@"
