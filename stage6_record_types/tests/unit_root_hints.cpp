#include "../root_hints.hpp"

#include <doctest/doctest.h>

using namespace dns;

TEST_CASE("named.root: NS records of the root and the servers' addresses") {
    const auto servers = parse_root_hints(R"(
; comments and blank lines are skipped

.                        3600000      NS    A.ROOT-SERVERS.NET.
A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4
A.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:ba3e::2:30
.                        3600000  IN  NS    b.root-servers.net.
b.root-servers.net.                   A     170.247.170.2
)");
    REQUIRE(servers.size() == 2);
    CHECK(servers[0].name.to_string() == "A.ROOT-SERVERS.NET.");
    REQUIRE(servers[0].addresses.size() == 2);
    CHECK(servers[0].addresses[0].to_string() == "198.41.0.4:53");
    CHECK(servers[0].addresses[1].ip_string() == "2001:503:ba3e::2:30");
    CHECK(servers[1].addresses.at(0).ip_string() == "170.247.170.2");
}

TEST_CASE("the built-in hints are IANA's thirteen root servers") {
    const auto servers = builtin_root_hints();
    CHECK(servers.size() == 13);
    CHECK(servers.front().addresses.at(0).ip_string() == "198.41.0.4");
    CHECK(servers.back().name.to_string() == "M.ROOT-SERVERS.NET.");
}

TEST_CASE("hints that cannot be used say why, with the line") {
    CHECK_THROWS_WITH_AS(parse_root_hints(""), doctest::Contains("no root server"), RootHintsError);
    CHECK_THROWS_WITH_AS(parse_root_hints(". NS"), doctest::Contains("line 1"), RootHintsError);
    CHECK_THROWS_WITH_AS(parse_root_hints("x. A 300.1.1.1"), doctest::Contains("line 1"),
                         RootHintsError);
    CHECK_THROWS_WITH_AS(parse_root_hints("com. 100 NS a.gtld-servers.net."),
                         doctest::Contains("not for the root"), RootHintsError);
    CHECK_THROWS_AS(load_root_hints("/nonexistent/root.hints"), RootHintsError);
}

TEST_CASE("root servers with only an IPv6 address are accepted (RFC 3596, RFC 8109)") {
    const auto servers = parse_root_hints(R"(
.                        3600000      NS    A.ROOT-SERVERS.NET.
A.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:ba3e::2:30
)");
    REQUIRE(servers.size() == 1);
    REQUIRE(servers[0].addresses.size() == 1);
    CHECK(servers[0].addresses[0].ip_string() == "2001:503:ba3e::2:30");
    CHECK_THROWS_WITH_AS(parse_root_hints("a. A ::1"), doctest::Contains("other family"),
                         RootHintsError);
}

TEST_CASE("the built-in hints carry every root server's IPv6 address after its IPv4 one") {
    for (const auto& server : builtin_root_hints()) {
        INFO(server.name.to_string());
        REQUIRE(server.addresses.size() == 2);
        CHECK(server.addresses[0].family() == AF_INET);
        CHECK(server.addresses[1].family() == AF_INET6);
    }
}
