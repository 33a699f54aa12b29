#include "common/socket_address.hpp"

#include <doctest/doctest.h>

using dns::AddressError;
using dns::SocketAddress;

TEST_CASE("IPv4 address and port") {
    const auto address = SocketAddress::parse("127.0.0.1:5353");
    CHECK(address.family() == AF_INET);
    CHECK(address.port() == 5353);
    CHECK(address.to_string() == "127.0.0.1:5353");
    CHECK_FALSE(address.is_unspecified());
}

TEST_CASE("IPv6 addresses are written in brackets") {
    const auto address = SocketAddress::parse("[::1]:53");
    CHECK(address.is_ipv6());
    CHECK(address.port() == 53);
    CHECK(address.ip_string() == "::1");
    CHECK(address.to_string() == "[::1]:53");
    CHECK(SocketAddress::parse("[::]:0").is_unspecified());
}

TEST_CASE("the article's default: any address, port 0") {
    const auto address = SocketAddress::parse("0.0.0.0:0");
    CHECK(address.is_unspecified());
    CHECK(address.port() == 0);
}

TEST_CASE("addresses a person may mistype are rejected with a reason") {
    CHECK_THROWS_AS(SocketAddress::parse("127.0.0.1"), AddressError);
    CHECK_THROWS_AS(SocketAddress::parse("127.0.0.1:"), AddressError);
    CHECK_THROWS_AS(SocketAddress::parse("127.0.0.1:65536"), AddressError);
    CHECK_THROWS_AS(SocketAddress::parse("127.0.0.1:53x"), AddressError);
    CHECK_THROWS_AS(SocketAddress::parse("999.0.0.1:53"), AddressError);
    CHECK_THROWS_AS(SocketAddress::parse("::1:53"), AddressError);
    CHECK_THROWS_AS(SocketAddress::parse("[::1]53"), AddressError);
    CHECK_THROWS_AS(SocketAddress::parse("localhost:53"), AddressError);
    CHECK_THROWS_WITH(SocketAddress::parse("1.2.3.4:70000"),
                      doctest::Contains("port must be a number from 0 to 65535"));
}

TEST_CASE("equality compares family, address and port") {
    CHECK(SocketAddress::parse("127.0.0.1:53") == SocketAddress::from_ip("127.0.0.1", 53));
    CHECK_FALSE(SocketAddress::parse("127.0.0.1:53") == SocketAddress::parse("127.0.0.2:53"));
    CHECK_FALSE(SocketAddress::parse("127.0.0.1:53") == SocketAddress::parse("127.0.0.1:54"));
    CHECK(SocketAddress::parse("[::1]:53") == SocketAddress::parse("[0:0::1]:53"));
}
