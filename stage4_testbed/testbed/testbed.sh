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
#
# If the environment variable SCRIPTED_RESPONDER names the scripted
# responder's binary (responder/, built by the project's Makefile), start
# also runs it: it plays the misbehaving servers 127.53.20.k (RESPONDER below).
#
# A signed world (DNSSEC): the root, lab., learn., example.lab., nsec3.lab.
# and nsec.lab. are signed by Knot at start (SIGNED_ZONES), with keys made
# fresh into RUNDIR, each one's DS in RUNDIR's copy of its parent's zone file,
# the root's in RUNDIR/root-anchor.ds (the trust anchor of a validating
# resolver); seven zones are signed wrong on purpose (BOGUS_ZONES), with
# ldns-signzone.  One server listens on the IPv6 loopback ::1, if the machine
# has it (otherwise start says so and leaves it out).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ZONES=$HERE/zones
TEMPLATE=$HERE/knot.conf.in
# How long start waits for all servers together; a signed bench zone of many
# names (BENCH_SIGNED) takes Knot longer to sign, and bench.sh allows more.
WAIT_MS=${TESTBED_WAIT_MS:-10000}

# The zones B.lab. that lab. delegates to a misbehaving server (played by the
# scripted responder) AND to one correct Knot server, ns2.misbehaving.lab.
MISBEHAVING_ZONES=(silent.lab. slow.lab. lame-noaa.lab. truncating.lab. wrong-address.lab.
  wrong-id.lab. wrong-question.lab. garbage.lab. servfail.lab. refused.lab.)

# The zones signed WRONG on purpose, so that a validating resolver must find
# them bogus (RFC 4035 section 5.5: SERVFAIL).  Children of lab., each with
# a DS there, all served by ns.bogus.lab (127.53.16.1), each with www.ZONE A
# 192.0.2.17k (k = 1 for the first).  Pre-signed at start with ldns-signzone
# into RUNDIR/ns.bogus.lab/presigned/ and spoiled as its name says
# (make_bogus_zones); knotd serves them as they are.
BOGUS_ZONES=(expired.lab. not-yet-valid.lab. ds-mismatch.lab. no-rrsig.lab.
  unknown-key.lab. nsec3-gap.lab. no-dnskey.lab.)

# One knotd per line: server name, address, the zones it serves.
# (Knot's "listen" is global to an instance, so a server that must answer
# on its own address, and only for its own zones, needs its own knotd.)
SERVERS="
a.root-servers.test   127.53.0.1   .
b.root-servers.test   127.53.0.2   .
ns.nic.test           127.53.3.1   test.
ns1.nic.lab           127.53.1.1   lab.
ns2.nic.lab           127.53.1.2   lab.
ns1.nic.learn         127.53.2.1   learn.
ns1.example.lab       127.53.10.1  example.lab. types.example.lab.
ns2.example.lab       127.53.10.2  example.lab. types.example.lab.
ns.school.learn       127.53.11.1  school.learn.
ns.dept.school.learn  127.53.12.1  dept.school.learn.
ns1.hosting.learn     127.53.13.1  hosting.learn.
ns.hosting.learn      127.53.13.2  noglue.lab.
ns2.misbehaving.lab   127.53.21.1  ${MISBEHAVING_ZONES[*]}
ns.signed.lab         127.53.14.1  nsec3.lab. nsec.lab.
ns.broken.lab         127.53.15.1  broken.lab. victim.learn.
ns.bogus.lab          127.53.16.1  ${BOGUS_ZONES[*]}
ns.ipv6.lab           ::1          ipv6.lab. ipv6-noglue.lab.
"

# The zones that Knot signs (DNSSEC, RFC 4033-4035), as ZONE=POLICY: the
# policies are in knot.conf.in, each with its algorithm (and denial of
# existence with NSEC, RFC 4034 section 4, or NSEC3, RFC 5155).  The DS of
# each goes into its parent's zone (make_keys); the root's is the trust
# anchor.  Every other zone is unsigned: insecure, its parent's NSEC or NSEC3
# records prove that it has no DS (test. too: a TLD without a DS).
SIGNED_ZONES=(
  .=root                # RSASHA256 (8), NSEC
  lab.=lab              # ECDSAP256SHA256 (13), NSEC
  learn.=learn          # ED25519 (15), NSEC3 with opt-out
  example.lab.=example  # ED448 (16), NSEC
  nsec3.lab.=nsec3      # ECDSAP384SHA384 (14), NSEC3
  nsec.lab.=nsec        # ECDSAP256SHA256 (13), NSEC
)

