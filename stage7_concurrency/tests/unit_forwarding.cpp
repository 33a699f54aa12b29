// Forwarding (forwarding.hpp): the flag, the choice of forwarder, and what a
// recursive resolver's reply means.

#include "../extended_errors.hpp"
#include "../forwarding.hpp"
#include "../outgoing_messages.hpp"
#include "command_line.hpp"

#include <doctest/doctest.h>

using namespace dns;

namespace {

ResourceRecord record(const std::string& name, uint16_t type, std::vector<uint8_t> rdata) {
    return ResourceRecord{DnsName::from_text(name), type, class_in, 300, std::move(rdata)};
}

std::vector<uint8_t> name_rdata(const std::string& name) {
    MessageWriter writer(300);
    writer.write_name(DnsName::from_text(name));
    return writer.bytes();
}

} // namespace

TEST_CASE("--forward ZONE=ADDRESS: IPv4 or IPv6, the port 53 unless given") {
    CHECK(parse_forward("lab=192.0.2.1").address.to_string() == "192.0.2.1:53");
    CHECK(parse_forward("lab=192.0.2.1:5353").address.to_string() == "192.0.2.1:5353");
    CHECK(parse_forward("lab=[2001:db8::1]").address.to_string() == "[2001:db8::1]:53");
    CHECK(parse_forward("lab=[::1]:5300").address.to_string() == "[::1]:5300");
    CHECK(parse_forward("lab=2001:db8::53").address.to_string() == "[2001:db8::53]:53");
    CHECK(parse_forward(".=127.0.0.1").zone.is_root());
    CHECK(parse_forward("Home.Arpa.=10.0.0.1").zone.to_string() == "Home.Arpa.");
    for (const std::string bad :
         {"lab", "=192.0.2.1", "lab=", "lab=router.home", "lab=192.0.2.1:0", "lab=192.0.2.1:99999",
          "lab=0.0.0.0", "a..b=192.0.2.1", "lab=[::1", "lab=300.1.1.1"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(parse_forward(bad), ForwardError);
    }
    // On the command line: repeatable, and a mistake is a NetworkOptionError (exit status 2).
    CHECK(testing::parse_command_line(
              {"--forward", "lab=127.0.0.1:5300", "--forward", ".=192.0.2.53"})
              .network.forwarders.size() == 2);
    CHECK_THROWS_WITH_AS(testing::parse_command_line({"--forward", "lab=nowhere"}),
                         doctest::Contains("--forward 'nowhere'"), NetworkOptionError);
    CHECK(usage_text("resolver").find("--forward ZONE=ADDR") != std::string::npos);
}

TEST_CASE("the longest forwarded zone a name is in wins; names in none are not forwarded") {
    Forwarders forwarders;
    CHECK(forwarders.find(DnsName::from_text("www.example.lab")) == nullptr);
    forwarders.add(parse_forward(".=192.0.2.1"));
    forwarders.add(parse_forward("example.lab=192.0.2.2"));
    forwarders.add(parse_forward("lab=192.0.2.3"));
    CHECK(forwarders.find(DnsName::from_text("www.example.lab"))->address.ip_string() ==
          "192.0.2.2");
    CHECK(forwarders.find(DnsName::from_text("EXAMPLE.lab"))->address.ip_string() == "192.0.2.2");
    CHECK(forwarders.find(DnsName::from_text("other.lab"))->address.ip_string() == "192.0.2.3");
    CHECK(forwarders.find(DnsName::from_text("www.iana.org"))->address.ip_string() == "192.0.2.1");
    forwarders.add(parse_forward("lab=192.0.2.4")); // replaces the one before
    CHECK(forwarders.find(DnsName::from_text("other.lab"))->address.ip_string() == "192.0.2.4");
    Forwarders some;
    some.add(parse_forward("corp.example=10.0.0.53"));
    CHECK(some.find(DnsName::from_text("example")) == nullptr);
    CHECK(some.find(DnsName::from_text("notcorp.example")) == nullptr);
}

TEST_CASE("a forwarder's reply: the whole CNAME chain, its NXDOMAIN believed without AA") {
    const Question question{DnsName::from_text("www.example.lab"), type_a, class_in};
    Message reply;
    reply.header.qr = true;
    reply.header.ra = true;
    reply.answers = {record("www.example.lab", type_cname, name_rdata("web.example.net")),
                     record("web.example.net", type_a, {192, 0, 2, 80}),
                     record("unrelated.example", type_a, {192, 0, 2, 99})};
    std::string why;
    auto answer = read_forwarded_reply(reply, question, why);
    REQUIRE(answer);
    CHECK(answer->rcode == rcode_noerror);
    REQUIRE(answer->answers.size() == 2);
    CHECK(answer->answers[1].name.to_string() == "web.example.net.");

    Message nxdomain;
    nxdomain.header.rcode = rcode_nxdomain; // AA=0: from a recursive resolver
    nxdomain.authorities = {record("lab", type_soa, std::vector<uint8_t>(22, 0))};
    auto negative = read_forwarded_reply(nxdomain, question, why);
    REQUIRE(negative);
    CHECK(negative->rcode == rcode_nxdomain);
    CHECK(negative->authorities.size() == 1);

    Message nodata;
    nodata.authorities = nxdomain.authorities;
    auto empty = read_forwarded_reply(nodata, question, why);
    REQUIRE(empty);
    CHECK(empty->rcode == rcode_noerror);
    CHECK(empty->answers.empty());
    CHECK(empty->authorities.size() == 1);

    Message servfail;
    servfail.header.rcode = rcode_servfail;
    CHECK_FALSE(read_forwarded_reply(servfail, question, why));
    CHECK(why == "the forwarder answered SERVFAIL");
    CHECK(extended_error_for_failure("the forwarder 192.0.2.1:53 for lab. did not answer").code ==
          ede::network_error);
}

TEST_CASE("a query to a forwarder asks it to recurse (RD=1); to an authority it does not") {
    const Question question{DnsName::from_text("www.example.lab"), type_a, class_in};
    CHECK((build_query(1, question, true, true)[2] & 0x01) == 0x01);
    CHECK((build_query(1, question, true)[2] & 0x01) == 0);
}
