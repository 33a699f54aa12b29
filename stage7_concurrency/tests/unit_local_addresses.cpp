// The addresses a resolver must not send queries to when a delegation names
// them: a zone that names 127.0.0.1 as its server would turn the resolver
// against services on its own machine.

#include "../iterative_resolver.hpp"

#include <doctest/doctest.h>

using namespace dns;

namespace {

SocketAddress ip(const char* text) {
    return SocketAddress::from_ip(text, 53);
}

} // namespace

TEST_CASE("loopback, 'this network' and the unspecified address are local") {
    CHECK(is_local_address(ip("127.0.0.1")));
    CHECK(is_local_address(ip("127.53.1.1")));
    CHECK(is_local_address(ip("127.255.255.255")));
    CHECK(is_local_address(ip("0.0.0.0")));
    CHECK(is_local_address(ip("0.1.2.3")));
    CHECK(is_local_address(ip("::1")));
    CHECK(is_local_address(ip("::")));
}

TEST_CASE("other addresses are not local") {
    CHECK_FALSE(is_local_address(ip("192.0.2.1")));
    CHECK_FALSE(is_local_address(ip("2001:db8::1")));
    CHECK_FALSE(is_local_address(ip("128.0.0.1")));
    CHECK_FALSE(is_local_address(ip("126.255.255.255")));
    CHECK_FALSE(is_local_address(ip("1.0.0.0")));
    CHECK_FALSE(is_local_address(ip("::2")));
}

// An IPv4-mapped IPv6 address (::ffff:127.0.0.1, RFC 4291 section 2.5.5.2)
// is local too: an IPv6 socket that also speaks IPv4 (Linux's default) would
// send a query to it to 127.0.0.1 (the first version let it through).
TEST_CASE("IPv4-mapped loopback addresses are local too") {
    CHECK(is_local_address(ip("::ffff:127.0.0.1")));
    CHECK(is_local_address(ip("::ffff:0.0.0.0")));
    CHECK_FALSE(is_local_address(ip("::ffff:192.0.2.1")));
}

TEST_CASE("any_local_address: one local address among the servers is enough") {
    const NameServer far{DnsName::from_text("a.root-servers.net"),
                         {ip("198.41.0.4"), ip("2001:503:ba3e::2:30")}};
    const NameServer near{DnsName::from_text("ns.lab"), {ip("192.0.2.1"), ip("127.0.0.10")}};
    const NameServer no_address{DnsName::from_text("ns.nowhere.lab"), {}};
    CHECK_FALSE(any_local_address({}));
    CHECK_FALSE(any_local_address({far}));
    CHECK_FALSE(any_local_address({far, no_address}));
    CHECK(any_local_address({far, near}));
    CHECK(any_local_address({NameServer{DnsName::from_text("ns.lab"), {ip("::1")}}}));
}
