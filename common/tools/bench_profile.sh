#!/usr/bin/env bash
# bench_profile.sh: where the newest stage spends a cache miss, in the test bed
# of make bench (a zone of 100,000 names on port 53). A tool for the speed
# work, not part of make bench:
#
#   sudo common/tools/bench_profile.sh [STAGE_DIR]   (default: the newest stage)
#
# In a fresh resolver each time, configured as make bench configures it:
#   1. perf record -g on the resolver while dnsperf asks PROFILE_MISS_NAMES
#      (50,000) new names as fast as it answers; perf report --no-children
#      (where the samples fell, by function, and by program or library);
#      then the same with --call-graph dwarf over PROFILE_DWARF_NAMES (10,000),
#      for the time of each function with what it calls (perf report --children);
#   2. perf stat on a uprobe on the C library's malloc during the same kind of
#      run, PROFILE_SHORT_NAMES (2,000) names: allocations per miss;
#   3. strace -c -f, attached to the running resolver, over PROFILE_SHORT_NAMES
#      misses: system calls per miss, by call, for the stage and, beside it,
#      for Unbound configured as make bench configures it.
# The reports go to BENCH_RESULTS/profile (default bench-results/profile). It
# takes about a minute. It needs root: the test bed on port 53, perf on
# another process and the kernel's symbols.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
    echo "bench_profile: stopped: it must run as root (the test bed on port 53, perf). Run:" >&2
    echo "    sudo $0 $*" >&2
    exit 1
fi
cd "$(dirname "$0")/../.."
stage=${1:-$(ls -d stage[1-7]_* | sort | tail -1)}
resolver=build/$stage/resolver
[[ -x $resolver ]] || { echo "bench_profile: $resolver is not built (run make)" >&2; exit 1; }
for tool in perf strace dnsperf unbound; do
    command -v "$tool" >/dev/null || { echo "bench_profile: $tool is missing: common/tools/install_deps.sh bench" >&2; exit 1; }
done
MISS_NAMES=${PROFILE_MISS_NAMES:-50000}
SHORT_NAMES=${PROFILE_SHORT_NAMES:-2000}
DWARF_NAMES=${PROFILE_DWARF_NAMES:-10000}
read -r -a DNSPERF_ARGS <<<"${DNSPERF_ARGS:--c 8 -T 2 -q 100}"
out=${BENCH_RESULTS:-bench-results}/profile
mkdir -p "$out"
out=$(cd "$out" && pwd -P)
PORT=5390
testbed=stage4_testbed/testbed/testbed.sh
threads=$(nproc)

