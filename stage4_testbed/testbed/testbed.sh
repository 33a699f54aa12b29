#!/usr/bin/env bash
# testbed.sh -- a small DNS hierarchy on loopback, served by Knot DNS.
#
#   testbed.sh start  RUNDIR PORT   start one knotd per server, wait until all answer
#   testbed.sh stop   RUNDIR        stop them again (safe to run twice)
#   testbed.sh status RUNDIR        show which servers run and answer
#
# Everything a run creates (configs, pid files, logs, Knot's database) goes
# into RUNDIR.  The zone files in zones/ are only read.  Works as root and
# as an ordinary user (then PORT must be 1024 or above).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ZONES=$HERE/zones
TEMPLATE=$HERE/knot.conf.in
WAIT_MS=10000            # how long start waits for all servers together

# One knotd per line: server name, address, the zone it serves.
# (Knot's "listen" is global to an instance, so a server that must answer
# on its own address, and only for its own zone, needs its own knotd.)
SERVERS='
a.root-servers.test   127.53.0.1   .
b.root-servers.test   127.53.0.2   .
ns.nic.test           127.53.3.1   test.
ns1.nic.lab           127.53.1.1   lab.
ns2.nic.lab           127.53.1.2   lab.
ns1.nic.learn         127.53.2.1   learn.
ns1.example.lab       127.53.10.1  example.lab.
ns2.example.lab       127.53.10.2  example.lab.
ns.school.learn       127.53.11.1  school.learn.
ns.dept.school.learn  127.53.12.1  dept.school.learn.
ns1.hosting.learn     127.53.13.1  hosting.learn.
ns.hosting.learn      127.53.13.2  noglue.lab.
'

