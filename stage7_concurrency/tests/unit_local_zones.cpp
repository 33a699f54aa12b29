// Local zones (local_zones.hpp): the names answered without asking anyone,
// the flags that change them, and the request handler's hook for them.

#include "../event_loop.hpp"
#include "../local_zones.hpp"
#include "../message_writer.hpp"
#include "../request_handler.hpp"
#include "command_line.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace dns;

namespace {

Question question(const std::string& name, uint16_t type = type_a) {
    return Question{DnsName::from_text(name), type, class_in};
}

const LocalZones& defaults() {
    static const LocalZones zones = LocalZones::build({}, {});
    return zones;
}

std::string soa_owner(const Resolution& resolution) {
    REQUIRE(resolution.authorities.size() == 1);
    CHECK(resolution.authorities[0].type == type_soa);
    return resolution.authorities[0].name.to_string();
}

} // namespace

TEST_CASE("localhost and every name in it are the loopback addresses (RFC 6761 6.3)") {
    const auto a = defaults().answer(question("localhost"));
    REQUIRE(a);
    CHECK(a->rcode == rcode_noerror);
    CHECK(a->authoritative);
    REQUIRE(a->answers.size() == 1);
    CHECK(rdata_to_text(a->answers[0]) == "127.0.0.1");
    const auto aaaa = defaults().answer(question("www.LocalHost.", type_aaaa));
    REQUIRE(aaaa);
    REQUIRE(aaaa->answers.size() == 1);
    CHECK(rdata_to_text(aaaa->answers[0]) == "::1");
    CHECK(aaaa->answers[0].name.to_string() == "www.LocalHost.");
    // Other types: NODATA with the zone's SOA.
    const auto mx = defaults().answer(question("localhost", type_mx));
    REQUIRE(mx);
    CHECK(mx->rcode == rcode_noerror);
    CHECK(mx->answers.empty());
    CHECK(soa_owner(*mx) == "localhost.");
}

TEST_CASE("invalid, onion, home.arpa and RFC 6303's reverse zones: NXDOMAIN with their SOA, AA") {
    for (const auto& [name, zone] : std::vector<std::pair<std::string, std::string>>{
             {"anything.invalid", "invalid."},
             {"duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion", "onion."},
             {"printer.home.arpa", "home.arpa."},
             {"1.1.168.192.in-addr.arpa", "168.192.in-addr.arpa."},
             {"4.3.2.10.in-addr.arpa", "10.in-addr.arpa."},
             {"1.0.20.172.in-addr.arpa", "20.172.in-addr.arpa."},
             {"1.1.254.169.in-addr.arpa", "254.169.in-addr.arpa."},
             {"9.9.100.100.in-addr.arpa", "100.100.in-addr.arpa."},
             {"1.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa",
              "8.e.f.ip6.arpa."},
             {"a.b.c.d.f.ip6.arpa", "d.f.ip6.arpa."},
         }) {
        CAPTURE(name);
        const auto answer = defaults().answer(question(name, type_ptr));
        REQUIRE(answer);
        CHECK(answer->rcode == rcode_nxdomain);
        CHECK(answer->authoritative);
        CHECK(answer->answers.empty());
        CHECK(soa_owner(*answer) == zone);
        // RFC 6303 section 3: "@ 10800 IN SOA @ nobody.invalid. 1 3600 1200 604800 10800".
        CHECK(rdata_to_text(answer->authorities[0]) ==
              zone + " nobody.invalid. 1 3600 1200 604800 10800");
    }
}

TEST_CASE("the zone's apex has its SOA and NS; the loopback addresses have their names") {
    const auto soa = defaults().answer(question("10.in-addr.arpa", type_soa));
    REQUIRE(soa);
    REQUIRE(soa->answers.size() == 1);
    CHECK(soa->answers[0].type == type_soa);
    const auto ns = defaults().answer(question("home.arpa", type_ns));
    REQUIRE(ns);
    REQUIRE(ns->answers.size() == 1);
    CHECK(rdata_to_text(ns->answers[0]) == "home.arpa.");
    const auto ptr = defaults().answer(question("1.0.0.127.in-addr.arpa", type_ptr));
    REQUIRE(ptr);
    REQUIRE(ptr->answers.size() == 1);
    CHECK(rdata_to_text(ptr->answers[0]) == "localhost.");
}

