#!/usr/bin/env bash
# selftest.sh -- start the test bed, check that every server answers as the
# README says (referrals, glue, authoritative answers, the signed world: keys,
# signatures, the DS in each parent, the proofs of insecure delegations, the
# bogus zones as built; the IPv6 server), stop it again.
#
#   selftest.sh [PORT]      (default 5300; RUNDIR is a fresh temporary folder)
#
# With SCRIPTED_RESPONDER set (see testbed.sh), it checks the misbehaving
# servers too (about 5 s more: five of them make dig wait for its timeout).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
PORT=${1:-5300}
RUNDIR=$(mktemp -d /tmp/testbed-selftest.XXXXXX)
pass=0 fail=0

"$HERE/testbed.sh" start "$RUNDIR" "$PORT"
trap '"$HERE/testbed.sh" stop "$RUNDIR" >/dev/null; rm -rf "$RUNDIR"' EXIT

# check DESCRIPTION "DIG ARGUMENTS" REGEX...: every REGEX must match dig's output.
check() {
  local what=$1 args=$2 out re
  shift 2
  # shellcheck disable=SC2086  # the arguments are meant to be split
  out=$(dig -p "$PORT" +norec +noedns +time=1 +tries=1 $args 2>&1) || true
  for re in "$@"; do
    if ! grep -qE -- "$re" <<<"$out"; then
      echo "FAIL: $what: no match for /$re/ in: dig $args"; fail=$((fail + 1)); return
    fi
  done
  pass=$((pass + 1))
}

REFERRAL='flags: qr;'            # no aa flag: not authoritative
AUTH='flags: qr aa;'             # aa flag: authoritative answer

# --- the root servers give referrals, with glue -------------------------
for root in 127.53.0.1 127.53.0.2; do
  check "root $root refers lab." "@$root www.example.lab A" "$REFERRAL" 'status: NOERROR' \
    '^lab\.\s+172800\s+IN\s+NS\s+ns1\.nic\.lab\.' '^ns1\.nic\.lab\.\s.*A\s+127\.53\.1\.1$' '^ns2\.nic\.lab\..*127\.53\.1\.2$'
  check "root $root refers learn." "@$root www.school.learn A" "$REFERRAL" \
    '^learn\.\s.*NS\s+ns1\.nic\.learn\.' '^ns1\.nic\.learn\..*127\.53\.2\.1$'
  check "root $root refers test." "@$root a.root-servers.test A" "$REFERRAL" \
    '^test\.\s.*NS\s+ns\.nic\.test\.' '^ns\.nic\.test\..*127\.53\.3\.1$'
  check "root $root priming" "@$root . NS" "$AUTH" '^a\.root-servers\.test\..*127\.53\.0\.1$'
done

# --- the TLD servers ------------------------------------------------------
for lab in 127.53.1.1 127.53.1.2; do
  check "lab $lab refers example.lab with glue" "@$lab www.example.lab A" "$REFERRAL" \
    '^example\.lab\.\s+86400\s+IN\s+NS' '^ns1\.example\.lab\..*127\.53\.10\.1$' '^ns2\.example\.lab\..*127\.53\.10\.2$'
  check "lab $lab refers noglue.lab WITHOUT glue" "@$lab www.noglue.lab A" "$REFERRAL" \
    '^noglue\.lab\..*NS\s+ns\.hosting\.learn\.' 'ADDITIONAL: 0'
done
check "learn refers school.learn" "@127.53.2.1 www.school.learn A" "$REFERRAL" '^ns\.school\.learn\..*127\.53\.11\.1$'
check "learn refers hosting.learn" "@127.53.2.1 ns.hosting.learn A" "$REFERRAL" '^ns1\.hosting\.learn\..*127\.53\.13\.1$'
check "school refers dept (3 deep)" "@127.53.11.1 www.dept.school.learn A" "$REFERRAL" '^ns\.dept\.school\.learn\..*127\.53\.12\.1$'
check "test. has the root servers" "@127.53.3.1 b.root-servers.test A" "$AUTH" '3600000\s+IN\s+A\s+127\.53\.0\.2$'
check "lame.lab server says REFUSED" "@127.53.2.1 www.lame.lab A" 'status: REFUSED'

