#!/usr/bin/env bash
# make bench: the newest stage against Unbound, PowerDNS Recursor and Knot
# Resolver, in the same test bed, in the same run, measured by dnsperf (a
# benchmark, not a test).
#
#   bench.sh STAGE_DIR          (as root: sudo make bench)
#   bench.sh --check-root       only the check that make bench runs first
#
# Part 1, the main table. The test bed serves a leaf zone of ZONE_NAMES
# (100,000) names, n0 ... n99999.bench.lab (one A record each, 198.18.x.y).
# Each resolver, in a fresh process with an empty cache, gets in turn:
#   - the miss run: MISS_NAMES (50,000) names never asked before, as fast as
#     it answers them;
#   - a warm-up pass over HIT_NAMES (1,000) other names, then the hit run:
#     those names over and over for HIT_SECONDS, answered from the cache;
#   - the latency runs at a fixed rate (dnsperf -Q): the cached names at
#     LAT_HIT_QPS for LAT_SECONDS, then new names at LAT_MISS_QPS for
#     LAT_SECONDS; dnsperf -v gives each answer's latency, and the script
#     takes the percentiles p50, p99 and p99.9 (a lost query counts as slower
#     than every answer).
# It prints queries per second, CPU time per answer (the user + system time
# of every process of that resolver, from /proc, divided by the answers) and
# the system time in it (the kernel's part, which a resolver's own code
# cannot make smaller than its system calls and packets need), the memory
# after the miss run (RSS summed over its processes), lost queries, and the
# ratio stage 7 / peer for each peer: each figure the median of ROUNDS rounds
# (the mean of the middle two for an even number), every resolver measured
# once per round, in turn. Before the first round, the bench zone's server
# answers every name once, straight from dnsperf: the resolver measured
# first does not meet an authority that has just started.
#
# Beside them, the floor: the hit run and the cached latency run against a
# responder that does no DNS work at all (common/tools/canned_responder.cpp,
# the same threads and batched system calls). What it costs per answer is the
# kernel's part of every answer over loopback (carrying the query in and the
# response out, waking the threads): a bound for a resolver built this way,
# not an exact one.
#
# Part 2, how cost grows with work (skipped with BENCH_SCALE=0): the test bed
# again with a zone of SCALE_ZONE_NAMES (1,000,000) names, and for each
# resolver, one round: the hit run with 1,000 names cached; then
# SCALE_MISS_NAMES (500,000) misses; the memory they took, per name; then a
# warm-up pass and a hit run over all 500,000 names (in a shuffled order),
# answered from a cache that holds 501,000 names. A cache whose cost per hit
# grows with its size shows in the ratio of the two hit figures.
#
# Part 3, the cost of validation (skipped with BENCH_VALIDATION=0): the test
# bed again with the zone of part 1, ZONE_NAMES names, signed by Knot
# (BENCH_SIGNED=1: ECDSA P-256, NSEC, its DS in lab.), and every resolver
# validating with the test bed's root key (RUNDIR/root-anchor.ds) as its
# trust anchor: stage 7 with --trust-anchor (and without --no-validation),
# Unbound with module-config "validator iterator" and trust-anchor-file,
# PowerDNS Recursor with dnssec=validate and the anchor by addTA (its
# built-in ones cleared), Knot Resolver with trust_anchors.add_file (its
# default one removed); everything else as in part 1, QNAME minimisation off.
# Each must first validate: n0.bench.lab A asked with DO is NOERROR with the
# AD flag, www.expired.lab A (a zone of the test bed whose signatures have
# expired) SERVFAIL; one that does not is named and left out. Then, ROUNDS
# rounds of part 1's miss run and hit run (the same names, the same queries,
# without DO), and a table of the medians: QPS, CPU time per answer, RSS,
# lost queries, each beside the resolver's validating / unsigned ratio (its
# own figure of part 1 in the same run), and stage 7 / peer.
#
# Every peer is set up as its operator would for this workload (see the
# configs below): caches big enough, as many threads (or, for Knot Resolver,
# single-threaded, as many processes sharing one cache on tmpfs, with
# SO_REUSEPORT) as stage 7 has (one per core), QNAME minimisation off on
# every side and, but in part 3, DNSSEC validation off on every side (in
# parts 1 and 2 the bench zone is unsigned; stage 7 gets --no-validation), no
# logging per query, the test bed's root as root hints, loopback servers
# allowed. Before a resolver is measured it must answer n0.bench.lab with
# NOERROR and 198.18.0.0; one that cannot is named and left out of the tables.
#
# The results go to BENCH_RESULTS (default bench-results/ at the top of the
# repository): tables.txt and tables.md (both tables and the latency table),
# latency.svg (a chart of the latency percentiles, by gnuplot), latency.dat
# (its data), bench.log (everything printed).
#
# How long it takes on the project's machine (2 cores, shared): about 12
# minutes with the defaults (3 rounds, HIT_SECONDS=10, LAT_SECONDS=5; 10 min
# 57 s on 2026-12-02): about 5 for part 1, 2 to 5 for part 2, about 4 for
# part 3 (of which 10 to 20 s for Knot to sign the zone at the test bed's
# start); each part prints how long it took. Three rounds, not two, because
# one round can be a fifth or more off the next for any resolver (Unbound's
# miss cost 41.0 us in one round of 2026-12-02 and 27.8 in the next): the
# median of three leaves one such round out, where the median of two is
# their mean. The miss runs are bounded by dnsperf -l 900, the rest by
# time. For a short try (about a minute and a half):
#   sudo BENCH_ROUNDS=1 HIT_SECONDS=2 LAT_SECONDS=2 MISS_NAMES=5000 BENCH_SCALE=0 make bench
#
# Settings, from the environment:
#   BENCH_ROUNDS (or ROUNDS)  rounds of parts 1 and 3 (default 3)
#   HIT_SECONDS     length of each hit run (10)
#   MISS_NAMES      names in the miss run (50000)
#   LAT_SECONDS     length of each latency run (5)
#   LAT_HIT_QPS     the rate of the cached latency run (20000)
#   LAT_MISS_QPS    the rate of the uncached latency run (5000)
#   BENCH_PEERS     which peers (default "unbound pdns kresd")
#   BENCH_SCALE     0: skip part 2 (default 1)
#   BENCH_VALIDATION  0: skip part 3 (default 1)
#   TESTBED_WAIT_MS how long part 3's test bed may take to start, signing
#                   the zone (180000)
#   SCALE_MISS_NAMES  misses of part 2 (500000)
#   SCALE_HIT_SECONDS length of part 2's hit runs (5)
#   DNSPERF_ARGS    dnsperf's clients and threads ("-c 8 -T 2 -q 100")
#   BENCH_RESULTS   where the results go (bench-results)
#
# Unbound, PowerDNS Recursor and Knot Resolver cannot be told to ask
# authoritative servers on a port other than 53, so the test bed runs on
# port 53 of its 127.53.x.y addresses: run as root.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
    cat >&2 <<'EOF'
