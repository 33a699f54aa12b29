// Root hints: where a resolver starts. Every lookup begins by asking one of the
// root name servers, so a resolver must know their addresses before it knows
// anything else. They come in the "named.root" format that IANA publishes (and
// Debian ships as /usr/share/dns/root.hints): ordinary zone-file lines, the NS
// records of the root and the addresses of the servers they name.
#pragma once

#include "common/socket_address.hpp"
#include "dns_name.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dns {

// A root hints file that cannot be used.
class RootHintsError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A name server: its name and the addresses we know for it (none when a
// referral came without glue).
struct NameServer {
    DnsName name;
    std::vector<SocketAddress> addresses; // port 53; the resolver may use another
};

// Reads named.root text: the NS records of "." and the A and AAAA records of
// the servers they name (each server's IPv4 addresses first). Throws RootHintsError.
std::vector<NameServer> parse_root_hints(std::string_view text);
// Reads a named.root file. Throws RootHintsError.
std::vector<NameServer> load_root_hints(const std::string& path);
// The thirteen root servers of the Internet, as IANA lists them.
std::vector<NameServer> builtin_root_hints();

} // namespace dns
