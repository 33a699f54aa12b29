// The access list: which clients get answers. An open resolver is an
// amplification weapon (RFC 5358), so by default only loopback is served.

#include "../access_list.hpp"

#include <doctest/doctest.h>

using namespace dns;

namespace {

SocketAddress ip(const char* text) {
    return SocketAddress::from_ip(text, 40000);
}

} // namespace

TEST_CASE("Network::parse reads IPv4 and IPv6 networks with their prefix lengths") {
    const Network lan = Network::parse("192.168.1.0/24");
    CHECK(lan.family == AF_INET);
    CHECK(lan.prefix_length == 24);
    CHECK(lan.bytes[0] == 192);
    CHECK(lan.bytes[1] == 168);
    CHECK(lan.bytes[2] == 1);
    CHECK(lan.bytes[3] == 0);

    CHECK(Network::parse("10.0.0.0/8").prefix_length == 8);
    CHECK(Network::parse("0.0.0.0/0").prefix_length == 0);
    CHECK(Network::parse("192.0.2.7/32").prefix_length == 32);

    const Network doc = Network::parse("2001:db8::/32");
    CHECK(doc.family == AF_INET6);
    CHECK(doc.prefix_length == 32);
    CHECK(doc.bytes[0] == 0x20);
    CHECK(doc.bytes[1] == 0x01);
    CHECK(doc.bytes[2] == 0x0d);
    CHECK(doc.bytes[3] == 0xb8);
    CHECK(Network::parse("::1/128").prefix_length == 128);
    CHECK(Network::parse("::/0").prefix_length == 0);
}

TEST_CASE("an address alone is a network of one") {
    CHECK(Network::parse("192.0.2.1").prefix_length == 32);
    CHECK(Network::parse("2001:db8::1").prefix_length == 128);
    const Network one = Network::parse("192.0.2.1");
    CHECK(one.contains(ip("192.0.2.1")));
    CHECK_FALSE(one.contains(ip("192.0.2.2")));
    CHECK_FALSE(one.contains(ip("192.0.2.0")));
}

TEST_CASE("what is not a network is a CidrError that says what was given") {
    CHECK_THROWS_AS(Network::parse(""), CidrError);
    CHECK_THROWS_AS(Network::parse("/24"), CidrError);
    CHECK_THROWS_WITH_AS(Network::parse("example.lab/24"), doctest::Contains("example.lab/24"),
                         CidrError);
    CHECK_THROWS_AS(Network::parse("192.168.1.256/24"), CidrError);
    CHECK_THROWS_AS(Network::parse("2001:db8:::1/64"), CidrError);
    // Prefixes longer than the address.
    CHECK_THROWS_WITH_AS(Network::parse("192.0.2.0/33"), doctest::Contains("0 to 32"), CidrError);
    CHECK_THROWS_WITH_AS(Network::parse("2001:db8::/129"), doctest::Contains("0 to 128"),
                         CidrError);
    // A slash with nothing, or something else, after it.
    CHECK_THROWS_AS(Network::parse("192.0.2.0/"), CidrError);
    CHECK_THROWS_AS(Network::parse("192.0.2.0/-1"), CidrError);
    CHECK_THROWS_AS(Network::parse("192.0.2.0/24x"), CidrError);
    CHECK_THROWS_AS(Network::parse("192.0.2.0/ 24"), CidrError);
    CHECK_THROWS_AS(Network::parse("192.0.2.0/24/8"), CidrError);
    CHECK_THROWS_AS(Network::parse("192.0.2.0/abc"), CidrError);
}

TEST_CASE("contains: byte-aligned prefixes") {
    const Network lan = Network::parse("192.168.1.0/24");
    CHECK(lan.contains(ip("192.168.1.0")));
    CHECK(lan.contains(ip("192.168.1.77")));
    CHECK(lan.contains(ip("192.168.1.255")));
    CHECK_FALSE(lan.contains(ip("192.168.2.1")));
    CHECK_FALSE(lan.contains(ip("192.169.1.1")));

    const Network ten = Network::parse("10.0.0.0/8");
    CHECK(ten.contains(ip("10.255.255.255")));
    CHECK_FALSE(ten.contains(ip("11.0.0.0")));

    // /0: every address of the family.
    const Network everyone = Network::parse("0.0.0.0/0");
    CHECK(everyone.contains(ip("203.0.113.9")));
    CHECK(everyone.contains(ip("127.0.0.1")));
    CHECK(Network::parse("::/0").contains(ip("2001:db8::1")));

    const Network doc = Network::parse("2001:db8::/32");
    CHECK(doc.contains(ip("2001:db8:ffff::1")));
    CHECK_FALSE(doc.contains(ip("2001:db9::1")));
    CHECK(Network::parse("::1/128").contains(ip("::1")));
    CHECK_FALSE(Network::parse("::1/128").contains(ip("::2")));
}

