#!/usr/bin/env bash
# Installs the Debian packages that the project needs and that are missing.
#
#   install_deps.sh test    what `make test` and `make demo` need
#   install_deps.sh bench   what `make bench` needs as well (and bench_profile.sh)
#
# As root (or with password-less sudo) it runs apt-get itself; otherwise it stops
# and prints the exact apt-get command to run.
set -euo pipefail

purpose="${1:-test}"

# g++/make build everything; doctest-dev is the test framework; dnsutils brings dig,
# knot-dnsutils kdig, bind9-host host, ldnsutils drill (real clients for the tests,
# and ldns-keygen, ldns-signzone, ldns-key2ds, ldns-nsec3-hash, with which the test
# bed makes its bogus DNSSEC zones); knot is the authoritative server of the test
# bed (and keymgr makes the keys of its signed zones); clang and its runtime build
# the libFuzzer targets; unbound is the reference resolver of stage 6's
# differential test, of stage 7's DNSSEC tests (validating) and of its
# benchmark. libssl-dev brings OpenSSL's libcrypto, which stage 7 links for
# DNSSEC's signatures and digests;
# dns-root-data ships IANA's root trust anchors (/usr/share/dns/root.ds), which
# stage 7 reads by default and its unit tests compare with its built-in ones.
packages=(g++ make doctest-dev dnsutils bind9-host ldnsutils knot knot-dnsutils clang libclang-rt-dev
    unbound libssl-dev dns-root-data)
# make bench: dnsperf drives the load; pdns-recursor and knot-resolver are the
# peers beside unbound (their Debian packages also install services, which the
# bench does not use: it runs each on a port of its own); lmdb-utils' mdb_stat
# reads how much of Knot Resolver's cache is in use; gnuplot-nox draws the
# latency chart; linux-perf and strace are for bench_profile.sh, the profile of
# a miss.
if [[ "$purpose" == bench ]]; then
    packages+=(dnsperf pdns-recursor knot-resolver lmdb-utils gnuplot-nox linux-perf strace)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing+=("$package")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
    runner=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    runner=(sudo)
else
    echo "error: these Debian packages are missing: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${runner[@]}" apt-get update -q
"${runner[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
