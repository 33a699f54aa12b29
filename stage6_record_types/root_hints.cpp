#include "root_hints.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace dns {

namespace {

// The root servers' IPv4 and IPv6 addresses, from IANA's named.root (the root
// zone of 2026 lists the same ones). A resolver on a machine without IPv6
// finds the IPv6 ones unreachable at once and asks the IPv4 ones (RFC 8109
// section 3 expects a resolver to use both).
constexpr std::string_view iana_root_hints = R"(
.                        3600000      NS    A.ROOT-SERVERS.NET.
A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4
A.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:ba3e::2:30
.                        3600000      NS    B.ROOT-SERVERS.NET.
B.ROOT-SERVERS.NET.      3600000      A     170.247.170.2
B.ROOT-SERVERS.NET.      3600000      AAAA  2801:1b8:10::b
.                        3600000      NS    C.ROOT-SERVERS.NET.
C.ROOT-SERVERS.NET.      3600000      A     192.33.4.12
C.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2::c
.                        3600000      NS    D.ROOT-SERVERS.NET.
D.ROOT-SERVERS.NET.      3600000      A     199.7.91.13
D.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2d::d
.                        3600000      NS    E.ROOT-SERVERS.NET.
E.ROOT-SERVERS.NET.      3600000      A     192.203.230.10
E.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:a8::e
.                        3600000      NS    F.ROOT-SERVERS.NET.
F.ROOT-SERVERS.NET.      3600000      A     192.5.5.241
F.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2f::f
.                        3600000      NS    G.ROOT-SERVERS.NET.
G.ROOT-SERVERS.NET.      3600000      A     192.112.36.4
G.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:12::d0d
.                        3600000      NS    H.ROOT-SERVERS.NET.
H.ROOT-SERVERS.NET.      3600000      A     198.97.190.53
H.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:1::53
.                        3600000      NS    I.ROOT-SERVERS.NET.
I.ROOT-SERVERS.NET.      3600000      A     192.36.148.17
I.ROOT-SERVERS.NET.      3600000      AAAA  2001:7fe::53
.                        3600000      NS    J.ROOT-SERVERS.NET.
J.ROOT-SERVERS.NET.      3600000      A     192.58.128.30
J.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:c27::2:30
.                        3600000      NS    K.ROOT-SERVERS.NET.
K.ROOT-SERVERS.NET.      3600000      A     193.0.14.129
K.ROOT-SERVERS.NET.      3600000      AAAA  2001:7fd::1
.                        3600000      NS    L.ROOT-SERVERS.NET.
L.ROOT-SERVERS.NET.      3600000      A     199.7.83.42
L.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:9f::42
.                        3600000      NS    M.ROOT-SERVERS.NET.
M.ROOT-SERVERS.NET.      3600000      A     202.12.27.33
M.ROOT-SERVERS.NET.      3600000      AAAA  2001:dc3::35
)";

// The <cctype> functions take an unsigned char's value: a plain char over 127
// (any non-ASCII byte in the file) must be converted first.
bool is_number(const std::string& word) {
    return !word.empty() && std::all_of(word.begin(), word.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::string upper(std::string word) {
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return word;
}

} // namespace

std::vector<NameServer> parse_root_hints(std::string_view text) {
    std::vector<DnsName> server_names;                             // from the NS records, in order
    std::vector<std::pair<DnsName, SocketAddress>> addresses;      // from the A records
    std::vector<std::pair<DnsName, SocketAddress>> ipv6_addresses; // from the AAAA records
    std::istringstream lines{std::string(text)};
    std::string line;
    for (int line_number = 1; std::getline(lines, line); ++line_number) {
        line = line.substr(0, line.find(';')); // a comment runs to the end of the line
        std::istringstream words(line);
        std::vector<std::string> fields;
        for (std::string word; words >> word;)
            fields.push_back(word);
        if (fields.empty())
            continue;
        const auto fail = [&](const std::string& why) {
            throw RootHintsError("line " + std::to_string(line_number) + ": " + why);
        };
        // NAME [TTL] [CLASS] TYPE DATA: the TTL and the class (IN) may be left out.
        size_t at = 1;
        if (at < fields.size() && is_number(fields[at]))
            ++at;
        if (at < fields.size() && upper(fields[at]) == "IN")
            ++at;
        if (at + 2 != fields.size())
            fail("expected NAME [TTL] [IN] TYPE DATA");
        const std::string type = upper(fields[at]);
        const std::string& data = fields[at + 1];
        try {
            if (type == "NS") {
                if (!DnsName::from_text(fields[0]).is_root())
                    fail("an NS record for " + fields[0] + ", not for the root");
                server_names.push_back(DnsName::from_text(data));
            } else if (type == "A" || type == "AAAA") {
                const auto address = SocketAddress::from_ip(data, 53);
                if ((type == "A") != (address.family() == AF_INET))
                    fail(type + " record with the address " + data + " of the other family");
                (type == "A" ? addresses : ipv6_addresses)
                    .emplace_back(DnsName::from_text(fields[0]), address);
            }
            // Other types are not used.
        } catch (const NameError& error) {
            fail(error.what());
        } catch (const AddressError& error) {
            fail(error.what());
        }
    }
    std::vector<NameServer> servers;
    for (const DnsName& name : server_names) {
        NameServer server{name, {}};
        // IPv4 first, then IPv6 (RFC 3596): as glue is taken (reply_classification.cpp).
        for (const auto* list : {&addresses, &ipv6_addresses})
            for (const auto& [owner, address] : *list)
                if (owner == name)
                    server.addresses.push_back(address);
        if (!server.addresses.empty())
            servers.push_back(server);
    }
    if (servers.empty())
        throw RootHintsError("no root server with an address (NS records of \".\" and "
                             "A or AAAA records of the servers they name)");
    return servers;
}

std::vector<NameServer> load_root_hints(const std::string& path) {
    std::ifstream file(path);
    if (!file)
        throw RootHintsError("cannot read " + path);
    std::stringstream text;
    text << file.rdbuf();
    try {
        return parse_root_hints(text.str());
    } catch (const RootHintsError& error) {
        throw RootHintsError(path + ": " + error.what());
    }
}

std::vector<NameServer> builtin_root_hints() {
    return parse_root_hints(iana_root_hints);
}

} // namespace dns