# The scripted responder: one address per behaviour, all on the test bed's
# port, as ADDRESS=BEHAVIOUR (the responder's own syntax); the rest of a line
# says which names of lab. lead there (zones/lab.zone).
RESPONDER='
127.53.20.1=silent                      ns1.silent.lab          ns.only-silent.lab
127.53.20.2=slow:300                    ns1.slow.lab            ns.only-slow.lab
127.53.20.3=lame                        ns1.lame-noaa.lab       ns.only-lame.lab
127.53.20.4=truncating                  ns1.truncating.lab      ns.only-truncating.lab
127.53.20.5=wrong-address:127.53.20.105 ns1.wrong-address.lab   ns.only-wrong-address.lab
127.53.20.6=wrong-id                    ns1.wrong-id.lab        ns.only-wrong-id.lab
127.53.20.7=wrong-question              ns1.wrong-question.lab  ns.only-wrong-question.lab
127.53.20.8=garbage                     ns1.garbage.lab         ns.only-garbage.lab
127.53.20.9=servfail                    ns1.servfail.lab        ns.only-servfail.lab
127.53.20.10=refused                    ns1.refused.lab         ns.only-refused.lab
127.53.20.11=slow:3000                                          ns.only-very-slow.lab
127.53.20.12=good                                               ns.only-good.lab
127.53.20.13=no-edns                                            ns.only-no-edns.lab
127.53.20.14=nodata-noaa                                        ns.only-nodata-noaa.lab
'

die()     { echo "testbed: $*" >&2; exit 1; }

# True if this machine has the IPv6 loopback address ::1 (Linux lists every
# IPv6 address in /proc/net/if_inet6, ::1 as 31 zeros and a 1; the file is
# empty or missing when IPv6 is disabled).  Without it, the servers on IPv6
# addresses are left out of the table.
have_ipv6_loopback() { grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; }