TEST_CASE("contains: prefixes that end inside a byte") {
    // 172.16.0.0/20 is 172.16.0.0 to 172.16.15.255.
    const Network twenty = Network::parse("172.16.0.0/20");
    CHECK(twenty.contains(ip("172.16.0.1")));
    CHECK(twenty.contains(ip("172.16.15.255")));
    CHECK_FALSE(twenty.contains(ip("172.16.16.0")));
    CHECK_FALSE(twenty.contains(ip("172.17.0.1")));
    // Written with host bits set, the network is still the /20.
    CHECK(Network::parse("172.16.9.9/20").contains(ip("172.16.0.1")));

    // 2001:db8:8000::/33: the top bit of the fifth byte.
    const Network half = Network::parse("2001:db8:8000::/33");
    CHECK(half.contains(ip("2001:db8:ffff::1")));
    CHECK_FALSE(half.contains(ip("2001:db8:7fff::1")));

    const Network one_bit = Network::parse("128.0.0.0/1");
    CHECK(one_bit.contains(ip("200.1.2.3")));
    CHECK_FALSE(one_bit.contains(ip("127.0.0.1")));
    const Network thirty_one = Network::parse("192.0.2.4/31");
    CHECK(thirty_one.contains(ip("192.0.2.5")));
    CHECK_FALSE(thirty_one.contains(ip("192.0.2.6")));
}

TEST_CASE("an IPv4 network never contains an IPv6 address, nor the other way round") {
    CHECK_FALSE(Network::parse("0.0.0.0/0").contains(ip("::1")));
    CHECK_FALSE(Network::parse("::/0").contains(ip("127.0.0.1")));
}

TEST_CASE("loopback_only serves this machine and nobody else") {
    const AccessList list = AccessList::loopback_only();
    CHECK(list.allows(ip("127.0.0.1")));
    CHECK(list.allows(ip("127.9.9.9")));
    CHECK(list.allows(ip("127.255.255.255")));
    CHECK(list.allows(ip("::1")));
    CHECK_FALSE(list.allows(ip("192.0.2.1")));
    CHECK_FALSE(list.allows(ip("128.0.0.1")));
    CHECK_FALSE(list.allows(ip("::2")));
    CHECK_FALSE(list.allows(ip("2001:db8::1")));
}

TEST_CASE("an access list allows the union of its networks, and an empty one nobody") {
    AccessList list;
    CHECK_FALSE(list.allows(ip("127.0.0.1")));
    list.allow(Network::parse("192.168.1.0/24"));
    list.allow(Network::parse("2001:db8::/32"));
    CHECK(list.allows(ip("192.168.1.10")));
    CHECK(list.allows(ip("2001:db8::53")));
    CHECK_FALSE(list.allows(ip("127.0.0.1")));
    CHECK_FALSE(list.allows(ip("192.168.2.10")));
}

// Listening on [::]:PORT, the socket is dual-stack (Linux's default is
// bindv6only=0): an IPv4 client's address arrives as ::ffff:a.b.c.d (RFC 4291
// section 2.5.5.2), and must match the IPv4 networks of the access list, or
// every IPv4 client would be refused (a bug the first version had).
TEST_CASE("IPv4 clients on a dual-stack socket (::ffff:a.b.c.d) match IPv4 networks") {
    CHECK(AccessList::loopback_only().allows(ip("::ffff:127.0.0.1")));
    CHECK(Network::parse("192.168.1.0/24").contains(ip("::ffff:192.168.1.5")));
    CHECK_FALSE(Network::parse("192.168.1.0/24").contains(ip("::ffff:192.168.2.5")));
}
