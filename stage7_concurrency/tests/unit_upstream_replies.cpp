// What EDNS changes in judging an authoritative server's reply.

#include "../edns.hpp"
#include "../reply_classification.hpp"
#include "../upstream_query.hpp"

#include <doctest/doctest.h>
#include <set>

using namespace dns;

TEST_CASE("a reply whose EDNS record carries an extended rcode is not an answer") {
    const Question question{DnsName::from_text("www.example.lab"), type_a, class_in};
    Message reply;
    reply.header.qr = true;
    reply.header.aa = true; // and no records: it would look like NODATA
    reply.questions.push_back(question);
    reply.additionals.push_back(make_opt_record());
    CHECK(classify_reply(reply, question, DnsName()).kind == ReplyKind::nodata);

    // BADVERS (16): 0 in the header, 1 in the upper bits in the OPT record.
    reply.additionals[0] = make_opt_record(rcode_badvers);
    const auto classified = classify_reply(reply, question, DnsName());
    CHECK(classified.kind == ReplyKind::unusable);
    CHECK(classified.why == "the server answered BADVERS");

    // Two OPT records: malformed.
    reply.additionals = {make_opt_record(), make_opt_record()};
    CHECK(classify_reply(reply, question, DnsName()).kind == ReplyKind::unusable);
}

// The IDs are drawn 128 at a time: across several draws they do not repeat
// more than chance would have them (1,000 of 65,536: about 8 repeats).
TEST_CASE("query IDs from several draws of the kernel's generator") {
    std::set<uint16_t> seen;
    for (int i = 0; i < 1000; ++i)
        seen.insert(random_query_id());
    CHECK(seen.size() >= 970);
}