# --- the leaf servers answer authoritatively -----------------------------
for leaf in 127.53.10.1:example.lab 127.53.10.2:example.lab 127.53.11.1:school.learn \
  127.53.12.1:dept.school.learn 127.53.13.1:hosting.learn 127.53.13.2:noglue.lab; do
  check "leaf ${leaf%%:*} SOA" "@${leaf%%:*} ${leaf#*:} SOA" "$AUTH" 'ANSWER: 1,'
done
E=@127.53.10.1
check "www A"              "$E www.example.lab A"        "$AUTH" '3600\s+IN\s+A\s+192\.0\.2\.80$'
check "multi: 3 A"         "$E multi.example.lab A"      "$AUTH" 'ANSWER: 3,'
check "short: TTL 60"      "$E short.example.lab A"      '\s60\s+IN\s+A\s'
check "v6only A: NODATA"   "$E v6only.example.lab A"     'status: NOERROR' 'ANSWER: 0,' 'SOA'
check "ent: NODATA"        "$E ent.example.lab A"        'status: NOERROR' 'ANSWER: 0,'
check "nope: NXDOMAIN"     "$E nope.example.lab A"       'status: NXDOMAIN' '\s300\s+IN\s+SOA'
check "wildcard"           "$E a.b.wild.example.lab A"   '^a\.b\.wild\.example\.lab\..*192\.0\.2\.99$'
check "no wildcard below exact.wild" "$E x.exact.wild.example.lab A" 'status: NXDOMAIN'
check "cname chain"        "$E chain1.example.lab A"     'CNAME\s+chain2' 'CNAME\s+chain3\.school\.learn\.'
check "big: TC over UDP"   "$E big.example.lab TXT +ignore" 'flags: qr aa tc;'
check "big: whole over TCP" "$E big.example.lab TXT +tcp" 'ANSWER: 14,'
check "txt with spaces"    "$E txt.example.lab TXT"      '"hello world, this text has spaces"'
check "dname: DNAME + CNAME" "$E www.old.example.lab A"   "$AUTH" 'DNAME\s+dept\.school\.learn\.$' \
  'CNAME\s+www\.dept\.school\.learn\.$'
# RFC 6672 section 2.2 asks for YXDOMAIN here; Knot answers NXDOMAIN, with the DNAME.
check "dname: too long"    "$E aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbb.deep.example.lab A" 'status: NXDOMAIN' 'DNAME'
check "broken.lab: wrong child address" "@127.53.15.1 ns.broken.lab A" "$AUTH" '127\.53\.15\.99$'
check "victim.learn"       "@127.53.15.1 www.victim.learn A" "$AUTH" '203\.0\.113\.77$'
check "victim.learn: no glue in learn." "@127.53.2.1 www.victim.learn A" "$REFERRAL" \
  'victim\.learn\..*NS\s+ns\.broken\.lab\.$' 'ADDITIONAL: 0$'
check "ns.hosting.learn"   "@127.53.13.1 ns.hosting.learn A" "$AUTH" '127\.53\.13\.2$'

# --- the zones Knot signs (DNSSEC): glue and DS in lab., then the records ---
for lab in 127.53.1.1 127.53.1.2; do
  check "lab $lab refers nsec3.lab with glue" "@$lab www.nsec3.lab A" "$REFERRAL" \
    '^nsec3\.lab\.\s.*NS\s+ns\.nsec3\.lab\.$' '^ns\.nsec3\.lab\..*127\.53\.14\.1$'
  # The DS is written into RUNDIR/lab.zone at start, from the new KSK.
  check "lab $lab has the DS of nsec3.lab" "@$lab nsec3.lab DS" "$AUTH" '^nsec3\.lab\.\s.*DS\s+[0-9]+ 14 2 [0-9A-F]'
  check "lab $lab has the DS of nsec.lab" "@$lab nsec.lab DS" "$AUTH" '^nsec\.lab\.\s.*DS\s+[0-9]+ 13 2 [0-9A-F]'
