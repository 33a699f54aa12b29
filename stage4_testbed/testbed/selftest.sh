#!/usr/bin/env bash
# selftest.sh -- start the test bed, check that every server answers as the
# README says (referrals, glue, authoritative answers, the signed zones, the
# IPv6 server), stop it again.
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
  check "lab $lab has the DS of nsec3.lab" "@$lab nsec3.lab DS" "$AUTH" '^nsec3\.lab\.\s.*DS\s+[0-9]+ 13 2 [0-9A-F]'
  check "lab $lab has the DS of nsec.lab" "@$lab nsec.lab DS" "$AUTH" '^nsec\.lab\.\s.*DS\s+[0-9]+ 13 2 [0-9A-F]'
done
S=@127.53.14.1
check "nsec3.lab: KSK and ZSK" "$S nsec3.lab DNSKEY" "$AUTH" 'DNSKEY\s+257 3 13 ' 'DNSKEY\s+256 3 13 '
check "nsec3.lab: signed answer" "$S www.nsec3.lab A +dnssec" "$AUTH" 'IN\s+A\s+192\.0\.2\.140$' 'RRSIG\s+A 13 3 3600 '
check "nsec3.lab: NSEC3PARAM" "$S nsec3.lab NSEC3PARAM" "$AUTH" 'NSEC3PARAM\s+1 0 0 [0-9A-F]{8}$'
check "nsec3.lab: NXDOMAIN proven by NSEC3" "$S nope.nsec3.lab A +dnssec" 'status: NXDOMAIN' \
  '^[0-9a-v]{32}\.nsec3\.lab\.\s.*NSEC3\s+1 0 0 [0-9A-F]{8} [0-9A-V]{32} ' 'RRSIG\s+NSEC3 13 3 600 '
check "nsec.lab: KSK and ZSK" "$S nsec.lab DNSKEY" "$AUTH" 'DNSKEY\s+257 3 13 ' 'DNSKEY\s+256 3 13 '
check "nsec.lab: NXDOMAIN proven by NSEC" "$S nope.nsec.lab A +dnssec" 'status: NXDOMAIN' \
  '^nsec\.lab\.\s.*NSEC\s+ns\.nsec\.lab\. NS SOA RRSIG NSEC DNSKEY$'

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
  check "responder: slow:300"   "@$R.2 www.only-slow.lab A"      "$AUTH" '192\.0\.2\.53$' 'Query time: [3-9][0-9][0-9] msec'
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
