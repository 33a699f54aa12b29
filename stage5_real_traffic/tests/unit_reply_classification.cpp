#include "../message_writer.hpp"
#include "../reply_classification.hpp"

#include <doctest/doctest.h>

using namespace dns;

namespace {

// The RDATA of an NS or CNAME record: the name, uncompressed.
std::vector<uint8_t> name_rdata(const std::string& name) {
    MessageWriter writer(DnsName::max_wire_length);
    writer.write_name(DnsName::from_text(name));
    return writer.bytes();
}

ResourceRecord record(const std::string& owner, uint16_t type, std::vector<uint8_t> rdata) {
    return ResourceRecord{DnsName::from_text(owner), type, class_in, 3600, std::move(rdata)};
}

const Question www_question{DnsName::from_text("www.example.lab"), type_a, class_in};

Message reply() {
    Message message;
    message.header.qr = true;
    message.questions.push_back(www_question);
    return message;
}

} // namespace

TEST_CASE("an answer: the records of the name and type asked") {
    Message message = reply();
    message.header.aa = true;
    message.answers.push_back(record("www.example.lab", type_a, {192, 0, 2, 1}));
    message.answers.push_back(record("other.example.lab", type_a, {192, 0, 2, 2}));
    const auto classified =
        classify_reply(message, www_question, DnsName::from_text("example.lab"));
    CHECK(classified.kind == ReplyKind::answer);
    REQUIRE(classified.answers.size() == 1);
    CHECK(classified.answers[0].rdata == std::vector<uint8_t>{192, 0, 2, 1});
}

TEST_CASE("an answer behind CNAMEs: the chain first, then the records at its end") {
    Message message = reply();
    message.answers.push_back(record("www.example.lab", type_cname, name_rdata("web.example.lab")));
    message.answers.push_back(
        record("web.example.lab", type_cname, name_rdata("host.example.lab")));
    message.answers.push_back(record("host.example.lab", type_a, {192, 0, 2, 7}));
    const auto classified =
        classify_reply(message, www_question, DnsName::from_text("example.lab"));
    CHECK(classified.kind == ReplyKind::answer);
    CHECK(classified.answers.size() == 3);
}

TEST_CASE("NXDOMAIN, NODATA, and the errors that send the resolver to another server") {
    Message nxdomain = reply();
    nxdomain.header.aa = true;
    nxdomain.header.rcode = 3;
    CHECK(classify_reply(nxdomain, www_question, DnsName()).kind == ReplyKind::nxdomain);
    // NXDOMAIN means something only from an authoritative server (RFC 1035 4.1.1).
    nxdomain.header.aa = false;
    CHECK(classify_reply(nxdomain, www_question, DnsName()).kind == ReplyKind::unusable);

    Message nodata = reply();
    nodata.header.aa = true;
    CHECK(classify_reply(nodata, www_question, DnsName()).kind == ReplyKind::nodata);

    Message lame = reply(); // no answer, no referral, no authority, from a recursive server
    lame.header.ra = true;
    CHECK(classify_reply(lame, www_question, DnsName()).kind == ReplyKind::unusable);

    Message servfail = reply();
    servfail.header.rcode = 2;
    const auto classified = classify_reply(servfail, www_question, DnsName());
    CHECK(classified.kind == ReplyKind::unusable);
    CHECK(classified.why == "the server answered SERVFAIL");

    Message truncated = reply();
    truncated.header.tc = true;
    truncated.answers.push_back(record("www.example.lab", type_a, {192, 0, 2, 1}));
    CHECK(classify_reply(truncated, www_question, DnsName()).kind == ReplyKind::unusable);
}