make bench: stopped: it must run as root.
  Unbound, PowerDNS Recursor and Knot Resolver ask authoritative servers on port 53
  only, so the test bed serves on port 53 of 127.53.x.y, which only root may bind
  (the bench also mounts a tmpfs for Knot Resolver's cache). Run:

    sudo make bench
EOF
    exit 1
fi
[[ ${1:-} == --check-root ]] && exit 0

cd "$(dirname "$0")/../.."

start_time=$SECONDS

stage="${1:?usage: bench.sh STAGE_DIR}"
resolver="build/$stage/resolver"
canned_responder=build/common/canned_responder
for binary in "$resolver" "$canned_responder"; do
    [[ -x $binary ]] || { echo "bench: $binary is not built (make bench builds it)" >&2; exit 1; }
done

ROUNDS=${BENCH_ROUNDS:-${ROUNDS:-3}}
HIT_SECONDS=${HIT_SECONDS:-10}
ZONE_NAMES=100000
HIT_NAMES=1000
MISS_NAMES=${MISS_NAMES:-50000}
LAT_SECONDS=${LAT_SECONDS:-5}
LAT_HIT_QPS=${LAT_HIT_QPS:-20000}
LAT_MISS_QPS=${LAT_MISS_QPS:-5000}
PEERS=${BENCH_PEERS:-unbound pdns kresd}
BENCH_SCALE=${BENCH_SCALE:-1}
BENCH_VALIDATION=${BENCH_VALIDATION:-1}
SCALE_ZONE_NAMES=1000000
SCALE_MISS_NAMES=${SCALE_MISS_NAMES:-500000}
SCALE_HIT_SECONDS=${SCALE_HIT_SECONDS:-5}
read -r -a DNSPERF_ARGS <<<"${DNSPERF_ARGS:--c 8 -T 2 -q 100}"
RESULTS=${BENCH_RESULTS:-bench-results}
RESOLVER_PORT=5390
testbed=stage4_testbed/testbed/testbed.sh

for setting in ROUNDS HIT_SECONDS MISS_NAMES LAT_SECONDS LAT_HIT_QPS LAT_MISS_QPS SCALE_MISS_NAMES SCALE_HIT_SECONDS; do
    [[ ${!setting} =~ ^[1-9][0-9]*$ ]] || { echo "bench: $setting must be a number, 1 or more, not '${!setting}'" >&2; exit 1; }
done
for peer in $PEERS; do
    [[ $peer =~ ^(unbound|pdns|kresd)$ ]] || { echo "bench: BENCH_PEERS: '$peer' is none of unbound pdns kresd" >&2; exit 1; }
done
lat_miss_names=$((LAT_MISS_QPS * LAT_SECONDS))
((HIT_NAMES + MISS_NAMES + lat_miss_names <= ZONE_NAMES)) ||
    { echo "bench: $HIT_NAMES + MISS_NAMES + LAT_MISS_QPS * LAT_SECONDS names do not fit in the zone's $ZONE_NAMES" >&2; exit 1; }
((HIT_NAMES + SCALE_MISS_NAMES <= SCALE_ZONE_NAMES)) ||
    { echo "bench: SCALE_MISS_NAMES must be at most $((SCALE_ZONE_NAMES - HIT_NAMES))" >&2; exit 1; }

work=$(mktemp -d /tmp/bench.XXXXXX)
chmod 755 "$work"
pids=()
kresd_cache=$work/kresd-cache
current= # the resolver under test
cleanup() {
    stop_servers
    "$testbed" stop "$work/testbed" >/dev/null 2>&1 || true
    if mountpoint -q "$kresd_cache"; then umount "$kresd_cache" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The results folder: the files of the last run, made anew.
mkdir -p "$RESULTS"
results=$(cd "$RESULTS" && pwd -P)
rm -f "$results"/{tables.txt,tables.md,latency.svg,latency.dat,latency.gnuplot,bench.log}
exec > >(tee "$results/bench.log") 2>&1

# Every resolver gets the same: one thread per core (Knot Resolver, which has
# one thread, one process per core), as many open files as systemd gives them.
threads=$(nproc)
ulimit -n 524288 2>/dev/null || true

version_of() {
    case $1 in
    stage7) echo "$stage" ;;
    unbound) unbound -V 2>/dev/null | sed -n 's/^Version /Unbound /p' ;;
    pdns) /usr/sbin/pdns_recursor --version 2>&1 | sed -n 's/.*\(PowerDNS Recursor [0-9.]*\).*/\1/p' | head -1 ;;
    kresd) kresd --version 2>/dev/null | sed -n 's/.*version \([0-9.]*\).*/Knot Resolver \1/p' ;;
    floor) echo "floor (canned_responder)" ;;
    esac
}
display_name() {
    case $1 in
    stage7) echo stage7 ;; unbound) echo unbound ;; pdns) echo pdns ;; kresd) echo kresd ;; floor) echo floor ;;
    esac
}

# ---------------------------------------------------------------------------
# The configs. $1: the cache size in MiB for this workload (stage 7's
# --cache-size, kresd's cache.size; Unbound's msg-cache-size, and twice that
# for rrset-cache-size, as Unbound's guide advises).

stage7_flags() { # CACHE_MIB [validating]
    local flags=(--listen "127.0.0.1:$RESOLVER_PORT" --root-hints "$work/testbed/root.hints" --quiet
        --threads "$threads" --cache-size "$1")
    local help
    help=$("$resolver" --help 2>&1 || true)
    grep -q -- '--qname-minimisation' <<<"$help" && flags+=(--qname-minimisation off)
    if [[ ${2:-} == validating ]]; then
        flags+=(--trust-anchor "$work/testbed/root-anchor.ds")
    else
        grep -q -- '--no-validation' <<<"$help" && flags+=(--no-validation)
    fi
    echo "${flags[@]}"
}

write_unbound_conf() { # MSG_CACHE_MIB [validating]
    # The guide's advice for many queries: one thread per core, slabs a power
    # of 2 near the threads, many outgoing ports and queries per thread.
    # Validating (part 3): the validator before the iterator, the test bed's
    # root trust anchor, no log of what fails to validate.
    local slabs=1 modules=iterator anchor="" val_log=""
    if [[ ${2:-} == validating ]]; then
        modules="validator iterator"
        anchor="trust-anchor-file: \"$work/testbed/root-anchor.ds\""
        val_log="val-log-level: 0"
    fi
    while ((slabs < threads)); do slabs=$((slabs * 2)); done
    cat >"$work/unbound.conf" <<CONF
server:
    interface: 127.0.0.1@$RESOLVER_PORT
    num-threads: $threads
    so-reuseport: yes
    msg-cache-size: ${1}m
    rrset-cache-size: $((2 * $1))m
    msg-cache-slabs: $slabs
    rrset-cache-slabs: $slabs
    infra-cache-slabs: $slabs
    key-cache-slabs: $slabs
    outgoing-range: 8192
    num-queries-per-thread: 4096
    do-not-query-localhost: no
    do-ip6: no
    module-config: "$modules"
    $anchor
    $val_log
    qname-minimisation: no
    root-hints: "$work/testbed/root.hints"
    access-control: 127.0.0.0/8 allow
    username: ""
    chroot: ""
    directory: "$work"
    pidfile: "$work/unbound.pid"
    use-syslog: no
    logfile: ""
    log-queries: no
    log-replies: no
    verbosity: 0
CONF
}