TEST_CASE("names outside the local zones are looked up: public reverse zones, test., the rest") {
    for (const std::string name :
         {"www.example.lab", "www.test", "8.8.8.8.in-addr.arpa", "1.0.32.172.in-addr.arpa",
          "1.0.15.172.in-addr.arpa", "1.0.128.100.in-addr.arpa", "arpa", "in-addr.arpa",
          "localhost.example.com", "1.0.0.0.c.f.ip6.arpa"}) {
        CAPTURE(name);
        CHECK_FALSE(defaults().answer(question(name)));
    }
}

TEST_CASE("--local-data answers its name; its other types get NODATA, names below it NXDOMAIN") {
    const LocalZones zones =
        LocalZones::build({}, {parse_local_data("printer.home.arpa 300 IN A 192.168.1.20"),
                               parse_local_data("router.lan A 192.168.1.1")});
    const auto a = zones.answer(question("PRINTER.home.arpa"));
    REQUIRE(a);
    REQUIRE(a->answers.size() == 1);
    CHECK(a->answers[0].ttl == 300);
    CHECK(rdata_to_text(a->answers[0]) == "192.168.1.20");
    const auto aaaa = zones.answer(question("printer.home.arpa", type_aaaa));
    REQUIRE(aaaa);
    CHECK(aaaa->rcode == rcode_noerror);
    CHECK(aaaa->answers.empty());
    CHECK(soa_owner(*aaaa) == "home.arpa.");
    // Outside any zone: that name only; its TTL defaults to an hour.
    const auto router = zones.answer(question("router.lan"));
    REQUIRE(router);
    CHECK(router->answers.at(0).ttl == 3600);
    const auto router_mx = zones.answer(question("router.lan", type_mx));
    REQUIRE(router_mx);
    CHECK(router_mx->answers.empty());
    CHECK(soa_owner(*router_mx) == "router.lan.");
    CHECK_FALSE(zones.answer(question("other.lan")));
    CHECK_FALSE(zones.answer(question("lan")));
}

TEST_CASE("a name above local data exists (NODATA, not NXDOMAIN: RFC 8020)") {
    const LocalZones zones =
        LocalZones::build({}, {parse_local_data("a.b.home.arpa 60 IN TXT \"two words\" one")});
    const auto above = zones.answer(question("b.home.arpa"));
    REQUIRE(above);
    CHECK(above->rcode == rcode_noerror);
    const auto txt = zones.answer(question("a.b.home.arpa", 16));
    REQUIRE(txt);
    REQUIRE(txt->answers.size() == 1);
    CHECK(rdata_to_text(txt->answers[0]) == "\"two words\" \"one\"");
}

TEST_CASE("--local-zone: static, refuse, nodefault") {
    const LocalZones zones = LocalZones::build({parse_local_zone("corp.example=static"),
                                                parse_local_zone("ads.example=refuse"),
                                                parse_local_zone("168.192.in-addr.arpa=nodefault")},
                                               {parse_local_data("www.corp.example A 10.1.1.1")});
    CHECK(zones.answer(question("www.corp.example"))->answers.size() == 1);
    CHECK(zones.answer(question("mail.corp.example"))->rcode == rcode_nxdomain);
    const auto refused = zones.answer(question("tracker.ads.example"));
    REQUIRE(refused);
    CHECK(refused->rcode == rcode_refused);
    REQUIRE(refused->extended_error);
    CHECK(refused->extended_error->code == ede::prohibited);
    CHECK_FALSE(zones.answer(question("1.1.168.192.in-addr.arpa", type_ptr)));
    CHECK(zones.answer(question("1.1.10.in-addr.arpa", type_ptr)));
    CHECK_THROWS_AS(LocalZones::build({parse_local_zone("example.com=nodefault")}, {}),
                    LocalZoneError);
    // The defaults can all be turned off, one by one.
    std::vector<LocalZoneSetting> none;
    for (const auto& name : default_local_zones())
        none.push_back({name, LocalZoneType::nodefault});
    CHECK(LocalZones::build(none, {}).zone_count() == 0);
    CHECK_FALSE(LocalZones::build(none, {}).answer(question("localhost")));
    // The root as a local zone holds every name, whatever its last label.
    const LocalZones everything = LocalZones::build({parse_local_zone(".=refuse")}, {});
    for (const char* name : {"www.example.com", "n1.bench.lab", "."}) {
        CAPTURE(name);
        const auto answer = everything.answer(question(name));
        REQUIRE(answer);
        CHECK(answer->rcode == rcode_refused);
    }
    CHECK(everything.answer(question("localhost"))->rcode == rcode_noerror);
}