done
S=@127.53.14.1
check "nsec3.lab: KSK and ZSK" "$S nsec3.lab DNSKEY" "$AUTH" 'DNSKEY\s+257 3 14 ' 'DNSKEY\s+256 3 14 '
check "nsec3.lab: signed answer" "$S www.nsec3.lab A +dnssec" "$AUTH" 'IN\s+A\s+192\.0\.2\.140$' 'RRSIG\s+A 14 3 3600 '
check "nsec3.lab: NSEC3PARAM" "$S nsec3.lab NSEC3PARAM" "$AUTH" 'NSEC3PARAM\s+1 0 0 [0-9A-F]{8}$'
check "nsec3.lab: NXDOMAIN proven by NSEC3" "$S nope.nsec3.lab A +dnssec" 'status: NXDOMAIN' \
  '^[0-9a-v]{32}\.nsec3\.lab\.\s.*NSEC3\s+1 0 0 [0-9A-F]{8} [0-9A-V]{32} ' 'RRSIG\s+NSEC3 14 3 600 '
check "nsec.lab: KSK and ZSK" "$S nsec.lab DNSKEY" "$AUTH" 'DNSKEY\s+257 3 13 ' 'DNSKEY\s+256 3 13 '
check "nsec.lab: NXDOMAIN proven by NSEC" "$S nope.nsec.lab A +dnssec" 'status: NXDOMAIN' \
  '^nsec\.lab\.\s.*NSEC\s+ns\.nsec\.lab\. NS SOA RRSIG NSEC DNSKEY$'

# --- the signed world (DNSSEC): a chain of trust from the root -------------
# dnssec SERVER ARGS...: dig's answer lines, with DO=1 (RRSIGs and proofs).
dnssec() {
  local server=$1
  shift
  dig @"$server" -p "$PORT" +norec +dnssec +time=1 +tries=1 +noall +answer +authority "$@" 2>&1 || true
}
# ds_of_keys SERVER ZONE: the DS (SHA-256) of ZONE's KSKs, computed from the
# DNSKEY RRset its server gives, as "TAG ALGORITHM 2 DIGEST" lines.
ds_of_keys() {
  local file
  file=$(mktemp "$RUNDIR/keys.XXXXXX")
  dig @"$1" -p "$PORT" +norec +time=1 +tries=1 +noall +answer "$2" DNSKEY >"$file" 2>/dev/null || true
  ldns-key2ds -n -2 "$file" 2>/dev/null | awk '$4 == "DS" { print $5, $6, $7, toupper($8) }' | sort
  rm -f "$file"
}
# ds_in_parent SERVER ZONE: the DS records of ZONE that its parent's server
# gives, as "TAG ALGORITHM 2 DIGEST" lines (dig splits the digest: joined).
ds_in_parent() {
  dig @"$1" -p "$PORT" +norec +time=1 +tries=1 +noall +answer "$2" DS 2>/dev/null |
    awk '$4 == "DS" { d = ""; for (i = 8; i <= NF; i++) d = d $i; print $5, $6, $7, toupper(d) }' | sort
}
verdict() {                      # verdict DESCRIPTION TRUE|FALSE [WHAT WAS SEEN]
  if [[ $2 == true ]]; then pass=$((pass + 1)); else echo "FAIL: $1${3:+: $3}"; fail=$((fail + 1)); fi
}