work=$(mktemp -d /tmp/bench-profile.XXXXXX)
chmod 755 "$work"
pid=
cleanup() {
    if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    perf probe -q -d 'probe_libc:malloc' >/dev/null 2>&1 || true
    "$testbed" stop "$work/testbed" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== test bed with a zone of 100000 names, on port 53"
BENCH_NAMES=100000 "$testbed" start "$work/testbed" 53 | sed 's/^/   /'
awk -v n="$MISS_NAMES" 'BEGIN { for (i = 1000; i < 1000 + n; i++) printf "n%d.bench.lab A\n", i }' >"$work/miss.txt"
head -n "$SHORT_NAMES" "$work/miss.txt" >"$work/short.txt"
head -n "$DWARF_NAMES" "$work/miss.txt" >"$work/dwarf.txt"

flags=(--listen "127.0.0.1:$PORT" --root-hints "$work/testbed/root.hints" --quiet --threads "$threads" --cache-size 256)
help=$("$resolver" --help 2>&1 || true)
grep -q -- '--qname-minimisation' <<<"$help" && flags+=(--qname-minimisation off)
grep -q -- '--no-validation' <<<"$help" && flags+=(--no-validation)

cat >"$work/unbound.conf" <<CONF
server:
    interface: 127.0.0.1@$PORT
    num-threads: $threads
    so-reuseport: yes
    msg-cache-size: 64m
    rrset-cache-size: 128m
    do-not-query-localhost: no
    do-ip6: no
    module-config: "iterator"
    qname-minimisation: no
    root-hints: "$work/testbed/root.hints"
    access-control: 127.0.0.0/8 allow
    username: ""
    chroot: ""
    directory: "$work"
    pidfile: "$work/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 0
CONF

wait_ready() {
    for _ in $(seq 150); do
        dig @127.0.0.1 -p $PORT +tries=1 +time=1 n0.bench.lab >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "bench_profile: the resolver did not answer" >&2
    exit 1
}
start() { "$@" >>"$work/server.log" 2>&1 & pid=$!; wait_ready; }
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
misses() { dnsperf -s 127.0.0.1 -p $PORT -d "$1" "${DNSPERF_ARGS[@]}" -t 5 -n 1 >"$work/dnsperf.out" 2>&1 || true
    awk '/Queries completed:/ { c = $3 } /Queries lost:/ { l = $3 } /Queries per second:/ { q = $4 }
         END { printf "%d answered, %d lost, %.0f QPS", c, l, q }' "$work/dnsperf.out"; }

echo "== 1. perf record -g on $stage during $MISS_NAMES misses"
start "$resolver" "${flags[@]}"
perf record -g -o "$work/perf.data" -p "$pid" >"$work/perf-record.log" 2>&1 &
perf_pid=$!
sleep 0.5
echo "   $(misses "$work/miss.txt")"
kill -INT "$perf_pid"
wait "$perf_pid" 2>/dev/null || true
stop
perf report -i "$work/perf.data" --no-children --stdio 2>/dev/null >"$out/perf-report.txt" || true
perf report -i "$work/perf.data" --no-children --stdio --sort dso -g none 2>/dev/null | grep -v '^#' | grep . >"$out/perf-by-dso.txt" || true
perf report -i "$work/perf.data" --no-children --stdio --sort sym -g none 2>/dev/null | grep -v '^#' | grep . | head -40 >"$out/perf-by-symbol.txt" || true
# The kernel's stacks are whole with -g: the time of each system call with
# all the kernel does in it (for sendto on loopback, the delivery into the
# receiver's socket and its wake-up too).
perf report -i "$work/perf.data" --children --stdio --sort sym -g none 2>/dev/null |
    grep -E '\[k\] __x64_sys_' | head -15 >"$out/perf-syscalls.txt" || true
echo "   by program or library:"
head -8 "$out/perf-by-dso.txt" | sed 's/^/     /'
echo "   system calls, with what the kernel does in them (children included):"
sed 's/^/     /' "$out/perf-syscalls.txt"
echo "   by function (self time, top 30):"
head -30 "$out/perf-by-symbol.txt" | sed 's/^/     /'

# The same with DWARF call graphs (the build has no frame pointers, so -g
# cannot walk the stage's own stack): time inclusive of callees, by function.
echo "== 1b. perf record --call-graph dwarf during $DWARF_NAMES misses: inclusive time of the stage's functions"
start "$resolver" "${flags[@]}"
perf record --call-graph dwarf,16384 -o "$work/perf-dwarf.data" -p "$pid" >"$work/perf-record.log" 2>&1 &
perf_pid=$!
sleep 0.5
echo "   $(misses "$work/dwarf.txt")"
kill -INT "$perf_pid"
wait "$perf_pid" 2>/dev/null || true
stop
perf report -i "$work/perf-dwarf.data" --children --stdio --sort sym -g none 2>/dev/null |
    grep -v '^#' | grep . | head -80 >"$out/perf-inclusive.txt" || true
grep -E 'dns::|malloc|free|operator new|__libc_(sendto|recvfrom|close|socket)|epoll' "$out/perf-inclusive.txt" |
    head -30 | cut -c1-160 | sed 's/^/     /'

echo "== 2. allocations per miss (a uprobe on malloc), $SHORT_NAMES misses"
libc=$(ldd "$resolver" | awk '$1 ~ /^libc\.so/ { print $3 }')
if perf probe -q -x "$libc" malloc >/dev/null 2>&1; then
    start "$resolver" "${flags[@]}"
    perf stat -e probe_libc:malloc -p "$pid" -o "$work/perf-stat.txt" >/dev/null 2>&1 &
    stat_pid=$!
    sleep 0.5
    echo "   $(misses "$work/short.txt")"
    sleep 0.2
    kill -INT "$stat_pid"
    wait "$stat_pid" 2>/dev/null || true
    stop
    answered=$(awk '/Queries completed:/ { print $3 }' "$work/dnsperf.out")
    mallocs=$(awk '/probe_libc:malloc/ { gsub(",", "", $1); print $1 }' "$work/perf-stat.txt")
    echo "   malloc calls: $mallocs, per miss: $(awk -v m="$mallocs" -v n="$answered" 'BEGIN { printf "%.1f", n ? m / n : 0 }')" |
        tee "$out/allocations.txt"
    perf probe -q -d 'probe_libc:malloc' >/dev/null 2>&1 || true
else
    echo "   (perf probe cannot put a uprobe on $libc's malloc here: skipped)" | tee "$out/allocations.txt"
fi

# strace_run NAME COMMAND...: strace -c -f attached to the running resolver
# (all its threads) over SHORT_NAMES misses, then detached (SIGINT), which
# writes the summary; the resolver is stopped as usual afterwards.
strace_run() {
    local name=$1 answered strace_pid
    shift
    start "$@"
    strace -f -c -S calls -o "$work/strace-$name.txt" -p "$pid" 2>>"$work/strace.log" &
    strace_pid=$!
    sleep 1
    echo "   $name: $(misses "$work/short.txt")"
    answered=$(awk '/Queries completed:/ { print $3 }' "$work/dnsperf.out")
    kill -INT "$strace_pid"
    wait "$strace_pid" 2>/dev/null || true
    stop
    awk -v n="$answered" -v name="$name" '
        /^-/ { next }
        $NF == "total" { printf "   %s: %d system calls while attached, %.1f per miss (over %d misses)\n", name, $4, $4 / n, n; next }
        NF >= 5 && $1 ~ /^[0-9.]+$/ { calls = $4; sys = $NF; per[sys] = calls / n; order[++k] = sys; pct[sys] = $1 }
        END { for (i = 1; i <= k && i <= 12; i++) printf "     %-16s %6.2f per miss  (%s%% of the time in system calls)\n", order[i], per[order[i]], pct[order[i]] }' \
        "$work/strace-$name.txt" | tee -a "$out/syscalls.txt"
    cp "$work/strace-$name.txt" "$out/strace-$name.txt"
}
echo "== 3. strace -c -f over $SHORT_NAMES misses"
: >"$out/syscalls.txt"
strace_run "$stage" "$resolver" "${flags[@]}"
strace_run unbound unbound -d -c "$work/unbound.conf"

echo "== reports in $out: perf-report.txt (perf report --no-children --stdio), perf-by-dso.txt,"
echo "   perf-by-symbol.txt, perf-syscalls.txt, perf-inclusive.txt, allocations.txt, syscalls.txt, strace-*.txt"
if [[ -n ${SUDO_UID:-} && -n ${SUDO_GID:-} ]]; then
    chown -R "$SUDO_UID:$SUDO_GID" "$(dirname "$out")" 2>/dev/null || true
fi