TEST_CASE("a malformed --local-zone or --local-data is one clear usage error") {
    const auto parse = testing::parse_command_line;
    for (const std::string bad :
         {"printer.home.arpa 300 IN A 192.168.1.300", "printer.home.arpa A",
          "printer.home.arpa 300 IN WKS 1 2", "printer..home.arpa A 192.0.2.1", "x AAAA 1.2.3.4",
          "x MX mail.example", "x TXT \"unterminated", "", "x CH A 1.2.3.4",
          "x 99999999999 A 1.2.3.4"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(parse({"--local-data", bad}), doctest::Contains("--local-data '"),
                             NetworkOptionError);
    }
    CHECK_THROWS_WITH_AS(parse({"--local-zone", "lan=transparent"}),
                         doctest::Contains("not a type of local zone"), NetworkOptionError);
    CHECK_THROWS_AS(parse({"--local-zone", "lan"}), NetworkOptionError);
    CHECK_THROWS_AS(parse({"--local-data"}), UsageError);
    const Options good = parse({"--local-zone", "lan=static", "--local-data", "x.lan A 10.0.0.1",
                                "--local-data", "x.lan AAAA fd00::1"});
    CHECK(good.network.local_zones.size() == 1);
    CHECK(good.network.local_data.size() == 2);
    const std::string help = usage_text("resolver");
    CHECK(help.find("--local-zone NAME=TYPE") != std::string::npos);
    CHECK(help.find("--local-data") != std::string::npos);
    CHECK(help.find("not test.") != std::string::npos);
}

TEST_CASE("the request handler answers local names itself, with AA, before any lookup") {
    const LocalZones zones = LocalZones::build({parse_local_zone("ads.example=refuse")}, {});
    int lookups = 0;
    std::ostringstream log;
    RequestHandler handler(
        [&](const Question&) -> Task<Resolution> {
            ++lookups;
            co_return Resolution{};
        },
        log);
    handler.answer_locally_from(zones);
    EventLoop loop;
    const auto ask = [&](const std::string& name, bool with_edns) {
        MessageWriter writer(512);
        for (const uint16_t field : {0x4242, 0x0100, 1, 0, 0, with_edns ? 1 : 0})
            writer.write_u16(static_cast<uint16_t>(field));
        writer.write_name(DnsName::from_text(name));
        writer.write_u16(type_a);
        writer.write_u16(class_in);
        if (with_edns)
            writer.write_bytes(std::vector<uint8_t>{0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0});
        const auto bytes =
            run_to_completion(loop, handler.handle(writer.bytes(), Transport::udp, "a test"));
        REQUIRE(bytes);
        return parse_message(*bytes);
    };
    const Message localhost = ask("localhost", false);
    CHECK(localhost.header.aa);
    CHECK(localhost.header.rcode == rcode_noerror);
    CHECK(localhost.answers.size() == 1);
    const Message onion = ask("x.onion", false);
    CHECK(onion.header.aa);
    CHECK(onion.header.rcode == rcode_nxdomain);
    CHECK(onion.authorities.size() == 1);
    const Message refused = ask("www.ads.example", true);
    CHECK_FALSE(refused.header.aa);
    CHECK(refused.header.rcode == rcode_refused);
    CHECK(lookups == 0);
    const Message looked_up = ask("www.example.lab", false);
    CHECK_FALSE(looked_up.header.aa);
    CHECK(lookups == 1);
}