TEST_CASE("a referral: the child zone, its servers, and glue only from within the zone asked") {
    Message message = reply();
    message.authorities.push_back(record("example.lab", type_ns, name_rdata("ns1.example.lab")));
    message.authorities.push_back(record("example.lab", type_ns, name_rdata("ns.hosting.learn")));
    message.additionals.push_back(record("ns1.example.lab", type_a, {127, 53, 10, 1}));
    // An address for a name outside lab.: a lab. server has no say over it.
    message.additionals.push_back(record("ns.hosting.learn", type_a, {6, 6, 6, 6}));
    const auto classified = classify_reply(message, www_question, DnsName::from_text("lab"));
    REQUIRE(classified.kind == ReplyKind::referral);
    CHECK(classified.referral_zone.to_string() == "example.lab.");
    REQUIRE(classified.referral_servers.size() == 2);
    CHECK(classified.referral_servers[0].addresses.size() == 1);
    CHECK(classified.referral_servers[0].addresses[0].ip_string() == "127.53.10.1");
    CHECK(classified.referral_servers[1].name.to_string() == "ns.hosting.learn.");
    CHECK(classified.referral_servers[1].addresses.empty());
}

TEST_CASE("a referral that does not lead closer to the name is unusable") {
    // Upwards: asked lab., referred to the root.
    Message upward = reply();
    upward.authorities.push_back(record(".", type_ns, name_rdata("a.root-servers.test")));
    CHECK(classify_reply(upward, www_question, DnsName::from_text("lab")).kind ==
          ReplyKind::unusable);
    // Sideways: asked lab., referred to another TLD.
    Message sideways = reply();
    sideways.authorities.push_back(record("learn", type_ns, name_rdata("ns1.nic.learn")));
    CHECK(classify_reply(sideways, www_question, DnsName::from_text("lab")).kind ==
          ReplyKind::unusable);
    // To the zone itself.
    Message same = reply();
    same.authorities.push_back(record("lab", type_ns, name_rdata("ns1.nic.lab")));
    CHECK(classify_reply(same, www_question, DnsName::from_text("lab")).kind ==
          ReplyKind::unusable);
}

TEST_CASE("records outside the zone asked are not believed, even in an answer") {
    // A server for example.lab. may say www is an alias for a name elsewhere,
    // but not what that name's address is: that would poison the client's cache.
    Message message = reply();
    message.header.aa = true;
    message.answers.push_back(record("www.example.lab", type_cname, name_rdata("www.bank.test")));
    message.answers.push_back(record("www.bank.test", type_a, {6, 6, 6, 6}));
    const auto classified =
        classify_reply(message, www_question, DnsName::from_text("example.lab"));
    CHECK(classified.kind == ReplyKind::answer);
    REQUIRE(classified.answers.size() == 1);
    CHECK(classified.answers[0].type == type_cname);

    // Nor an answer for the name asked, from a server asked about another zone.
    Message elsewhere = reply();
    elsewhere.answers.push_back(record("www.example.lab", type_a, {6, 6, 6, 6}));
    CHECK(classify_reply(elsewhere, www_question, DnsName::from_text("learn")).kind ==
          ReplyKind::unusable);
}

TEST_CASE("NXDOMAIN at the end of a CNAME chain: the chain goes to the client (RFC 6604)") {
    Message message = reply();
    message.header.aa = true;
    message.header.rcode = 3;
    message.answers.push_back(
        record("www.example.lab", type_cname, name_rdata("gone.example.lab")));
    const auto classified =
        classify_reply(message, www_question, DnsName::from_text("example.lab"));
    CHECK(classified.kind == ReplyKind::nxdomain);
    REQUIRE(classified.answers.size() == 1);
    CHECK(rdata_as_name(classified.answers[0]).to_string() == "gone.example.lab.");
}

TEST_CASE("NXDOMAIN after a CNAME into another zone is not believed: the alias is followed") {
    // www.example.lab is an alias for a name in school.learn, over which the
    // servers of example.lab have no authority: their NXDOMAIN (RFC 6604
    // section 2: about the chain's last name) says nothing we may believe.
    Message message = reply();
    message.header.aa = true;
    message.header.rcode = 3;
    message.answers.push_back(
        record("www.example.lab", type_cname, name_rdata("www.school.learn")));
    const auto classified =
        classify_reply(message, www_question, DnsName::from_text("example.lab"));
    CHECK(classified.kind == ReplyKind::answer);
    REQUIRE(classified.answers.size() == 1);
    CHECK(rdata_as_name(classified.answers[0]).to_string() == "www.school.learn.");
}