# Each signed zone, its servers and its algorithm (testbed.sh SIGNED_ZONES,
# knot.conf.in): a KSK and a ZSK, the DNSKEY RRset signed, the SOA signed.
for entry in .:8:127.53.0.1,127.53.0.2 lab.:13:127.53.1.1,127.53.1.2 learn.:15:127.53.2.1 \
  example.lab.:16:127.53.10.1,127.53.10.2 nsec3.lab.:14:127.53.14.1 nsec.lab.:13:127.53.14.1; do
  IFS=: read -r zone alg servers <<<"$entry"
  for server in ${servers//,/ }; do
    check "$zone at $server: KSK and ZSK of algorithm $alg" "@$server $zone DNSKEY +dnssec" "$AUTH" \
      "DNSKEY\s+257 3 $alg " "DNSKEY\s+256 3 $alg " "RRSIG\s+DNSKEY $alg "
    check "$zone at $server: SOA signed" "@$server $zone SOA +dnssec" "$AUTH" "RRSIG\s+SOA $alg "
  done
  # A zone with two servers: the same keys on both (one DNSKEY RRset).
  if [[ $servers == *,* ]]; then
    one=$(ds_of_keys "${servers%,*}" "$zone") two=$(ds_of_keys "${servers#*,}" "$zone")
    verdict "$zone: the same KSK on ${servers/,/ and }" "$([[ -n $one && $one == "$two" ]] && echo true || echo false)" "'$one' / '$two'"
  fi
done

# The chain of trust: each DS in the parent is the digest of the child's KSK
# (RFC 4034 section 5.1.4); the root's KSK is RUNDIR/root-anchor.ds.
for entry in lab.:127.53.0.1:127.53.1.1 learn.:127.53.0.1:127.53.2.1 example.lab.:127.53.1.1:127.53.10.1 \
  nsec3.lab.:127.53.1.1:127.53.14.1 nsec.lab.:127.53.1.1:127.53.14.1; do
  IFS=: read -r zone parent child <<<"$entry"
  want=$(ds_of_keys "$child" "$zone") got=$(ds_in_parent "$parent" "$zone")
  verdict "the DS of $zone at $parent matches its KSK" "$([[ -n $want && $want == "$got" ]] && echo true || echo false)" \
    "DS '$got', KSK's '$want'"
done
anchor=$RUNDIR/root-anchor.ds
want=$(ds_of_keys 127.53.0.1 . | sed 's/^/. IN DS /')
verdict "root-anchor.ds is the DS of the root's KSK, in root.ds format" \
  "$([[ -n $want && $(grep -vc '^\. IN DS [0-9]* 8 2 [0-9A-F]\{64\}$' "$anchor") == 0 && $(sort "$anchor") == "$want" ]] && echo true || echo false)" \
  "$(cat "$anchor" 2>&1) / computed: $want"

# Insecure delegations: no DS, and the parent's proof of that (NSEC: a bitmap
# with NS and no DS, RFC 4035 section 5.2; NSEC3 with opt-out, RFC 5155
# section 6, for learn.'s unsigned children, which have no NSEC3 of their own).
check "test. has no DS: the root's NSEC says so" "@127.53.0.1 test DS +dnssec" "$AUTH" 'status: NOERROR' \
  'ANSWER: 0,' '^test\.\s.*NSEC\s+\S+ NS RRSIG NSEC$' 'RRSIG\s+NSEC 8 '
check "noglue.lab has no DS: lab.'s NSEC says so" "@127.53.1.1 noglue.lab DS +dnssec" "$AUTH" 'ANSWER: 0,' \
  '^noglue\.lab\.\s.*NSEC\s+\S+ NS RRSIG NSEC$'
check "a referral to an unsigned zone has lab.'s NSEC" "@127.53.1.1 www.broken.lab A +dnssec" "$REFERRAL" \
  '^broken\.lab\.\s.*NS\s+ns\.broken\.lab\.$' '^broken\.lab\.\s.*NSEC\s+\S+ NS RRSIG NSEC$'
check "a referral to a signed zone has its DS" "@127.53.1.1 www.example.lab A +dnssec" "$REFERRAL" \
  '^example\.lab\.\s.*DS\s+[0-9]+ 16 2 ' 'RRSIG\s+DS 13 '
check "types.example.lab has no DS: example.lab's NSEC says so" "@127.53.10.1 types.example.lab DS +dnssec" \
  "$AUTH" 'ANSWER: 0,' '^types\.example\.lab\.\s.*NSEC\s+\S+ NS RRSIG NSEC$' 'RRSIG\s+NSEC 16 '
for child in school hosting victim; do
  check "$child.learn has no DS: an opt-out NSEC3 covers it" "@127.53.2.1 $child.learn DS +dnssec" "$AUTH" \
    'ANSWER: 0,' '^[0-9a-v]{32}\.learn\.\s.*NSEC3\s+1 1 0 - [0-9A-V]{32}' 'RRSIG\s+NSEC3 15 '
done
check "learn.: NSEC3PARAM without salt" "@127.53.2.1 learn NSEC3PARAM" "$AUTH" 'NSEC3PARAM\s+1 0 0 -$'
check "example.lab: NXDOMAIN proven by NSEC" "@127.53.10.1 nonexistent.example.lab A +dnssec" 'status: NXDOMAIN' \
  '\sNSEC\s' 'RRSIG\s+NSEC 16 '
check "example.lab: a wildcard answer signed" "@127.53.10.1 foo.wild.example.lab A +dnssec" "$AUTH" \
  'RRSIG\s+A 16 3 600 ' '\sNSEC\s'
check "types.example.lab: unsigned, its made-up RRSIG kept" "@127.53.10.1 rrsig.types.example.lab RRSIG" "$AUTH" \
  'RRSIG\s+A 13 3 3600 20300101000000 20200101000000 2143 example\.lab\.'

# --- the bogus zones, as built (ns.bogus.lab, 127.53.16.1) ------------------
B=127.53.16.1
k=0
for zone in expired not-yet-valid ds-mismatch no-rrsig unknown-key nsec3-gap no-dnskey; do
  k=$((k + 1))
  for lab in 127.53.1.1 127.53.1.2; do
    check "lab $lab refers $zone.lab with glue and a DS" "@$lab www.$zone.lab A +dnssec" "$REFERRAL" \
      "^$zone\.lab\.\s.*NS\s+ns\.$zone\.lab\.\$" "^ns\.$zone\.lab\..*127\.53\.16\.1\$" "^$zone\.lab\.\s.*DS\s+[0-9]+ 13 2 "
  done
  check "$zone.lab: www A" "@$B www.$zone.lab A" "$AUTH" "IN\s+A\s+192\.0\.2\.$((170 + k))\$"
done
now=$(date -u +%Y%m%d%H%M%S)
# sig_times SERVER NAME TYPE: "EXPIRATION INCEPTION KEYTAG" of each RRSIG over NAME's TYPE.
sig_times() {
  dnssec "$1" "$2" "$3" | awk -v t="$3" '$4 == "RRSIG" && $5 == t { print $9, $10, $11; exit }'
}
times=$(sig_times $B www.expired.lab A)
verdict "expired.lab: www's RRSIG expired" "$([[ -n $times ]] && ((${times%% *} < now)) && echo true || echo false)" "$times (now $now)"
times=$(sig_times $B expired.lab DNSKEY)
verdict "expired.lab: the DNSKEY RRSIG expired" "$([[ -n $times ]] && ((${times%% *} < now)) && echo true || echo false)" "$times"
times=$(sig_times $B www.not-yet-valid.lab A)
read -r _ inception _ <<<"$times"
verdict "not-yet-valid.lab: www's RRSIG not valid yet" "$([[ -n $times ]] && ((inception > now)) && echo true || echo false)" "$times (now $now)"
want=$(ds_of_keys $B ds-mismatch.lab) got=$(ds_in_parent 127.53.1.1 ds-mismatch.lab)
verdict "ds-mismatch.lab: lab.'s DS matches none of its keys" \
  "$([[ -n $want && -n $got && $want != "$got" && ${got%% *} != "${want%% *}" ]] && echo true || echo false)" "DS '$got', KSK's '$want'"
check "ds-mismatch.lab: signed all the same" "@$B www.ds-mismatch.lab A +dnssec" "$AUTH" 'RRSIG\s+A 13 3 3600 '
check "no-rrsig.lab: www's A has no RRSIG" "@$B www.no-rrsig.lab A +dnssec" "$AUTH" 'ANSWER: 1,' 'A\s+192\.0\.2\.174$'
check "no-rrsig.lab: the rest is signed" "@$B ns.no-rrsig.lab A +dnssec" "$AUTH" 'RRSIG\s+A 13 3 3600 '
tag=$(sig_times $B www.unknown-key.lab A | awk '{ print $3 }')
tags=$(dig @$B -p "$PORT" +norec +time=1 +tries=1 +multi unknown-key.lab DNSKEY | sed -n 's/.*key id = \([0-9]*\).*/\1/p' | paste -sd ' ')
verdict "unknown-key.lab: www's A signed by a key not in its DNSKEY set" \
  "$([[ -n $tag && $tag != *' '* && -n $tags && " $tags " != *" $tag "* ]] && echo true || echo false)" "RRSIG by '$tag', DNSKEYs '$tags'"
check "unknown-key.lab: the rest signed by its ZSK" "@$B ns.unknown-key.lab A +dnssec" "$AUTH" 'RRSIG\s+A 13 3 3600 '
# The NSEC3 records of gap.nsec3-gap.lab's NXDOMAIN: none covers its hash.
hash=$(ldns-nsec3-hash -t 0 gap.nsec3-gap.lab | tr '[:upper:]' '[:lower:]')
covering=$(dnssec $B gap.nsec3-gap.lab A | awk -v h="${hash%%.*}" '
  BEGIN { h = h "" }
  $4 == "NSEC3" { o = tolower(substr($1, 1, index($1, ".") - 1)); n = tolower($9); seen++
                  if ((o < n && o < h && h < n) || (o >= n && (h > o || h < n))) print o }
  END { if (!seen) print "no NSEC3 at all" }')
verdict "nsec3-gap.lab: no NSEC3 covers the hash of gap.nsec3-gap.lab" "$([[ -z $covering ]] && echo true || echo false)" "$covering"
check "nsec3-gap.lab: NXDOMAIN, NSEC3" "@$B gap.nsec3-gap.lab A +dnssec" 'status: NXDOMAIN' 'NSEC3\s+1 0 0 - '
check "nsec3-gap.lab: www signed" "@$B www.nsec3-gap.lab A +dnssec" "$AUTH" 'RRSIG\s+A 13 3 3600 '
check "no-dnskey.lab: no DNSKEY" "@$B no-dnskey.lab DNSKEY +dnssec" "$AUTH" 'status: NOERROR' 'ANSWER: 0,'
check "no-dnskey.lab: no RRSIG" "@$B www.no-dnskey.lab A +dnssec" "$AUTH" 'ANSWER: 1,'

# --- the server reachable over IPv6 only ----------------------------------
for lab in 127.53.1.1 127.53.1.2; do
  check "lab $lab refers ipv6.lab with AAAA glue only" "@$lab www.ipv6.lab A" "$REFERRAL" \
    '^ipv6\.lab\.\s.*NS\s+ns\.ipv6\.lab\.$' '^ns\.ipv6\.lab\.\s.*AAAA\s+::1$' 'AUTHORITY: 1, ADDITIONAL: 1$'
  check "lab $lab refers ipv6-noglue.lab WITHOUT glue" "@$lab www.ipv6-noglue.lab A" "$REFERRAL" \
    '^ipv6-noglue\.lab\..*NS\s+ns-ipv6\.hosting\.learn\.' 'ADDITIONAL: 0'
done
check "ns-ipv6.hosting.learn has an AAAA" "@127.53.13.1 ns-ipv6.hosting.learn AAAA" "$AUTH" 'AAAA\s+::1$'
check "ns-ipv6.hosting.learn has no A" "@127.53.13.1 ns-ipv6.hosting.learn A" "$AUTH" 'status: NOERROR' 'ANSWER: 0,'
# testbed.sh starts ns.ipv6.lab (and writes its knot.conf) only if ::1 exists.
if [[ -e $RUNDIR/ns.ipv6.lab/knot.conf ]]; then
  check "ns.ipv6.lab on ::1: ipv6.lab" "@::1 www.ipv6.lab A" "$AUTH" 'IN\s+A\s+192\.0\.2\.160$'
  check "ns.ipv6.lab on ::1: ipv6-noglue.lab" "@::1 www.ipv6-noglue.lab A" "$AUTH" 'IN\s+A\s+192\.0\.2\.161$'
else
  echo "selftest: skipped: no IPv6 loopback (::1), so no ns.ipv6.lab to check"
fi

# --- misbehaving servers: lab. delegates B.lab to the responder AND Knot ----
# Knot sends an RRset's records sorted (RFC 4034 section 6.3 order), so the
# misbehaving ns1.B.lab comes first: a resolver asks it first.
for lab in 127.53.1.1 127.53.1.2; do
  first=$(dig @"$lab" -p "$PORT" +norec +noedns +time=1 +tries=1 +noall +authority www.silent.lab A | head -n 1)
  if [[ $first =~ NS[[:space:]]+ns1\.silent\.lab\.$ ]]; then
    pass=$((pass + 1))
  else
    echo "FAIL: lab $lab lists ns1.silent.lab first: got '$first'"; fail=$((fail + 1))
  fi
  check "lab $lab refers silent.lab to responder + Knot" "@$lab www.silent.lab A" "$REFERRAL" \
    '^ns1\.silent\.lab\..*127\.53\.20\.1$' '^ns2\.silent\.lab\..*127\.53\.21\.1$'
  check "lab $lab refers only-good.lab to the responder alone" "@$lab www.only-good.lab A" \
    "$REFERRAL" '^ns\.only-good\.lab\..*127\.53\.20\.12$' 'AUTHORITY: 1,'
done
k=0
for zone in silent slow lame-noaa truncating wrong-address wrong-id wrong-question garbage servfail refused; do
  k=$((k + 1))
  check "Knot serves www.$zone.lab" "@127.53.21.1 www.$zone.lab A" "$AUTH" "IN\s+A\s+192\.0\.2\.$k\$"
done

if [[ -n ${SCRIPTED_RESPONDER:-} ]]; then
  R=127.53.20
  check "responder: good"       "@$R.12 www.only-good.lab A"     "$AUTH" 'IN\s+A\s+192\.0\.2\.53$'
  # dig 9.18.49 most often prints "299 msec" for a reply held back 300 ms from
  # the query's arrival (7 times in 8 here): its clock must be read a little
  # early, so a few milliseconds under 300 still mean "slow".
  check "responder: slow:300"   "@$R.2 www.only-slow.lab A"      "$AUTH" '192\.0\.2\.53$' 'Query time: (29[5-9]|[3-9][0-9][0-9]) msec'
  check "responder: lame"       "@$R.3 www.only-lame.lab A"      'flags: qr ra;' 'status: NOERROR' 'ANSWER: 0, AUTHORITY: 0'
  check "responder: nodata-noaa" "@$R.14 www.only-nodata-noaa.lab A" "$REFERRAL" 'status: NOERROR' 'ANSWER: 0, AUTHORITY: 0'
  check "responder: truncating" "@$R.4 www.only-truncating.lab A +ignore" 'flags: qr aa tc;' 'ANSWER: 0,'
  check "responder: servfail"   "@$R.9 www.only-servfail.lab A"  'status: SERVFAIL'
  check "responder: refused"    "@$R.10 www.only-refused.lab A"  'status: REFUSED'
  # These never give dig a reply it accepts: dig waits for its 1 s timeout.
  check "responder: silent"     "@$R.1 www.only-silent.lab A"    'timed out'
  check "responder: wrong-id"   "@$R.6 www.only-wrong-id.lab A"  'ID mismatch' 'timed out'
  check "responder: wrong-question" "@$R.7 www.only-wrong-question.lab A" \
    'Question section mismatch: got x\.www\.only-wrong-question\.lab/A/IN' 'timed out'
  check "responder: garbage"    "@$R.8 www.only-garbage.lab A"   'Warning:' 'timed out'
  # dig's socket is connected to 127.53.20.5, so the kernel drops the reply
  # from 127.53.20.105 before dig sees it: only a timeout shows.
  check "responder: wrong-address" "@$R.5 www.only-wrong-address.lab A" 'timed out'
else
  echo "selftest: SCRIPTED_RESPONDER not set: the responder's own checks are skipped"
fi

echo "selftest: $pass passed, $fail failed"
((fail == 0))