write_pdns_conf() { # CACHE_MIB ENTRIES [validating]
    # PowerDNS's performance guide: each thread its own socket (reuseport)
    # and its own queries, rather than one thread handing them out. No
    # security poll (it would query the Internet). dnssec=off: no validation
    # and no DNSSEC records asked for. Validating (part 3): dnssec=validate,
    # and in the Lua config its built-in root trust anchors replaced by the
    # test bed's (clearTA, addTA).
    local dnssec=off lua=""
    mkdir -p "$work/pdns"
    if [[ ${3:-} == validating ]]; then
        dnssec=validate
        lua="lua-config-file=$work/pdns/recursor.lua"
        {
            echo "clearTA('.')"
            awk '$3 == "DS" { printf "addTA(\x27.\x27, \x27%s %s %s %s\x27)\n", $4, $5, $6, $7 }' "$work/testbed/root-anchor.ds"
        } >"$work/pdns/recursor.lua"
    fi
    cat >"$work/pdns/recursor.conf" <<CONF
local-address=127.0.0.1
local-port=$RESOLVER_PORT
threads=$threads
pdns-distributes-queries=no
reuseport=yes
max-cache-entries=$2
max-packetcache-entries=$2
allow-from=127.0.0.0/8
hint-file=$work/testbed/root.hints
dont-query=
qname-minimization=no
dnssec=$dnssec
$lua
security-poll-suffix=
quiet=yes
loglevel=4
disable-syslog=yes
daemon=no
write-pid=no
socket-dir=$work/pdns
CONF
}

write_kresd_conf() { # CACHE_MIB [validating]
    # One process per core (kresd has one thread), all on the same address
    # with SO_REUSEPORT (kresd sets it), sharing one cache on tmpfs, as the
    # Knot Resolver docs advise; ALLOW_LOCAL lets it ask servers (and take
    # glue) at loopback addresses; no trust anchor: no validation.
    # Validating (part 3): its default root trust anchor replaced by the test
    # bed's, read-only (no RFC 5011 updates).
    local hints anchor=""
    [[ ${2:-} != validating ]] || anchor="trust_anchors.add_file('$work/testbed/root-anchor.ds', true)"
    hints=$(awk '$3 == "A" { printf "%s[\x27%s\x27] = \x27%s\x27", sep, $1, $4; sep = ", " }' "$work/testbed/root.hints")
    mkdir -p "$work/kresd"
    cat >"$work/kresd.conf" <<CONF
net.ipv6 = false
net.listen('127.0.0.1', $RESOLVER_PORT, { kind = 'dns' })
modules = { 'hints > iterate' }
hints.root({ $hints })
trust_anchors.remove('.')
$anchor
option('NO_MINIMIZE', true)
option('ALLOW_LOCAL', true)
cache.open($1 * MB, 'lmdb://$kresd_cache')
log_level('warning')
CONF
}

# ---------------------------------------------------------------------------
# Processes. pids: every process of the resolver under test.

spawn() { # LOG COMMAND...
    local log=$1
    shift
    "$@" >>"$work/$log.log" 2>&1 &
    pids+=($!)
}

stop_servers() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}

all_alive() {
    local p
    for p in "${pids[@]}"; do [[ -d /proc/$p ]] || return 1; done
}

# wait_until_it_answers: up to 15 s for any answer to n0.bench.lab.
wait_until_it_answers() {
    for _ in $(seq 150); do
        dig @127.0.0.1 -p $RESOLVER_PORT +tries=1 +time=1 n0.bench.lab >/dev/null 2>&1 && return 0
        all_alive || return 1
        sleep 0.1
    done
    return 1
}

# wait_for_every_socket: up to 5 s until one UDP socket per thread (or
# process) is bound to the port (/proc/net/udp), so that the kernel shares
# the queries among all of them from the first one measured.
wait_for_every_socket() {
    local hex
    hex=$(printf '%04X' $RESOLVER_PORT)
    for _ in $(seq 50); do
        (($(awk -v a="0100007F:$hex" '$2 == a' /proc/net/udp | wc -l) >= threads)) && return 0
        sleep 0.1
    done
}

# check_answer: n0.bench.lab A must be NOERROR with 198.18.0.0 (the zone's).
check_answer() {
    local out status addresses
    out=$(dig @127.0.0.1 -p $RESOLVER_PORT +tries=2 +time=2 n0.bench.lab A 2>&1 || true)
    status=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out")
    addresses=$(awk '$1 == "n0.bench.lab." && $4 == "A" { print $5 }' <<<"$out" | paste -sd ' ')
    if [[ $status == NOERROR && $addresses == 198.18.0.0 ]]; then return 0; fi
    echo "asked n0.bench.lab A, it answered status ${status:-none} with '${addresses}' (expected NOERROR, 198.18.0.0)"
    return 1
}