die()     { echo "testbed: $*" >&2; exit 1; }
servers() { grep -v '^$' <<<"$SERVERS"; }          # the table, no blank lines
now_ms()  { local t=${EPOCHREALTIME//[.,]/}; echo $((t / 1000)); }

zonefile() {                                        # . -> root.zone, lab. -> lab.zone
  if [[ $1 == . ]]; then echo "$ZONES/root.zone"; else echo "$ZONES/${1%.}.zone"; fi
}

# ours PID DIR: true if PID is a live (not zombie) knotd started with DIR's
# config.  Guards against stale pid files whose number was reused.
ours() {
  local stat args
  read -r stat args < <(ps -o stat=,args= -p "$1" 2>/dev/null) || return 1
  [[ $stat != Z* && $args == "knotd -c $2/knot.conf" ]]
}

# running DIR: print the pid of DIR's knotd if it runs (per DIR/knotd.pid).
running() {
  local pid
  pid=$(cat "$1/knotd.pid" 2>/dev/null) && ours "$pid" "$1" && echo "$pid"
}

# check_access RUNDIR: fail clearly if another user's test bed is in RUNDIR.
check_access() {
  local f
  for f in "$1"/*/knotd.pid; do
    [[ ! -e $f || -r $f ]] || die "cannot read $f (test bed of another user?)"
  done
}

# answers ADDR PORT ZONE: true if the server at ADDR gives the SOA of ZONE.
# (dig, not kdig: dig gives up at once on "connection refused", kdig
# waits for the whole timeout.)
answers() {
  local out
  out=$(dig @"$1" -p "$2" +time=1 +tries=1 +norec +short SOA "$3" 2>/dev/null) || return 1
  [[ -n $out && $out != ';'* ]]
}

# fill_template NAME ADDR PORT ZONE DIR: print a knot.conf for one server.
fill_template() {
  local c
  c=$(<"$TEMPLATE")
  c=${c//'{{NAME}}'/"$1"};  c=${c//'{{ADDR}}'/"$2"};  c=${c//'{{PORT}}'/"$3"}
  c=${c//'{{ZONEFILE}}'/"$(zonefile "$4")"};  c=${c//'{{ZONE}}'/"$4"}
  c=${c//'{{DIR}}'/"$5"}
  printf '%s\n' "$c"
}

# terminate PID:DIR...: SIGTERM, wait up to 5 s for a clean exit, then SIGKILL.
terminate() {
  local p deadline=$(($(now_ms) + 5000))
  local -a left
  for p in "$@"; do kill -TERM "${p%%:*}" 2>/dev/null || true; done
  while (($# > 0)) && (($(now_ms) < deadline)); do
    sleep 0.05
    left=()
    for p in "$@"; do ours "${p%%:*}" "${p#*:}" && left+=("$p"); done
    set -- "${left[@]}"                   # keep only those still running
  done
  for p in "$@"; do
    echo "testbed: knotd ${p%%:*} ignored SIGTERM, killing it" >&2
    kill -KILL "${p%%:*}" 2>/dev/null || true
  done
}

cmd_start() {
  local rundir=$1 port=$2 name addr zone dir pid t0 i
  local -a pids=() names=() addrs=() zones=()

  if [[ ! $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then die "bad port '$port'"; fi
  ((port >= 1024 || EUID == 0)) || die "port $port is below 1024: needs root"
  command -v knotd >/dev/null || die "knotd is needed (Debian: apt-get install knot)"
  command -v dig >/dev/null || die "dig is needed (Debian: apt-get install bind9-dnsutils)"
  mkdir -p "$rundir" 2>/dev/null || die "cannot create $rundir as user $(id -un)"
  rundir=$(cd "$rundir" && pwd -P)
  [[ -w $rundir ]] || die "$rundir is not writable by user $(id -un)"
  [[ $rundir =~ ^[A-Za-z0-9_./+-]+$ ]] || die "RUNDIR must not contain spaces or special characters"
  # knotd's control socket RUNDIR/<server>/knot.sock must fit in 107 bytes.
  ((${#rundir} <= 75)) || die "RUNDIR path is too long (max 75 characters): $rundir"
  [[ -r $ZONES/root.zone ]] || die "user $(id -un) cannot read the zone files in $ZONES"

  # Refuse to start twice, and refuse a port someone else already answers on.
  check_access "$rundir"
  while read -r name addr zone; do
    dir=$rundir/$name
    if running "$dir" >/dev/null; then
      die "already running in $rundir (run: $0 stop $rundir)"
    fi
    if dig @"$addr" -p "$port" +time=1 +tries=1 SOA . >/dev/null 2>&1; then
      die "something already answers on $addr port $port (another test bed?)"
    fi
  done < <(servers)

  # Write one config per server and start its knotd in the background.
  # knotd stays in the foreground (no -d), so $! is its pid right away;
  # knotd itself writes the same pid to DIR/knotd.pid, which "stop" uses.
  t0=$(now_ms)
  while read -r name addr zone; do
    dir=$rundir/$name
    mkdir -p "$dir/db" 2>/dev/null || die "cannot write $dir"
    rm -f "$dir/knotd.pid" "$dir/knot.sock"
    fill_template "$name" "$addr" "$port" "$zone" "$dir" >"$dir/knot.conf"
    : >"$dir/knotd.log"
    knotd -c "$dir/knot.conf" </dev/null >>"$dir/knotd.log" 2>&1 &
    pids+=("$!") names+=("$name") addrs+=("$addr") zones+=("$zone")
  done < <(servers)

  # Wait until every server answers its own SOA (all share one deadline).
  for i in "${!pids[@]}"; do
    dir=$rundir/${names[i]}
    until [[ -s $dir/knotd.pid ]] && answers "${addrs[i]}" "$port" "${zones[i]}"; do
      # Give up if knotd died, logged an error (e.g. a bad zone file), or is too slow.
      if ! ours "${pids[i]}" "$dir" || grep -qE ' (error|critical): ' "$dir/knotd.log" ||
        (($(now_ms) - t0 > WAIT_MS)); then
        echo "testbed: ${names[i]} (${addrs[i]}@$port) did not come up; from $dir/knotd.log:" >&2
        { grep -E ' (error|critical): ' "$dir/knotd.log" || tail -n 5 "$dir/knotd.log"; } | sed 's/^/    /' >&2
        for pid in "${!pids[@]}"; do pids[pid]="${pids[pid]}:$rundir/${names[pid]}"; done
        terminate "${pids[@]}"     # stop the servers that did come up
        exit 1
      fi
      sleep 0.05
    done
  done

  # Root hints in named.root format, for the resolver under test.
  {
    echo "; root.hints -- the test bed's root servers (written by testbed.sh)."
    echo "; They listen on port $port, not 53."
    servers | awk '$3 == "." { printf "%-24s 3600000  NS  %s.\n", ".", $1 }'
    servers | awk '$3 == "." { printf "%-24s 3600000  A   %s\n", $1 ".", $2 }'
  } >"$rundir/root.hints"
  echo "$port" >"$rundir/port"

  echo "testbed: ${#pids[@]} servers up on 127.53.x.y port $port in $(($(now_ms) - t0)) ms"
  echo "testbed: root hints in $rundir/root.hints; stop with: $0 stop $rundir"
}

cmd_stop() {
  local rundir=$1 f dir pid
  local -a pids=()
  [[ -d $rundir ]] || { echo "testbed: nothing running in $rundir"; return 0; }
  rundir=$(cd "$rundir" && pwd -P)
  check_access "$rundir"

  for f in "$rundir"/*/knotd.pid; do
    dir=${f%/knotd.pid}
    if pid=$(running "$dir"); then
      kill -0 "$pid" 2>/dev/null || die "cannot signal knotd $pid (started by another user?)"
      pids+=("$pid:$dir")
    fi
  done

  terminate "${pids[@]}"
  rm -f "$rundir"/*/knotd.pid 2>/dev/null || true
  echo "testbed: stopped ${#pids[@]} servers in $rundir"
}

cmd_status() {
  local rundir=$1 port name addr zone dir pid state up=0 total=0
  [[ -d $rundir ]] || die "no test bed in $rundir"
  rundir=$(cd "$rundir" && pwd -P)
  check_access "$rundir"
  port=$(cat "$rundir/port" 2>/dev/null || echo 0)
  while read -r name addr zone; do
    dir=$rundir/$name
    total=$((total + 1))
    if ! pid=$(running "$dir"); then
      state=stopped
    elif answers "$addr" "$port" "$zone"; then
      state="up (pid $pid)"; up=$((up + 1))
    else
      state="running but NOT answering (pid $pid)"
    fi
    printf '%-22s %-12s %-19s %s\n' "$name" "$addr@$port" "$zone" "$state"
  done < <(servers)
  echo "testbed: $up of $total servers up"
  ((up == total))
}

case "${1:-} $#" in
  "start 3")  cmd_start "$2" "$3" ;;
  "stop 2")   cmd_stop "$2" ;;
  "status 2") cmd_status "$2" ;;
  *) echo "usage: $0 start RUNDIR PORT | stop RUNDIR | status RUNDIR" >&2; exit 2 ;;
esac
