// The command line of this stage's resolver.
#pragma once

#include "access_list.hpp"
#include "common/socket_address.hpp"
#include "dnssec_options.hpp"
#include "network_options.hpp"

#include <span>
#include <stdexcept>
#include <string>

namespace dns {

// The command line could not be understood. main() prints it with a hint to use --help.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Options {
    // 0.0.0.0:0 as in the article: every IPv4 address of this machine, and port 0,
    // which asks the OS to choose any free port.
    SocketAddress listen = SocketAddress::from_ip("0.0.0.0", 0);
    // A named.root file naming the root servers; empty: the IANA root servers.
    std::string root_hints_file;
    // The port of the authoritative servers asked: 53 on the Internet, another
    // one in a test bed that runs without privileges.
    uint16_t upstream_port = 53;
    bool trace = false;   // print every step of every lookup
    bool quiet = false;   // print nothing per query
    bool hexdump = false; // print the bytes of every query received
    // Worker threads, each with its own sockets and event loop: 0 means one
    // per core of this machine.
    unsigned threads = 0;
    size_t cache_size_mib = 64; // 0: no cache at all
    // The clients that get answers; the others get REFUSED. Loopback only,
    // unless --allow names the networks: then those, and only those.
    AccessList allowed_clients = AccessList::loopback_only();
    bool allow_given = false;
    // Query servers at loopback addresses a delegation names, even when the
    // root hints are not themselves loopback addresses.
    bool allow_local_servers = false;
    // --qname-minimisation on|off: each server is told only as much of the
    // name as it needs (RFC 9156), as Unbound, Knot Resolver and PowerDNS
    // Recursor do by default.
    bool qname_minimisation = true;
    // Local zones, local data, ...: network_options.hpp.
    NetworkOptions network;
    // Trust anchors, --no-validation, ...: dnssec_options.hpp.
    DnssecOptions dnssec;
    bool show_help = false;
};

// Reads argv (argv[0] is the program's name). Throws UsageError.
Options parse_options(std::span<char*> arguments);

// What --help prints.
std::string usage_text(std::string_view program_name);

} // namespace dns