TEST_CASE("an empty reply is NODATA from a server of the zone, lame from a recursive one") {
    const DnsName zone = DnsName::from_text("example.lab");
    // AA=0 and RA=0, no SOA: a server that offers no recursion speaks of its
    // own zones (as Unbound, Knot Resolver and PowerDNS Recursor take it).
    Message no_aa = reply();
    CHECK(classify_reply(no_aa, www_question, zone).kind == ReplyKind::nodata);
    // The same with the zone's SOA.
    no_aa.authorities.push_back(record("example.lab", type_soa, std::vector<uint8_t>(22, 0)));
    CHECK(classify_reply(no_aa, www_question, zone).kind == ReplyKind::nodata);
    // AA=0 and RA=1: a resolver that does not serve the zone (lame).
    Message recursive = reply();
    recursive.header.ra = true;
    const auto lame = classify_reply(recursive, www_question, zone);
    CHECK(lame.kind == ReplyKind::unusable);
    CHECK(lame.why.find("a lame server") != std::string::npos);
    // AA=1 wins over RA=1: a server may serve its zones and recurse too.
    recursive.header.aa = true;
    CHECK(classify_reply(recursive, www_question, zone).kind == ReplyKind::nodata);
}

TEST_CASE("the zone's own NS set: NODATA when authoritative, lame when not") {
    const DnsName zone = DnsName::from_text("example.lab");
    Message own = reply();
    own.header.aa = true;
    own.authorities.push_back(record("example.lab", type_ns, name_rdata("ns1.example.lab")));
    CHECK(classify_reply(own, www_question, zone).kind == ReplyKind::nodata);
    // Without AA it is a referral to the zone we asked already: it leads nowhere.
    own.header.aa = false;
    const auto classified = classify_reply(own, www_question, zone);
    CHECK(classified.kind == ReplyKind::unusable);
    CHECK(classified.why.find("the zone asked") != std::string::npos);
    // An answer beside the zone's own NS set is still an answer.
    own.answers.push_back(record("www.example.lab", type_a, {192, 0, 2, 1}));
    CHECK(classify_reply(own, www_question, zone).kind == ReplyKind::answer);
}

TEST_CASE("records that answer another question are left out, never a reason to fail") {
    const DnsName zone = DnsName::from_text("example.lab");
    // Another name and another type in the answer section, and a referral.
    Message message = reply();
    message.answers.push_back(record("other.example.lab", type_a, {192, 0, 2, 2}));
    message.answers.push_back(record("www.example.lab", type_mx, {0, 10, 0}));
    message.authorities.push_back(
        record("www.example.lab", type_ns, name_rdata("ns.www.example.lab")));
    const auto referral = classify_reply(message, www_question, zone);
    CHECK(referral.kind == ReplyKind::referral);
    // Authoritative, with only other records: NODATA, and none of them kept.
    Message unrelated = reply();
    unrelated.header.aa = true;
    unrelated.answers.push_back(record("other.example.lab", type_a, {192, 0, 2, 2}));
    const auto nodata = classify_reply(unrelated, www_question, zone);
    CHECK(nodata.kind == ReplyKind::nodata);
    CHECK(nodata.answers.empty());
}

TEST_CASE("a CNAME or NS record whose data is not a name: the reply is unusable, no exception") {
    Message answer = reply();
    answer.header.aa = true;
    answer.answers.push_back(record("www.example.lab", type_cname, {3, 'w'})); // a label cut short
    CHECK(classify_reply(answer, www_question, DnsName::from_text("example.lab")).kind ==
          ReplyKind::unusable);
    Message referral = reply();
    referral.authorities.push_back(record("example.lab", type_ns, {}));
    CHECK(classify_reply(referral, www_question, DnsName()).kind == ReplyKind::unusable);
}