# The table, no blank lines; without ::1, only the IPv4 servers.
servers() {
  if have_ipv6_loopback; then grep -v '^$' <<<"$SERVERS"; else awk 'NF && $2 !~ /:/' <<<"$SERVERS"; fi
}
ipv6_servers() { awk '$2 ~ /:/ { print $1 }' <<<"$SERVERS"; }
responder_table() { awk 'NF { print $1 }' <<<"$RESPONDER"; }   # ADDRESS=BEHAVIOUR lines
now_ms()  { local t=${EPOCHREALTIME//[.,]/}; echo $((t / 1000)); }

# The zones served from a file that start makes in RUNDIR, not from zones/,
# as ZONE_FILE[ZONE]=PATH: the copies with DS records (copy_zone_files), the
# bogus zones, bench.lab.
declare -A ZONE_FILE=()
zonefile() {                                        # . -> root.zone, lab. -> lab.zone
  if [[ -n ${ZONE_FILE[$1]:-} ]]; then echo "${ZONE_FILE[$1]}"
  elif [[ $1 == . ]]; then echo "$ZONES/root.zone"
  else echo "$ZONES/${1%.}.zone"; fi
}

# A zone for benchmarks (make bench): with BENCH_NAMES=N in the environment,
# start also serves bench.lab. with N names n0 ... n<N-1>.bench.lab, one A
# record each, from its own server ns.bench.lab at 127.53.40.1 (delegated from
# lab.). The zone file is generated into RUNDIR. Without BENCH_NAMES, nothing
# listens at 127.53.40.1. With BENCH_SIGNED=1 too, Knot signs it (ECDSA
# P-256, NSEC, as nsec.lab.) and its DS goes into lab.: a validating
# resolver's misses then cost a signature check each (make bench's
# validation figures).
add_bench_zone() {                                  # RUNDIR
  local names=$BENCH_NAMES
  [[ $names =~ ^[0-9]+$ ]] && ((names > 0 && names <= 1000000)) ||
    die "BENCH_NAMES must be a number from 1 to 1000000, not '$names'"
  ZONE_FILE[bench.lab.]=$1/bench.lab.zone
  awk -v n="$names" 'BEGIN {
    print "$ORIGIN bench.lab."; print "$TTL 3600"
    print "@  IN SOA ns.bench.lab. hostmaster.bench.lab. 1 7200 1800 1209600 300"
    print "@  IN NS  ns.bench.lab."; print "ns IN A   127.53.40.1"
    for (i = 0; i < n; i++) printf "n%d IN A 198.18.%d.%d\n", i, int(i / 256) % 256, i % 256
  }' >"${ZONE_FILE[bench.lab.]}"
  SERVERS+=$'ns.bench.lab          127.53.40.1  bench.lab.\n'
  [[ ${BENCH_SIGNED:-0} != 1 ]] || SIGNED_ZONES+=(bench.lab.=nsec)
}

# policy_of ZONE: print the DNSSEC policy of ZONE; false if it is not signed.
policy_of() {
  local entry
  for entry in "${SIGNED_ZONES[@]}"; do
    if [[ ${entry%%=*} == "$1" ]]; then echo "${entry#*=}"; return 0; fi
  done
  return 1
}

# parent_of ZONE: print the test bed's zone that ZONE is delegated from (the
# closest zone above it that a server serves); false for the root.
ALL_ZONES=''                     # " ZONE ZONE ... ": every zone served (copy_zone_files)
parent_of() {
  local name=$1
  while [[ $name != . ]]; do
    name=${name#*.}
    [[ -n $name ]] || name=.
    if [[ $ALL_ZONES == *" $name "* ]]; then echo "$name"; return 0; fi
  done
  return 1
}

# copy_zone_files RUNDIR: before any config is written, decide which zones are
# served from a file made in RUNDIR (ZONE_FILE): the parent of every signed or
# bogus zone gets a copy of its zone file, RUNDIR/<its file name in zones/>,
# to which add_all_ds appends the DS records of its children, as made by
# make_keys and make_bogus_zones (RFC 4034 section 5: the hash of a child's
# key-signing key, the link of the chain of trust; the keys are new at every
# start, so no DS can be written in zones/); each bogus zone is made in
# RUNDIR/ns.bogus.lab/presigned/.
copy_zone_files() {
  local rundir=$1 entry zone parent copy
  local -a children=()
  ALL_ZONES=" $(servers | awk '{ for (i = 3; i <= NF; i++) printf "%s ", $i }')"
  for entry in "${SIGNED_ZONES[@]}"; do children+=("${entry%%=*}"); done
  children+=("${BOGUS_ZONES[@]}")
  for zone in "${children[@]}"; do
    parent=$(parent_of "$zone") || continue           # the root: its DS is the trust anchor
    [[ -z ${ZONE_FILE[$parent]:-} ]] || continue      # copied already
    copy=$rundir/$(basename "$(zonefile "$parent")")
    {
      cat "$(zonefile "$parent")"
      printf '\n; ---- written by testbed.sh start: the DS of each signed child zone\n'
    } >"$copy" || die "cannot write $copy"
    ZONE_FILE[$parent]=$copy
  done
  for zone in "${BOGUS_ZONES[@]}"; do
    ZONE_FILE[$zone]=$rundir/ns.bogus.lab/presigned/${zone}zone
  done
}

# add_ds ZONE RUNDIR: append the DS records on standard input (zone file
# lines, "ZONE [TTL] [IN] DS TAG ALGORITHM 2 DIGEST") to the zone file of
# ZONE's parent (its copy in RUNDIR); for the root, write them to
# RUNDIR/root-anchor.ds, the trust anchor: one line per KSK, in the format of
# Debian's /usr/share/dns/root.ds (". IN DS TAG ALGORITHM DIGEST-TYPE DIGEST").
add_ds() {
  local zone=$1 rundir=$2 parent file records
  records=$(awk -v zone="$zone" 'tolower($1) == zone { for (i = 2; i < NF; i++) if ($i == "DS") {
      printf "%s %s %s %s %s\n", $1, $(i + 1), $(i + 2), $(i + 3), toupper($(i + 4)); break } }')
  [[ -n $records ]] || die "no DS record for $zone"
  if [[ $zone == . ]]; then
    awk '{ printf ". IN DS %s %s %s %s\n", $2, $3, $4, $5 }' <<<"$records" >>"$rundir/root-anchor.ds"
    return
  fi
  parent=$(parent_of "$zone") || die "no parent zone for $zone"
  file=$(zonefile "$parent")
  [[ $file == "$rundir"/* ]] || die "the DS of $zone would go into $file, not into a copy in RUNDIR"
  awk '{ printf "%-23s IN DS %s %s %s %s\n", $1, $2, $3, $4, $5 }' <<<"$records" >>"$file"
}

# ds_file RUNDIR ZONE: where the DS records of ZONE wait to be added to
# its parent (add_all_ds): RUNDIR/ds/ZONE.ds (the root's: RUNDIR/ds/root.ds).
ds_file() { if [[ $2 == . ]]; then echo "$1/ds/root.ds"; else echo "$1/ds/${2}ds"; fi; }

# make_keys RUNDIR: for every zone that Knot signs, a new key-signing key
# (KSK, flags 257) and zone-signing key (ZSK, flags 256) with the algorithm
# and size of its policy in knot.conf.in (keymgr -c reads them from the
# server's knot.conf, written first), in the key database of the server that
# serves it (RUNDIR/<server>/db/keys, where its knotd looks; the old keys
# go), and the DS (SHA-256: digest type 2) of the KSK in ds_file.  Made
# offline, before any knotd starts; knotd signs with them as it loads the zone
# (knot.conf.in: "manual: on", it makes no keys of its own).  A zone with
# two servers (the root, lab., example.lab.) has its keys made once: the
# second server's database is a copy of the first's, so both sign with the
# same keys (the servers of one zone must sign the same zones).  The servers'
# keys are made at the same time, one background job per server.
make_keys() {
  local rundir=$1 name addr zones zone signed job copy
  local -A first=() seen=()      # the signed zones of a server -> its name; ZONE -> its server
  local -a jobs=() copies=()
  while read -r name addr zones; do
    rm -rf "$rundir/$name/db/keys"
    signed=''
    for zone in $zones; do policy_of "$zone" >/dev/null && signed+="$zone "; done
    [[ -n $signed ]] || continue
    if [[ -n ${first[$signed]:-} ]]; then
      copies+=("${first[$signed]} $name")
      continue
    fi
    for zone in $signed; do
      [[ -z ${seen[$zone]:-} ]] || die "$zone is signed on ${seen[$zone]} and on $name, which sign other zones too"
      seen[$zone]=$name
    done
    first[$signed]=$name
    # shellcheck disable=SC2086  # $signed: one argument per zone
    server_keys "$rundir" "$name" $signed &
    jobs+=("$!")
  done < <(servers)
  for job in "${jobs[@]}"; do wait "$job" || exit 1; done
  for copy in "${copies[@]}"; do
    cp -r "$rundir/${copy% *}/db/keys" "$rundir/${copy#* }/db/keys" ||
      die "cannot copy the keys of ${copy% *} to ${copy#* }"
  done
}

# server_keys RUNDIR SERVER ZONE...: make_keys for one server.
server_keys() {
  local rundir=$1 name=$2 zone config=$1/$2/knot.conf
  mkdir -p "$rundir/$name/db/keys" || die "cannot write $rundir/$name/db/keys"
  for zone in "${@:3}"; do
    keymgr -c "$config" "$zone" generate ksk=yes zsk=no >/dev/null &&
      keymgr -c "$config" "$zone" generate ksk=no zsk=yes >/dev/null ||
      die "keymgr could not make the keys of $zone for $name"
    # keymgr prints "ZONE DS TAG ALGORITHM DIGEST-TYPE DIGEST" per digest type.
    keymgr -c "$config" "$zone" ds | awk '$2 == "DS" && $5 == 2' >"$(ds_file "$rundir" "$zone")" ||
      die "keymgr could not give the DS of $zone"
  done
}

# add_all_ds RUNDIR: once make_keys and make_bogus_zones are done, add every
# DS to its parent (add_ds), in the order of SIGNED_ZONES and BOGUS_ZONES.
add_all_ds() {
  local rundir=$1 entry zone
  rm -f "$rundir/root-anchor.ds"
  for entry in "${SIGNED_ZONES[@]}" "${BOGUS_ZONES[@]}"; do
    zone=${entry%%=*}
    add_ds "$zone" "$rundir" <"$(ds_file "$rundir" "$zone")"
  done
}

# new_key DIR ZONE [-k]: make a new ECDSA P-256 key (algorithm 13) for ZONE
# with ldns-keygen in DIR (-k: a KSK, flags 257); print its path without
# .key/.private, DIR/K<zone>+013+<tag>.
new_key() {
  local dir=$1 zone=$2 base
  base=$(cd "$dir" && ldns-keygen -r /dev/urandom -a ECDSAP256SHA256 "${@:3}" "$zone") ||
    die "ldns-keygen could not make a key for $zone"
  echo "$dir/$base"
}
key_tag() { local tag=${1##*+}; echo $((10#$tag)); } # K<zone>+013+<tag> -> tag

# ldns_sign IN OUT ZONE INCEPTION EXPIRATION OPTIONS KEY...: sign the zone
# file IN into OUT with ldns-signzone and the KEYs (a KSK signs the DNSKEY
# RRset, a ZSK all the others), every signature valid from INCEPTION to
# EXPIRATION (seconds since 1970); OPTIONS (words, or '') go to ldns-signzone.
ldns_sign() {
  local in=$1 out=$2 zone=$3 inception=$4 expiration=$5 options=$6
  shift 6
  # shellcheck disable=SC2086  # $options: one argument per word
  ldns-signzone $options -i "$inception" -e "$expiration" -o "$zone" -f "$out" "$in" "$@" ||
    die "ldns-signzone could not sign $zone"
}

# make_bogus_zones RUNDIR: make each zone of BOGUS_ZONES, signed (ECDSA P-256,
# algorithm 13, NSEC; keys new at every start) and then spoiled as its name
# says, in RUNDIR/ns.bogus.lab/presigned/, and its DS in ds_file.
# Each zone: SOA, NS ns.ZONE, ns.ZONE A 127.53.16.1, www.ZONE A 192.0.2.17k.
#   expired        every RRSIG's expiration 30 days ago
#   not-yet-valid  every RRSIG's inception 30 days ahead
#   ds-mismatch    signed right, but lab.'s DS is the digest of another KSK,
#                  one the zone does not have: no DNSKEY matches it
#   no-rrsig       signed right, then the RRSIG of www's A removed
#   unknown-key    www's A signed by a third key, not in the DNSKEY set (and
#                  its RRSIG by the ZSK removed)
#   nsec3-gap      NSEC3 (no salt, no extra iterations); then the NSEC3 record
#                  whose interval covers the hash of gap.nsec3-gap.lab removed,
#                  with its RRSIG: that name's NXDOMAIN cannot be proven
#   no-dnskey      served unsigned: a DS in lab., no DNSKEY in the zone
# The times count from now, so that none wraps around RRSIG's 32-bit clock
# (RFC 4034 section 3.1.5) and every start builds the same world.
make_bogus_zones() {
  local rundir=$1 dir=$1/ns.bogus.lab/presigned zone kind k=0 unsigned out ksk zsk other hash
  local now day=86400 valid_from valid_until
  now=$(date +%s)
  valid_from=$((now - 3600)) valid_until=$((now + 30 * day))
  rm -rf "$dir"
  mkdir -p "$dir" || die "cannot write $dir"
  for zone in "${BOGUS_ZONES[@]}"; do
    k=$((k + 1)) kind=${zone%%.*} unsigned=$dir/${zone}unsigned out=${ZONE_FILE[$zone]}
    {
      echo "; $zone -- made by testbed.sh start: signed wrong on purpose ($kind)"
      echo "\$ORIGIN $zone"
      echo "\$TTL 3600"
      echo "@    3600 IN SOA ns.$zone hostmaster.$zone 2026120101 7200 1800 1209600 300"
      echo "@    3600 IN NS  ns.$zone"
      echo "ns   3600 IN A   127.53.16.1"
      echo "www  3600 IN A   192.0.2.$((170 + k))"
    } >"$unsigned"
    ksk=$(new_key "$dir" "$zone" -k) zsk=$(new_key "$dir" "$zone")
    case $kind in
      expired)
        ldns_sign "$unsigned" "$out" "$zone" $((now - 60 * day)) $((now - 30 * day)) '' "$zsk" "$ksk" ;;
      not-yet-valid)
        ldns_sign "$unsigned" "$out" "$zone" $((now + 30 * day)) $((now + 60 * day)) '' "$zsk" "$ksk" ;;
      ds-mismatch)
        ldns_sign "$unsigned" "$out" "$zone" "$valid_from" "$valid_until" '' "$zsk" "$ksk"
        ksk=$(new_key "$dir" "$zone" -k) ;;           # the DS below is this key's
      no-rrsig)
        ldns_sign "$unsigned" "$out.signed" "$zone" "$valid_from" "$valid_until" '' "$zsk" "$ksk"
        awk -v www="www.$zone" '!($1 == www && $4 == "RRSIG" && $5 == "A")' "$out.signed" >"$out" ;;
      unknown-key)
        # Signed by the ZSK and by a third key whose DNSKEY is left out (-d:
        # ldns-signzone adds no DNSKEY; the KSK's and the ZSK's are put in by
        # hand).  Then www's A keeps only the third key's RRSIG, and every
        # other RRset only its RRSIGs by the ZSK (or the KSK).
        other=$(new_key "$dir" "$zone")
        cat "$ksk.key" "$zsk.key" >>"$unsigned"
        ldns_sign "$unsigned" "$out.signed" "$zone" "$valid_from" "$valid_until" -d "$zsk" "$ksk" "$other"
        awk -v www="www.$zone" -v other="$(key_tag "$other")" '
          $4 == "RRSIG" && ($1 == www && $5 == "A") != ($11 == other) { next }
          { print }' "$out.signed" >"$out" ;;
      nsec3-gap)
        ldns_sign "$unsigned" "$out.signed" "$zone" "$valid_from" "$valid_until" '-n -t 0' "$zsk" "$ksk"
        hash=$(ldns-nsec3-hash -t 0 "gap.$zone") || die "ldns-nsec3-hash failed"
        hash=$(tr '[:upper:]' '[:lower:]' <<<"${hash%%.*}")
        # The NSEC3 record whose interval, from its owner's hash to the next
        # hash (the last one wrapping around to the first), holds the hash of
        # gap.ZONE; it goes, and so does its RRSIG.
        awk -v h="$hash" '
          BEGIN { h = h "" }
          function label(name) { return tolower(substr(name, 1, index(name, ".") - 1)) }
          { line[NR] = $0; owner[NR] = label($1); type[NR] = $4; covered[NR] = $5 }
          $4 == "NSEC3" {
            o = label($1); n = tolower($9)
            if ((o < n && o < h && h < n) || (o >= n && (h > o || h < n))) gap = o
          }
          END {
            if (gap == "") exit 1
            for (i = 1; i <= NR; i++)
              if (owner[i] != gap || (type[i] != "NSEC3" && !(type[i] == "RRSIG" && covered[i] == "NSEC3")))
                print line[i]
          }' "$out.signed" >"$out" || die "no NSEC3 record covers gap.$zone"
        ;;
      no-dnskey)
        cp "$unsigned" "$out" ;;
      *) die "make_bogus_zones: no recipe for $zone" ;;
    esac
    rm -f "$out.signed"
    ldns-key2ds -n -2 "$ksk.key" >"$(ds_file "$rundir" "$zone")" || die "ldns-key2ds failed for $zone"
  done
}

# ours PID COMMAND: true if PID is a live (not zombie) process started with
# exactly the command line COMMAND (knotd: "knotd -c DIR/knot.conf").
# Guards against stale pid files whose number was reused.
ours() {
  local stat args
  read -r stat args < <(ps -ww -o stat=,args= -p "$1" 2>/dev/null) || return 1
  [[ $stat != Z* && $args == "$2" ]]
}

# running DIR: print the pid of DIR's knotd if it runs (per DIR/knotd.pid).
running() {
  local pid
  pid=$(cat "$1/knotd.pid" 2>/dev/null) && ours "$pid" "knotd -c $1/knot.conf" && echo "$pid"
}

# The scripted responder's files: RUNDIR/scripted-responder/{pid,command,log}.
# "command" is its exact command line, for "ours".
# responder_running RUNDIR: print the responder's pid and command line if it runs.
responder_running() {
  local pid command
  pid=$(cat "$1/scripted-responder/pid" 2>/dev/null) &&
    command=$(cat "$1/scripted-responder/command" 2>/dev/null) &&
    ours "$pid" "$command" && echo "$pid:$command"
}

# check_access RUNDIR: fail clearly if another user's test bed is in RUNDIR.
check_access() {
  local f
  for f in "$1"/*/knotd.pid "$1/scripted-responder/pid"; do
    [[ ! -e $f || -r $f ]] || die "cannot read $f (test bed of another user?)"
  done
}

# answers ADDR PORT ZONE...: true if the server at ADDR gives the SOA of every ZONE.
# (dig, not kdig: dig gives up at once on "connection refused", kdig
# waits for the whole timeout.)
answers() {
  local addr=$1 port=$2 zone out
  shift 2
  for zone in "$@"; do
    out=$(dig @"$addr" -p "$port" +time=1 +tries=1 +norec +short SOA "$zone" 2>/dev/null) || return 1
    [[ -n $out && $out != ';'* ]] || return 1
  done
}

# fill_template NAME ADDR PORT DIR ZONE...: print a knot.conf for one server.
fill_template() {
  local c zone policy entries=''
  c=$(<"$TEMPLATE")
  for zone in "${@:5}"; do
    entries+="  - domain: \"$zone\""$'\n'"    file: \"$(zonefile "$zone")\""$'\n'
    if policy=$(policy_of "$zone"); then
      entries+="    dnssec-signing: on"$'\n'"    dnssec-policy: $policy"$'\n'
    elif [[ " ${BOGUS_ZONES[*]} " == *" $zone "* ]]; then
      # Pre-signed: served as it is.  Knot's semantic checks stay on: for five
      # of them it logs a warning ("no valid signature for a record", "missing
      # NSEC(3) record"), its own word that they are broken, and loads them.
      entries+="    dnssec-signing: off           # pre-signed (testbed.sh, make_bogus_zones)"$'\n'
    fi
  done
  c=${c//'{{NAME}}'/"$1"};  c=${c//'{{ADDR}}'/"$2"};  c=${c//'{{PORT}}'/"$3"}
  c=${c//'{{DIR}}'/"$4"}
  c=${c//$'\n{{ZONES}}'/$'\n'"${entries%$'\n'}"}   # only the line that is {{ZONES}}
  printf '%s\n' "$c"
}

# terminate PID:COMMAND...: SIGTERM, wait up to 5 s for a clean exit, then SIGKILL.
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
    echo "testbed: ${p#*:} (pid ${p%%:*}) ignored SIGTERM, killing it" >&2
    kill -KILL "${p%%:*}" 2>/dev/null || true
  done
}

# alive PID: true if PID exists and is not a zombie (whatever it runs).
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $stat != Z* ]]
}

# start_responder RUNDIR PORT: start the scripted responder SCRIPTED_RESPONDER
# and wait until it printed its sockets.  Sets RESPONDER_PROC to PID:COMMAND.
start_responder() {
  local dir=$1/scripted-responder port=$2 bin pid command deadline=$(($(now_ms) + WAIT_MS))
  local -a table
  bin=$(command -v -- "$SCRIPTED_RESPONDER") || bin=''
  [[ -f $bin && -x $bin ]] || die "SCRIPTED_RESPONDER=$SCRIPTED_RESPONDER is not an executable file"
  mapfile -t table < <(responder_table)
  mkdir -p "$dir" 2>/dev/null || die "cannot write $dir"
  rm -f "$dir/pid"
  # Started directly (no subshell), so $! is the responder itself.
  "$bin" --port "$port" "${table[@]}" </dev/null >"$dir/log" 2>&1 &
  pid=$!
  command="$bin --port $port ${table[*]}"
  echo "$command" >"$dir/command"
  echo "$pid" >"$dir/pid"
  # "alive", not "ours": until the child has exec'd, it still looks like bash.
  # (-s: the log may not exist yet, until the child has opened it.)
  until grep -qs '^scripted responder: ready' "$dir/log"; do
    if ! alive "$pid" || (($(now_ms) > deadline)); then
      echo "testbed: the scripted responder did not come up; from $dir/log:" >&2
      tail -n 5 "$dir/log" | sed 's/^/    /' >&2
      if alive "$pid"; then terminate "$pid:$command"; fi
      return 1
    fi
    sleep 0.02
  done
  RESPONDER_PROC="$pid:$command"
}

cmd_start() {
  local rundir=$1 port=$2 name addr zones dir pid t0 i where keys_job bogus_job
  local -a pids=() names=() addrs=() zone_lists=()
  RESPONDER_PROC=''

  if [[ ! $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then die "bad port '$port'"; fi
  ((port >= 1024 || EUID == 0)) || die "port $port is below 1024: needs root"
  command -v knotd >/dev/null || die "knotd is needed (Debian: apt-get install knot)"
  command -v dig >/dev/null || die "dig is needed (Debian: apt-get install bind9-dnsutils)"
  command -v keymgr >/dev/null || die "keymgr is needed (Debian: apt-get install knot)"
  command -v ldns-signzone >/dev/null || die "ldns-signzone is needed (Debian: apt-get install ldnsutils)"
  mkdir -p "$rundir" 2>/dev/null || die "cannot create $rundir as user $(id -un)"
  rundir=$(cd "$rundir" && pwd -P)
  [[ -w $rundir ]] || die "$rundir is not writable by user $(id -un)"
  [[ $rundir =~ ^[A-Za-z0-9_./+-]+$ ]] || die "RUNDIR must not contain spaces or special characters"
  # knotd's control socket RUNDIR/<server>/knot.sock must fit in 107 bytes.
  ((${#rundir} <= 75)) || die "RUNDIR path is too long (max 75 characters): $rundir"
  [[ -r $ZONES/root.zone ]] || die "user $(id -un) cannot read the zone files in $ZONES"
  [[ -z ${BENCH_NAMES:-} ]] || add_bench_zone "$rundir"

  # Refuse to start twice, and refuse a port someone else already answers on.
  check_access "$rundir"
  if responder_running "$rundir" >/dev/null; then
    die "already running in $rundir (run: $0 stop $rundir)"
  fi
  while read -r name addr zones; do
    dir=$rundir/$name
    if running "$dir" >/dev/null; then
      die "already running in $rundir (run: $0 stop $rundir)"
    fi
    if dig @"$addr" -p "$port" +time=1 +tries=1 SOA . >/dev/null 2>&1; then
      die "something already answers on $addr port $port (another test bed?)"
    fi
  done < <(servers)

  t0=$(now_ms)
  # Offline, before any server runs: the zone files made in RUNDIR, one
  # config per server (make_keys reads the policies from them), the keys of
  # the signed zones, the bogus zones, and the DS records.
  copy_zone_files "$rundir"
  while read -r name addr zones; do
    dir=$rundir/$name
    mkdir -p "$dir/db" 2>/dev/null || die "cannot write $dir"
    # shellcheck disable=SC2086  # $zones: one argument per zone
    fill_template "$name" "$addr" "$port" "$dir" $zones >"$dir/knot.conf"
  done < <(servers)
  mkdir -p "$rundir/ds" || die "cannot write $rundir/ds"
  make_keys "$rundir" &
  keys_job=$!
  make_bogus_zones "$rundir" &
  bogus_job=$!
  wait "$keys_job" && keys_job=0 || keys_job=$?
  wait "$bogus_job" || exit 1
  ((keys_job == 0)) || exit 1
  add_all_ds "$rundir"
  if ! have_ipv6_loopback; then
    echo "testbed: no IPv6 loopback (::1) on this machine: leaving out $(ipv6_servers | paste -sd ' ')"
  fi
  # The scripted responder first: if it cannot start, no knotd needs stopping.
  # (It refuses a port already in use itself: bind fails.)
  if [[ -n ${SCRIPTED_RESPONDER:-} ]]; then
    start_responder "$rundir" "$port" || exit 1
  else
    rm -f "$rundir/scripted-responder/pid"
    echo "testbed: SCRIPTED_RESPONDER not set: starting without the scripted responder (127.53.20.x stay silent)"
  fi

  # Start each server's knotd in the background.
  # knotd stays in the foreground (no -d), so $! is its pid right away;
  # knotd itself writes the same pid to DIR/knotd.pid, which "stop" uses.
  while read -r name addr zones; do
    dir=$rundir/$name
    rm -f "$dir/knotd.pid" "$dir/knot.sock"
    : >"$dir/knotd.log"
    knotd -c "$dir/knot.conf" </dev/null >>"$dir/knotd.log" 2>&1 &
    pids+=("$!") names+=("$name") addrs+=("$addr") zone_lists+=("$zones")
  done < <(servers)

  # Wait until every server answers its own SOA (all share one deadline).
  for i in "${!pids[@]}"; do
    dir=$rundir/${names[i]}
    # shellcheck disable=SC2086  # one argument per zone
    until [[ -s $dir/knotd.pid ]] && answers "${addrs[i]}" "$port" ${zone_lists[i]}; do
      # Give up if knotd died, logged an error (e.g. a bad zone file), or is too slow.
      if ! ours "${pids[i]}" "knotd -c $dir/knot.conf" ||
        grep -qE ' (error|critical): ' "$dir/knotd.log" || (($(now_ms) - t0 > WAIT_MS)); then
        echo "testbed: ${names[i]} (${addrs[i]}@$port) did not come up; from $dir/knotd.log:" >&2
        { grep -E ' (error|critical): ' "$dir/knotd.log" || tail -n 5 "$dir/knotd.log"; } | sed 's/^/    /' >&2
        for pid in "${!pids[@]}"; do pids[pid]="${pids[pid]}:knotd -c $rundir/${names[pid]}/knot.conf"; done
        [[ -z $RESPONDER_PROC ]] || pids+=("$RESPONDER_PROC")
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

  where=127.53.x.y
  ! have_ipv6_loopback || where+=" and ::1"
  echo "testbed: ${#pids[@]} servers up on $where port $port in $(($(now_ms) - t0)) ms"
  if [[ -n $RESPONDER_PROC ]]; then
    echo "testbed: scripted responder (pid ${RESPONDER_PROC%%:*}) plays $(responder_table | wc -l) servers on 127.53.20.x; log: $rundir/scripted-responder/log"
  fi
  echo "testbed: signed (DNSSEC): ${#SIGNED_ZONES[@]} zones by Knot, ${#BOGUS_ZONES[@]} bogus on purpose; trust anchor in $rundir/root-anchor.ds"
  echo "testbed: root hints in $rundir/root.hints; stop with: $0 stop $rundir"
}

cmd_stop() {
  local rundir=$1 f dir pid p servers what=''
  local -a pids=()
  [[ -d $rundir ]] || { echo "testbed: nothing running in $rundir"; return 0; }
  rundir=$(cd "$rundir" && pwd -P)
  check_access "$rundir"

  for f in "$rundir"/*/knotd.pid; do
    dir=${f%/knotd.pid}
    if pid=$(running "$dir"); then
      kill -0 "$pid" 2>/dev/null || die "cannot signal knotd $pid (started by another user?)"
      pids+=("$pid:knotd -c $dir/knot.conf")
    fi
  done
  servers=${#pids[@]}
  if p=$(responder_running "$rundir"); then
    kill -0 "${p%%:*}" 2>/dev/null ||
      die "cannot signal the scripted responder ${p%%:*} (started by another user?)"
    pids+=("$p") what=" and the scripted responder"
  fi

  terminate "${pids[@]}"
  rm -f "$rundir"/*/knotd.pid "$rundir/scripted-responder/pid" 2>/dev/null || true
  echo "testbed: stopped $servers servers$what in $rundir"
}

cmd_status() {
  local rundir=$1 port name addr zones dir pid state shown good up=0 total=0
  local -a list
  [[ -d $rundir ]] || die "no test bed in $rundir"
  rundir=$(cd "$rundir" && pwd -P)
  check_access "$rundir"
  port=$(cat "$rundir/port" 2>/dev/null || echo 0)
  while read -r name addr zones; do
    dir=$rundir/$name
    read -ra list <<<"$zones"
    total=$((total + 1))
    if ! pid=$(running "$dir"); then
      state=stopped
    elif answers "$addr" "$port" "${list[@]}"; then
      state="up (pid $pid)"; up=$((up + 1))
    else
      state="running but NOT answering (pid $pid)"
    fi
    shown=${list[0]}; ((${#list[@]} == 1)) || shown+=" +$((${#list[@]} - 1)) more"
    printf '%-22s %-12s %-19s %s\n' "$name" "$addr@$port" "$shown" "$state"
  done < <(servers)

  # The scripted responder, if it was started: it runs and its "good" address answers.
  if [[ -e $rundir/scripted-responder/pid ]]; then
    total=$((total + 1))
    good=$(responder_table | sed -n 's/=good$//p' | head -n 1)
    if ! pid=$(responder_running "$rundir"); then
      state=stopped
    elif [[ $(dig @"$good" -p "$port" +time=1 +tries=1 +norec +short www.only-good.lab A) == 192.0.2.53 ]]; then
      state="up (pid ${pid%%:*})"; up=$((up + 1))
    else
      state="running but NOT answering (pid ${pid%%:*})"
    fi
    printf '%-22s %-12s %-19s %s\n' scripted-responder "127.53.20.x@$port" \
      "$(responder_table | wc -l) addresses" "$state"
  else
    echo "scripted-responder     not running (not started, or stopped)"
  fi
  echo "testbed: $up of $total servers up"
  ((up == total))
}

case "${1:-} $#" in
  "start 3")  cmd_start "$2" "$3" ;;
  "stop 2")   cmd_stop "$2" ;;
  "status 2") cmd_status "$2" ;;
  *) echo "usage: $0 start RUNDIR PORT | stop RUNDIR | status RUNDIR" >&2; exit 2 ;;
esac