# start NAME PART: starts that resolver, configured for part main or scale;
# false, with the reason in $why, if it does not come up or answers wrong.
why=
start() {
    local name=$1 part=$2 cache_mib entries i validating=
    if [[ $part == scale ]]; then cache_mib=1024 entries=4000000; else cache_mib=256 entries=4000000; fi
    [[ $part != validating ]] || validating=validating
    why=
    current=$name
    case $name in
    stage7)
        # shellcheck disable=SC2046  # one argument per flag
        spawn stage7 "$resolver" $(stage7_flags "$cache_mib" $validating)
        ;;
    unbound)
        command -v unbound >/dev/null || { why="unbound is not installed"; return 1; }
        if [[ $part == scale ]]; then write_unbound_conf 512; else write_unbound_conf 64 $validating; fi
        spawn unbound unbound -d -c "$work/unbound.conf"
        ;;
    pdns)
        [[ -x /usr/sbin/pdns_recursor ]] || { why="pdns_recursor is not installed"; return 1; }
        write_pdns_conf "$cache_mib" "$entries" $validating
        spawn pdns /usr/sbin/pdns_recursor --config-dir="$work/pdns"
        ;;
    kresd)
        command -v kresd >/dev/null || { why="kresd is not installed"; return 1; }
        write_kresd_conf "$cache_mib" $validating
        mkdir -p "$kresd_cache"
        if ! mountpoint -q "$kresd_cache"; then
            mount -t tmpfs -o size=1100m,mode=0755 bench-kresd-cache "$kresd_cache" ||
                { why="cannot mount a tmpfs for its cache"; return 1; }
        fi
        rm -f "$kresd_cache"/*
        for ((i = 1; i <= threads; i++)); do
            spawn kresd kresd -n -c "$work/kresd.conf" "$work/kresd"
            # The first one creates the cache; the others open it.
            ((i > 1)) || wait_until_it_answers || true
        done
        # The cache's garbage collector, as Debian's kres-cache-gc.service runs it.
        spawn kresd kres-cache-gc -c "$kresd_cache" -d 1000
        ;;
    floor)
        spawn floor "$canned_responder" $RESOLVER_PORT "$threads"
        ;;
    esac
    if ! wait_until_it_answers; then
        why="it did not answer within 15 s; its log: $(tail -n 3 "$work/$name.log" 2>/dev/null | paste -sd '|')"
        stop_servers
        return 1
    fi
    wait_for_every_socket
    [[ $name == floor ]] && return 0
    if ! why=$(check_answer); then
        stop_servers
        return 1
    fi
}

# ---------------------------------------------------------------------------
# What is measured.

ticks_per_second=$(getconf CLK_TCK)
# cpu_ticks: "TOTAL SYSTEM": the user + system time of every process of the
# resolver (all threads), and the system time alone, the kernel's work for it
# (system calls, the loopback's delivery of what it sends, waking threads);
# both from one read of each /proc/PID/stat, at the same instant.
cpu_ticks() {
    local p total=0 system=0 user_ticks system_ticks
    for p in "${pids[@]}"; do
        read -r user_ticks system_ticks < <(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null |
            awk '{ print $12, $13 }') || true
        total=$((total + ${user_ticks:-0} + ${system_ticks:-0}))
        system=$((system + ${system_ticks:-0}))
    done
    echo "$total $system"
}
cpu_us_per_answer() { awk -v t="$1" -v hz="$ticks_per_second" -v n="$2" 'BEGIN { printf "%.1f", n ? t / hz * 1e6 / n : 0 }'; }

# memory_kib: the RSS of every process of the resolver, summed. Knot
# Resolver's processes share their cache, a file on tmpfs that each maps:
# instead of the pages of it that each has touched, the pages the cache uses
# are counted, once (mdb_stat: pages used less free pages). The file itself
# takes its whole cache.size of memory (kresd allocates it when it opens it);
# the notes under the tables say how much.
memory_kib() {
    local p in_use=0
    for p in "${pids[@]}"; do
        awk -v dir="$work/" '
            /^[0-9a-f]+-[0-9a-f]+ / { path = $6; next }
            /^Rss:/ { if (path == "" || index(path, dir) != 1) total += $2 }
            END { print total + 0 }' "/proc/$p/smaps" 2>/dev/null || true
    done >"$work/rss.txt"
    if [[ $current == kresd ]]; then
        in_use=$(mdb_stat -ef "$kresd_cache" 2>/dev/null | awk '/Page size:/ { size = $3 } /Number of pages used:/ { used = $5 }
            /Free pages:/ { free = $3 } END { printf "%d", (used - free) * size / 1024 }')
    fi
    awk -v extra="${in_use:-0}" '{ t += $1 } END { print t + extra }' "$work/rss.txt"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# dnsperf_run FILE ARGS...: prints "completed lost qps not_noerror"
dnsperf_run() {
    local file=$1
    shift
    dnsperf -s 127.0.0.1 -p $RESOLVER_PORT -d "$file" "${DNSPERF_ARGS[@]}" -t 5 "$@" >"$work/dnsperf.out" 2>&1 || true
    awk '/Queries completed:/ { c = $3 } /Queries lost:/ { l = $3 } /Queries per second:/ { q = $4 }
         /Response codes:/ { for (i = 3; i <= NF; i += 3) if ($i != "NOERROR") e += $(i + 1) }
         END { printf "%d %d %.0f %d\n", c, l, q, e }' "$work/dnsperf.out"
}

# latency_run FILE QPS SECONDS: dnsperf -v at a fixed rate; prints
# "p50 p99 p99.9 lost" in microseconds (a lost query ranks after every answer;
# a percentile that falls on one is printed as "lost").
latency_run() {
    dnsperf -s 127.0.0.1 -p $RESOLVER_PORT -d "$1" "${DNSPERF_ARGS[@]}" -t 5 -Q "$2" -l "$3" -v \
        >"$work/latency.out" 2>&1 || true
    local lost
    lost=$(awk '/Queries lost:/ { print $3 }' "$work/latency.out")
    awk '$1 == ">" && $2 != "T" && $2 != "I" && $NF ~ /^[0-9.]+$/ { printf "%.1f\n", $NF * 1e6 }' "$work/latency.out" |
        sort -g | awk -v lost="${lost:-0}" '
            { v[NR] = $1 }
            function at(q,   r) { r = int(q * (NR + lost) + 0.999999); if (r < 1) r = 1; return r > NR ? "lost" : sprintf("%.0f", v[r]) }
            END { if (NR == 0) print "- - - " lost; else print at(0.50), at(0.99), at(0.999), lost }'
}

declare -A results # "name metric" -> the values of every round, space-separated
record() { results["$1 $2"]+=" $3"; }
values() { awk '{ for (i = 1; i <= NF; i++) print $i }' <<<"${results["$1 $2"]:-}"; }
# The middle value; of an even number of rounds, the mean of the middle two
# (the lower of two alone would take the worse round's QPS and the better
# round's CPU time).
median() {
    values "$1" "$2" | sort -g | awk '{ v[NR] = $1 }
        END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# The resolvers in the order of round $1: each round starts one further on, so
# that no resolver is always the first measured after the test bed starts
# (in the runs of 2026-12-01 that one lost a quarter of its first round's QPS).
in_round_order() {
    local round=$1
    shift
    local list=("$@")
    for ((i = 0; i < ${#list[@]}; i++)); do echo "${list[(i + round - 1) % ${#list[@]}]}"; done
}
total() { values "$1" "$2" | awk '{ t += $1; n++ } END { print n ? t : "-" }'; }
last() { awk '{ print $NF }' <<<"${results["$1 $2"]:--}"; }
declare -A failed # name -> why it was not measured (in the part being measured)
declare -A failed_main # name -> why it was not measured in part 1

names_file() { # FILE FROM COUNT [shuffled]: the names nFROM ... n(FROM+COUNT-1), one query each
    awk -v from="$2" -v n="$3" 'BEGIN { for (i = from; i < from + n; i++) printf "n%d.bench.lab A\n", i }' >"$1"
    if [[ ${4:-} == shuffled ]]; then
        shuf --random-source=<(yes) "$1" >"$1.shuffled" && mv "$1.shuffled" "$1"
    fi
}

# Where hit_run and miss_run count the answers other than NOERROR: part 3's
# apart from those of parts 1 and 2.
errors_metric=errors

# hit_run NAME FILE SECONDS PREFIX: a warm-up pass over FILE, then FILE again
# and again for SECONDS, recorded as PREFIX_qps, PREFIX_cpu, PREFIX_lost.
hit_run() {
    local name=$1 file=$2 seconds=$3 prefix=$4 before after sys_before sys_after completed lost qps errors
    dnsperf_run "$file" -n 1 -l 300 >/dev/null
    read -r before sys_before < <(cpu_ticks)
    read -r completed lost qps errors < <(dnsperf_run "$file" -l "$seconds")
    read -r after sys_after < <(cpu_ticks)
    record "$name" "${prefix}_qps" "$qps"
    record "$name" "${prefix}_lost" "$lost"
    record "$name" "$errors_metric" "$errors"
    record "$name" "${prefix}_cpu" "$(cpu_us_per_answer $((after - before)) "$completed")"
    record "$name" "${prefix}_sys" "$(cpu_us_per_answer $((sys_after - sys_before)) "$completed")"
}

# miss_run NAME FILE PREFIX: every name of FILE once, as fast as answered.
miss_run() {
    local name=$1 file=$2 prefix=$3 before after sys_before sys_after completed lost qps errors
    read -r before sys_before < <(cpu_ticks)
    read -r completed lost qps errors < <(dnsperf_run "$file" -n 1 -l 900)
    read -r after sys_after < <(cpu_ticks)
    record "$name" "${prefix}_qps" "$qps"
    record "$name" "${prefix}_lost" "$lost"
    record "$name" "$errors_metric" "$errors"
    record "$name" "${prefix}_cpu" "$(cpu_us_per_answer $((after - before)) "$completed")"
    record "$name" "${prefix}_sys" "$(cpu_us_per_answer $((sys_after - sys_before)) "$completed")"
}

latency() { # NAME FILE QPS PREFIX
    local p50 p99 p999 lost
    read -r p50 p99 p999 lost < <(latency_run "$2" "$3" "$LAT_SECONDS")
    record "$1" "${4}_p50" "$p50"
    record "$1" "${4}_p99" "$p99"
    record "$1" "${4}_p999" "$p999"
    record "$1" lat_lost "$lost"
}

# warm_up_authority [-D] FILE...: the bench zone's server (ns.bench.lab,
# 127.53.40.1) answers every name of the FILEs once, asked by dnsperf
# straight, after the test bed's start and before any resolver is measured:
# in the runs of 2026-12-01 and 2026-12-02 the resolver measured first after
# a start lost up to a quarter of its QPS. With -D the queries carry DO, as
# the validating resolvers' do, so that the signed answers are the ones
# warmed.
warm_up_authority() {
    local dnssec_ok=()
    if [[ $1 == -D ]]; then
        dnssec_ok=(-D)
        shift
    fi
    cat "$@" >"$work/authority-warm-up.txt"
    dnsperf -s 127.53.40.1 -p 53 -d "$work/authority-warm-up.txt" -n 1 "${DNSPERF_ARGS[@]}" \
        "${dnssec_ok[@]}" -l 300 >"$work/authority-warm-up.out" 2>&1 ||
        echo "   (the warm-up of the bench zone's server failed: $(tail -n 1 "$work/authority-warm-up.out"))"
}

# measure NAME: part 1 for one resolver, one round.
measure() {
    local name=$1
    if ! start "$name" main; then
        failed[$name]=$why
        echo "   $(display_name "$name"): NOT MEASURED: $why"
        return
    fi
    if [[ $name != floor ]]; then
        miss_run "$name" "$work/miss.txt" miss
        record "$name" rss "$(mib "$(memory_kib)")"
    fi
    hit_run "$name" "$work/hit.txt" "$HIT_SECONDS" hit
    latency "$name" "$work/hit.txt" "$LAT_HIT_QPS" lat_hit
    [[ $name == floor ]] || latency "$name" "$work/lat-miss.txt" "$LAT_MISS_QPS" lat_miss
    all_alive || failed[$name]="it died during the round; its log: $(tail -n 3 "$work/$name.log" | paste -sd '|')"
    if [[ $name == kresd ]]; then
        record kresd tmpfs "$(mib "$(du -sk "$kresd_cache" | awk '{ print $1 }')")"
    fi
    stop_servers
    printf '   %-9s hit %7s QPS %5s us' "$(display_name "$name")" "$(last "$name" hit_qps)" "$(last "$name" hit_cpu)"
    [[ $name == floor ]] || printf ';  miss %6s QPS %5s us; %6s MiB' "$(last "$name" miss_qps)" "$(last "$name" miss_cpu)" "$(last "$name" rss)"
    printf ';  latency us hit %s/%s/%s' "$(last "$name" lat_hit_p50)" "$(last "$name" lat_hit_p99)" "$(last "$name" lat_hit_p999)"
    [[ $name == floor ]] || printf ', miss %s/%s/%s' "$(last "$name" lat_miss_p50)" "$(last "$name" lat_miss_p99)" "$(last "$name" lat_miss_p999)"
    echo
}

# measure_scale NAME: part 2 for one resolver.
measure_scale() {
    local name=$1 before after
    if ! start "$name" scale; then
        failed[$name]=$why
        echo "   $(display_name "$name"): NOT MEASURED: $why"
        return
    fi
    hit_run "$name" "$work/hit.txt" "$SCALE_HIT_SECONDS" s_hit1k
    before=$(memory_kib)
    miss_run "$name" "$work/scale-miss.txt" s_miss
    after=$(memory_kib)
    record "$name" s_rss "$(mib "$after")"
    record "$name" s_per_name "$(awk -v a="$after" -v b="$before" -v n="$SCALE_MISS_NAMES" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')"
    hit_run "$name" "$work/scale-hit.txt" "$SCALE_HIT_SECONDS" s_hitbig
    all_alive || failed[$name]="it died during part 2; its log: $(tail -n 3 "$work/$name.log" | paste -sd '|')"
    if [[ $name == kresd ]]; then
        record kresd s_tmpfs "$(mib "$(du -sk "$kresd_cache" | awk '{ print $1 }')")"
    fi
    stop_servers
    printf '   %-9s hit, 1000 cached %7s QPS %5s us; %6s misses %6s QPS %5s us, %5s bytes/name; hit, %s cached %7s QPS %5s us\n' \
        "$(display_name "$name")" "$(last "$name" s_hit1k_qps)" "$(last "$name" s_hit1k_cpu)" "$SCALE_MISS_NAMES" \
        "$(last "$name" s_miss_qps)" "$(last "$name" s_miss_cpu)" "$(last "$name" s_per_name)" \
        "$SCALE_MISS_NAMES" "$(last "$name" s_hitbig_qps)" "$(last "$name" s_hitbig_cpu)"
}

# check_validation: the resolver validates the signed bench zone: n0.bench.lab
# A asked with DO (dig +dnssec) is NOERROR with the AD flag and 198.18.0.0,
# and www.expired.lab A (a test-bed zone whose signatures expired), asked
# without DO as dnsperf asks, is SERVFAIL. Prints what is wrong, and false.
check_validation() {
    local out status flags addresses problems=()
    out=$(dig @127.0.0.1 -p $RESOLVER_PORT +tries=2 +time=2 +dnssec n0.bench.lab A 2>&1 || true)
    status=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out")
    flags=$(sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$out")
    addresses=$(awk '$1 == "n0.bench.lab." && $4 == "A" { print $5 }' <<<"$out" | paste -sd ' ')
    if [[ $status != NOERROR || $addresses != 198.18.0.0 || " $flags " != *" ad "* ]]; then
        problems+=("asked n0.bench.lab A with DO, it answered status ${status:-none}, flags '${flags}', '${addresses}' (expected NOERROR, the AD flag, 198.18.0.0)")
    fi
    out=$(dig @127.0.0.1 -p $RESOLVER_PORT +tries=2 +time=5 www.expired.lab A 2>&1 || true)
    status=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out")
    [[ $status == SERVFAIL ]] ||
        problems+=("asked www.expired.lab A (bogus: expired signatures), it answered status ${status:-none} (expected SERVFAIL)")
    ((${#problems[@]} == 0)) && return 0
    local IFS=';'
    echo "it does not validate: ${problems[*]}" | sed 's/;/; /g'
    return 1
}

# measure_validation NAME: part 3 for one resolver, one round: validating,
# the miss run and the hit run of part 1.
measure_validation() {
    local name=$1
    if ! start "$name" validating; then
        failed[$name]=$why
        echo "   $(display_name "$name"): NOT MEASURED: $why"
        return
    fi
    if ! why=$(check_validation); then
        failed[$name]=$why
        stop_servers
        echo "   $(display_name "$name"): NOT MEASURED: $why"
        return
    fi
    miss_run "$name" "$work/miss.txt" v_miss
    record "$name" v_rss "$(mib "$(memory_kib)")"
    hit_run "$name" "$work/hit.txt" "$HIT_SECONDS" v_hit
    all_alive || failed[$name]="it died during part 3; its log: $(tail -n 3 "$work/$name.log" | paste -sd '|')"
    stop_servers
    printf '   %-9s validating: hit %7s QPS %5s us;  miss %6s QPS %5s us; %6s MiB\n' "$(display_name "$name")" \
        "$(last "$name" v_hit_qps)" "$(last "$name" v_hit_cpu)" "$(last "$name" v_miss_qps)" "$(last "$name" v_miss_cpu)" "$(last "$name" v_rss)"
}

# ---------------------------------------------------------------------------
# The tables, as text (what is printed) and as Markdown (tables.md).

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
read -r -a resolvers <<<"stage7 $PEERS"
value() { # NAME METRIC HOW: the median or the total over the rounds, "-" if not measured
    if [[ $2 == */* ]]; then
        # METRIC/PART1_METRIC: this part's figure over the same resolver's in part 1.
        local part1=-
        [[ -n ${failed_main[$1]:-} ]] || part1=$(median "$1" "${2#*/}")
        ratio "$(value "$1" "${2%/*}" "$3")" "$part1"
    elif [[ -n ${failed[$1]:-} ]]; then echo "-"; elif [[ $3 == total ]]; then total "$1" "$2"; else median "$1" "$2"; fi
}

# table FORMAT TITLE WITH_FLOOR ROWS...: each row "label|metric|median or total|ratio or -"
table() {
    local format=$1 title=$2 with_floor=$3 row label metric how ratios name v
    shift 3
    local columns=("${resolvers[@]}")
    [[ $with_floor == yes ]] && columns+=(floor)
    local cells
    if [[ $format == text ]]; then
        echo "$title"
        printf '%-42s' ""
        for name in "${columns[@]}"; do printf ' %9s' "$(display_name "$name")"; done
        for name in $PEERS; do printf ' %11s' "s7/$(display_name "$name")"; done
        echo
    else
        echo "**$title**"
        echo
        cells="| |"
        for name in "${columns[@]}"; do cells+=" $(version_of "$name") |"; done
        for name in $PEERS; do cells+=" stage 7 / $(display_name "$name") |"; done
        echo "$cells"
        cells="|---|"
        for _ in "${columns[@]}" $PEERS; do cells+="---:|"; done
        echo "$cells"
    fi
    for row in "$@"; do
        IFS='|' read -r label metric how ratios <<<"$row"
        if [[ $format == text ]]; then printf '%-42s' "$label"; else cells="| $label |"; fi
        local s7
        s7=$(value stage7 "$metric" "$how")
        for name in "${columns[@]}"; do
            if [[ $name == floor && $with_floor == yes ]]; then
                v=$( [[ -n ${results["floor $metric"]:-} && -z ${failed[floor]:-} ]] && value floor "$metric" "$how" || echo "")
            else
                v=$(value "$name" "$metric" "$how")
            fi
            if [[ $format == text ]]; then printf ' %9s' "$v"; else cells+=" $v |"; fi
        done
        for name in $PEERS; do
            v=-
            [[ $ratios == ratio ]] && v=$(ratio "$s7" "$(value "$name" "$metric" "$how")")
            if [[ $format == text ]]; then printf ' %11s' "$v"; else cells+=" $v |"; fi
        done
        if [[ $format == text ]]; then echo; else echo "$cells"; fi
    done
}

main_rows() {
    echo "cache-hit QPS ($HIT_NAMES names, warm)|hit_qps|median|ratio"
    echo "CPU us per cached answer|hit_cpu|median|ratio"
    echo "  of which system time (the kernel's)|hit_sys|median|ratio"
    echo "cache-miss QPS ($MISS_NAMES new names)|miss_qps|median|ratio"
    echo "CPU us per miss|miss_cpu|median|ratio"
    echo "  of which system time (the kernel's)|miss_sys|median|ratio"
    echo "RSS after the misses (MiB)|rss|median|ratio"
    echo "lost queries, hit runs (all rounds)|hit_lost|total|-"
    echo "lost queries, miss runs (all rounds)|miss_lost|total|-"
    echo "lost queries, latency runs (all rounds)|lat_lost|total|-"
    echo "answers other than NOERROR (all runs)|errors|total|-"
}
latency_rows() {
    echo "cached, $LAT_HIT_QPS QPS: p50 (us)|lat_hit_p50|median|ratio"
    echo "cached, $LAT_HIT_QPS QPS: p99 (us)|lat_hit_p99|median|ratio"
    echo "cached, $LAT_HIT_QPS QPS: p99.9 (us)|lat_hit_p999|median|ratio"
    echo "misses, $LAT_MISS_QPS QPS: p50 (us)|lat_miss_p50|median|ratio"
    echo "misses, $LAT_MISS_QPS QPS: p99 (us)|lat_miss_p99|median|ratio"
    echo "misses, $LAT_MISS_QPS QPS: p99.9 (us)|lat_miss_p999|median|ratio"
}
scale_rows() {
    echo "CPU us per cached answer, $HIT_NAMES cached|s_hit1k_cpu|median|ratio"
    echo "CPU us per cached answer, $SCALE_MISS_NAMES cached|s_hitbig_cpu|median|ratio"
    echo "cache-hit QPS, $HIT_NAMES cached|s_hit1k_qps|median|ratio"
    echo "cache-hit QPS, $SCALE_MISS_NAMES cached|s_hitbig_qps|median|ratio"
    echo "cache-miss QPS ($SCALE_MISS_NAMES new names)|s_miss_qps|median|ratio"
    echo "CPU us per miss|s_miss_cpu|median|ratio"
    echo "RSS after the misses (MiB)|s_rss|median|ratio"
    echo "RSS per cached name (bytes)|s_per_name|median|ratio"
    echo "lost queries|s_miss_lost|total|-"
}
validation_rows() {
    echo "cache-hit QPS ($HIT_NAMES names, warm)|v_hit_qps|median|ratio"
    echo "  validating / unsigned (part 1)|v_hit_qps/hit_qps|median|ratio"
    echo "CPU us per cached answer|v_hit_cpu|median|ratio"
    echo "  validating / unsigned|v_hit_cpu/hit_cpu|median|ratio"
    echo "cache-miss QPS ($MISS_NAMES new names)|v_miss_qps|median|ratio"
    echo "  validating / unsigned|v_miss_qps/miss_qps|median|ratio"
    echo "CPU us per miss|v_miss_cpu|median|ratio"
    echo "  validating / unsigned|v_miss_cpu/miss_cpu|median|ratio"
    echo "  of which system time (the kernel's)|v_miss_sys|median|ratio"
    echo "RSS after the misses (MiB)|v_rss|median|ratio"
    echo "  validating / unsigned|v_rss/rss|median|ratio"
    echo "lost queries, hit runs (all rounds)|v_hit_lost|total|-"
    echo "lost queries, miss runs (all rounds)|v_miss_lost|total|-"
    echo "answers other than NOERROR (all runs)|v_errors|total|-"
}

# ---------------------------------------------------------------------------
# Part 1.

peer_list() {
    local name out=()
    for name in stage7 $PEERS floor; do out+=("$(version_of "$name")"); done
    local IFS=,
    echo "${out[*]}" | sed 's/,/, /g'
}

echo "== make bench: $(peer_list); $threads thread(s) each (kresd: $threads processes)"
echo "== results into $results"
echo "== test bed with a zone of $ZONE_NAMES names, on port 53"
BENCH_NAMES=$ZONE_NAMES "$testbed" start "$work/testbed" 53 | sed 's/^/   /'

names_file "$work/hit.txt" 0 $HIT_NAMES
names_file "$work/miss.txt" $HIT_NAMES "$MISS_NAMES"
names_file "$work/lat-miss.txt" $((HIT_NAMES + MISS_NAMES)) $lat_miss_names

warm_up_authority "$work/hit.txt" "$work/miss.txt" "$work/lat-miss.txt"

for ((round = 1; round <= ROUNDS; round++)); do
    echo "== round $round of $ROUNDS"
    for name in $(in_round_order "$round" stage7 $PEERS floor); do
        [[ -n ${failed[$name]:-} ]] || measure "$name"
    done
done

date=$(date -u +%Y-%m-%d)
rounds_text="medians of $ROUNDS rounds"
((ROUNDS > 1)) || rounds_text="one round"
heading="make bench, $date, $threads cores; dnsperf ${DNSPERF_ARGS[*]} on the same cores; $rounds_text"
mapfile -t rows < <(main_rows)
mapfile -t lrows < <(latency_rows)

notes() {
    local name
    echo "versions: $(peer_list)"
    echo "floor: a responder that does no DNS work (canned_responder), the same threads, the same hit run"
    echo "s7/peer: stage 7's figure divided by the peer's (QPS: above 1 is better; CPU, RSS, latency: below 1 is better)"
    if [[ " $PEERS " == *" kresd "* && -z ${failed[kresd]:-} ]]; then
        echo "kresd: the RSS of its $threads processes and kres-cache-gc, less their mappings of the shared cache, plus the cache's pages in use (mdb_stat), once; the cache file (tmpfs) holds $(median kresd tmpfs) MiB, allocated whole"
    fi
    for name in "${!failed[@]}"; do echo "NOT MEASURED: $(version_of "$name"): ${failed[$name]}"; done
}

{
    echo
    table text "$heading" yes "${rows[@]}"
    echo
    table text "Latency at a fixed rate (dnsperf -Q, -v), microseconds; $rounds_text" yes "${lrows[@]}"
    notes
} | tee "$results/tables.txt"
{
    echo "# make bench, $date"
    echo
    table md "$heading" yes "${rows[@]}"
    echo
    table md "Latency at a fixed rate (dnsperf -Q), microseconds; $rounds_text" yes "${lrows[@]}"
    echo
    echo "![latency percentiles](latency.svg)"
    echo
    notes | sed 's/^/- /'
} >"$results/tables.md"

# The chart: p50, p99 and p99.9 of each resolver, cached and not.
{
    echo "# resolver hit_p50 hit_p99 hit_p99.9 miss_p50 miss_p99 miss_p99.9 (microseconds; ? not measured)"
    for name in stage7 $PEERS floor; do
        printf '%s' "$(display_name "$name")"
        for metric in lat_hit_p50 lat_hit_p99 lat_hit_p999 lat_miss_p50 lat_miss_p99 lat_miss_p999; do
            v=$(value "$name" "$metric" median)
            [[ $v =~ ^[0-9.]+$ ]] || v="?"
            printf ' %s' "$v"
        done
        echo
    done
} >"$results/latency.dat"
cat >"$results/latency.gnuplot" <<PLOT
set terminal svg size 1000,480 dynamic enhanced font "sans,12" background "white"
set output "$results/latency.svg"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [10:*]
set grid ytics
set ylabel "latency, microseconds (log scale)"
set key top left
set xtics nomirror
set multiplot layout 1,2 title "make bench, $date: latency at a fixed rate (dnsperf -Q), $rounds_text"
set title "cached answers, $LAT_HIT_QPS queries/s"
plot "$results/latency.dat" using 2:xtic(1) title "p50" lc rgb "#4477aa", "" using 3 title "p99" lc rgb "#ee6677", "" using 4 title "p99.9" lc rgb "#228833"
set title "cache misses, $LAT_MISS_QPS queries/s"
plot "< grep -v '^floor' $results/latency.dat" using 5:xtic(1) title "p50" lc rgb "#4477aa", "" using 6 title "p99" lc rgb "#ee6677", "" using 7 title "p99.9" lc rgb "#228833"
unset multiplot
PLOT
if command -v gnuplot >/dev/null; then
    gnuplot "$results/latency.gnuplot" 2>"$work/gnuplot.err" || { echo "bench: gnuplot failed:"; cat "$work/gnuplot.err"; }
else
    echo "bench: gnuplot is not installed: no chart (apt-get install gnuplot-nox)"
fi

part1_seconds=$((SECONDS - start_time))
echo "part 1 took $((part1_seconds / 60)) min $((part1_seconds % 60)) s"
for name in "${!failed[@]}"; do failed_main[$name]=${failed[$name]}; done
took() { # SINCE: "M min S s" since SINCE (in $SECONDS)
    local t=$((SECONDS - $1))
    echo "$((t / 60)) min $((t % 60)) s"
}

# ---------------------------------------------------------------------------
# Part 2.

if [[ $BENCH_SCALE != 0 ]]; then
    part2_start=$SECONDS
    echo
    echo "== part 2: the test bed again with a zone of $SCALE_ZONE_NAMES names; one round"
    "$testbed" stop "$work/testbed" >/dev/null
    BENCH_NAMES=$SCALE_ZONE_NAMES "$testbed" start "$work/testbed" 53 | sed 's/^/   /'
    names_file "$work/scale-miss.txt" $HIT_NAMES "$SCALE_MISS_NAMES"
    names_file "$work/scale-hit.txt" $HIT_NAMES "$SCALE_MISS_NAMES" shuffled
    warm_up_authority "$work/hit.txt" "$work/scale-miss.txt"
    for name in "${!failed[@]}"; do unset "failed[$name]"; done
    for name in stage7 $PEERS; do
        measure_scale "$name"
    done
    mapfile -t srows < <(scale_rows)
    sheading="How cost grows with work, $date: a zone of $SCALE_ZONE_NAMES names, one round"
    snotes() {
        local name
        echo "$SCALE_MISS_NAMES cached: a hit run over all $SCALE_MISS_NAMES names just missed, in a shuffled order, after a warm-up pass over them"
        echo "RSS per cached name: the RSS the $SCALE_MISS_NAMES misses added, divided by $SCALE_MISS_NAMES"
        echo "caches: stage 7 --cache-size 1024, Unbound msg 512m + rrset 1024m, pdns 4,000,000 entries each, kresd cache.size 1024 MB"
        if [[ " $PEERS " == *" kresd "* && -z ${failed[kresd]:-} ]]; then
            echo "kresd: RSS counted as in the first table; the cache file (tmpfs) holds $(median kresd s_tmpfs) MiB, allocated whole"
        fi
        for name in "${!failed[@]}"; do echo "NOT MEASURED: $(version_of "$name"): ${failed[$name]}"; done
    }
    {
        echo
        table text "$sheading" no "${srows[@]}"
        snotes
    } | tee -a "$results/tables.txt"
    {
        echo
        table md "$sheading" no "${srows[@]}"
        echo
        snotes | sed 's/^/- /'
    } >>"$results/tables.md"
    echo "part 2 took $(took $part2_start)"
else
    echo
    echo "== part 2 (a zone of $SCALE_ZONE_NAMES names) skipped: BENCH_SCALE=0"
fi

# ---------------------------------------------------------------------------
# Part 3.

if [[ $BENCH_VALIDATION != 0 ]]; then
    part3_start=$SECONDS
    echo
    echo "== part 3: the cost of validation: the test bed again with the zone of $ZONE_NAMES names, signed; $ROUNDS round(s)"
    "$testbed" stop "$work/testbed" >/dev/null
    # Knot signs the 100,000 names at its start (29 s once, loaded): allow more.
    BENCH_NAMES=$ZONE_NAMES BENCH_SIGNED=1 TESTBED_WAIT_MS=${TESTBED_WAIT_MS:-180000} \
        "$testbed" start "$work/testbed" 53 | sed 's/^/   /'
    echo "   the test bed took $(took $part3_start) to start"
    warm_up_authority -D "$work/hit.txt" "$work/miss.txt"
    for name in "${!failed[@]}"; do unset "failed[$name]"; done
    errors_metric=v_errors
    for ((round = 1; round <= ROUNDS; round++)); do
        echo "== part 3, round $round of $ROUNDS"
        for name in $(in_round_order "$round" stage7 $PEERS); do
            [[ -n ${failed[$name]:-} ]] || measure_validation "$name"
        done
    done
    mapfile -t vrows < <(validation_rows)
    vheading="The cost of validation, $date: every resolver validating, the zone of $ZONE_NAMES names signed; $rounds_text"
    vnotes() {
        local name
        echo "signed: bench.lab. by Knot (ECDSA P-256, NSEC), its DS in lab.; the test bed's root key the trust anchor of every resolver"
        echo "validating: stage 7 --trust-anchor; Unbound module-config \"validator iterator\", trust-anchor-file; pdns dnssec=validate, addTA; kresd trust_anchors.add_file; the rest as in the first table (QNAME minimisation off)"
        echo "the queries: the same names as in the first table, as dnsperf sends them there (without DO: the answers carry no RRSIG)"
        echo "validating / unsigned: each resolver's figure here over its own in the first table (the same run); s7/peer in those rows: stage 7's ratio over the peer's"
        echo "checked before measuring: n0.bench.lab A with DO is NOERROR with the AD flag; www.expired.lab A (expired signatures) is SERVFAIL"
        for name in "${!failed[@]}"; do echo "NOT MEASURED: $(version_of "$name"): ${failed[$name]}"; done
    }
    {
        echo
        table text "$vheading" no "${vrows[@]}"
        vnotes
    } | tee -a "$results/tables.txt"
    {
        echo
        table md "$vheading" no "${vrows[@]}"
        echo
        vnotes | sed 's/^/- /'
    } >>"$results/tables.md"
    echo "part 3 took $(took $part3_start)"
else
    echo
    echo "== part 3 (the cost of validation) skipped: BENCH_VALIDATION=0"
fi

elapsed=$((SECONDS - start_time))
echo
echo "the whole run took $((elapsed / 60)) min $((elapsed % 60)) s" | tee -a "$results/tables.txt"
echo "results: $results/tables.txt, tables.md, latency.svg (the chart), latency.dat, bench.log"
# Made with sudo: the results belong to whoever asked for them.
if [[ -n ${SUDO_UID:-} && -n ${SUDO_GID:-} ]]; then
    chown -R "$SUDO_UID:$SUDO_GID" "$results" 2>/dev/null || true
fi
