#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster for the tests and print the URL to export as
# DESK_TEST_PG_URL (the only line written to stdout; progress goes to stderr).
#
#   export DESK_TEST_PG_URL="$(bash .ci/start-postgres.sh)"
#
# The cluster lives in a temporary folder, listens on 127.0.0.1 only (PGPORT, default 5432),
# trusts loopback connections and is tuned for speed, not durability: it is for tests only.
# Stop it with:  pg_ctl -D "$(cat "${TMPDIR:-/tmp}/desk-pg-datadir")" stop
set -euo pipefail

port="${PGPORT:-5432}"
host=127.0.0.1

log() { printf 'start-postgres: %s\n' "$*" >&2; }

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
    if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir; return
    fi
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
        if [[ -x "$dir/initdb" ]]; then echo "$dir"; return; fi
    done
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
    return 1
}

bindir="$(find_bindir)" || {
    log "no PostgreSQL server binaries found (install postgresql, or set PG_BINDIR)"
    exit 1
}
usable() {  # a server on this port that lets the postgres user in without a password
    PGCONNECT_TIMEOUT=5 "$bindir/psql" -w -q -X -h "$host" -p "$1" -U postgres -d postgres \
        -c 'SELECT 1' >/dev/null 2>&1
}

# A server left by an earlier run is reused; one that asks for a password (a distribution's
# own cluster) is left alone and ours takes the next free port.
while "$bindir/pg_isready" -q -h "$host" -p "$port"; do
    if usable "$port"; then
        log "a server already answers on ${host}:${port}; using it"
        echo "postgresql+psycopg://postgres@${host}:${port}/postgres"
        exit 0
    fi
    log "the server on ${host}:${port} does not trust the postgres user; trying $((port + 1))"
    port=$((port + 1))
done
url="postgresql+psycopg://postgres@${host}:${port}/postgres"

# initdb and postgres refuse to run as root: run them as the postgres user when we are root.
as_owner=()
if [[ "$(id -u)" == 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    as_owner=(runuser -u postgres --)
fi

base="$(mktemp -d "${TMPDIR:-/tmp}/desk-pg.XXXXXX")"
datadir="$base/data"
chmod 755 "$base"
if [[ ${#as_owner[@]} -gt 0 ]]; then chown postgres: "$base"; fi
echo "$datadir" > "${TMPDIR:-/tmp}/desk-pg-datadir"
echo "$bindir" > "${TMPDIR:-/tmp}/desk-pg-bindir"

log "initialising a cluster in $datadir"
"${as_owner[@]}" "$bindir/initdb" -D "$datadir" -U postgres --auth-local=trust \
    --auth-host=reject --encoding=UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 || {
    cat "$base/initdb.log" >&2
    exit 1
}
# Trust on loopback only; everything else is refused by the reject line initdb wrote.
{
    echo "host all all 127.0.0.1/32 trust"
    echo "host all all ::1/128 trust"
    cat "$datadir/pg_hba.conf"
} > "$base/pg_hba.conf"
"${as_owner[@]}" cp "$base/pg_hba.conf" "$datadir/pg_hba.conf"

log "starting it on ${host}:${port}"
"${as_owner[@]}" "$bindir/pg_ctl" -D "$datadir" -l "$base/server.log" -w -t 60 start -o "\
 -c listen_addresses=$host -c port=$port -c unix_socket_directories=$base\
 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\
 -c timezone=UTC" >&2 || {
    cat "$base/server.log" >&2
    exit 1
}

for _ in $(seq 1 60); do
    if "$bindir/pg_isready" -q -h "$host" -p "$port"; then
        log "ready (log: $base/server.log)"
        echo "$url"
        exit 0
    fi
    sleep 0.5
done
log "the server did not become ready; its log follows"
cat "$base/server.log" >&2
exit 1
