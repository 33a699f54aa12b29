#include "../edns.hpp"
#include "../message.hpp"
#include "../message_writer.hpp"
#include "../outgoing_messages.hpp"

#include <doctest/doctest.h>

using namespace dns;

namespace {

ResourceRecord a_record(const std::string& name, uint8_t last_byte) {
    return ResourceRecord{DnsName::from_text(name), type_a, class_in, 300, {192, 0, 2, last_byte}};
}

} // namespace

TEST_CASE("the writer refuses to pass its limit and writes nothing then") {
    MessageWriter writer(5);
    writer.write_u32(0x01020304);
    CHECK_THROWS_AS(writer.write_u16(1), MessageTooLarge);
    CHECK(writer.size() == 4);
    writer.write_u8(5);
    CHECK(writer.bytes() == std::vector<uint8_t>{1, 2, 3, 4, 5});
    CHECK_THROWS_AS(writer.write_name(DnsName()), MessageTooLarge);
}

TEST_CASE("a query to an authoritative server: the ID, RD=0, one question") {
    const Question question{DnsName::from_text("www.example.lab"), type_a, class_in};
    const auto bytes = build_query(0xbeef, question, false);
    const Message query = parse_message(bytes);
    CHECK(query.header.id == 0xbeef);
    CHECK_FALSE(query.header.qr);
    CHECK_FALSE(query.header.rd);
    CHECK(query.header.opcode == 0);
    REQUIRE(query.questions.size() == 1);
    CHECK(query.questions[0].name.to_string() == "www.example.lab.");
    CHECK(query.questions[0].type == type_a);
    CHECK(bytes.size() == 12 + 17 + 4);
}

TEST_CASE("a response copies ID, opcode, RD and question, and sets QR and RA") {
    Message query;
    query.header.id = 4711;
    query.header.rd = true;
    query.questions.push_back({DnsName::from_text("Www.Example.Lab"), type_a, class_in});
    const Message response = parse_message(
        build_response(query, 0, {a_record("www.example.lab", 1)}, 512, std::nullopt));
    CHECK(response.header.id == 4711);
    CHECK(response.header.qr);
    CHECK(response.header.rd);
    CHECK(response.header.ra);
    CHECK_FALSE(response.header.aa);
    CHECK_FALSE(response.header.tc);
    CHECK(response.header.rcode == 0);
    // The client's spelling of its question is echoed back as it was.
    CHECK(response.questions.at(0).name.labels()[0] == "Www");
    REQUIRE(response.answers.size() == 1);
    CHECK(rdata_to_text(response.answers[0]) == "192.0.2.1");

    query.header.rd = false;
    const Message nxdomain = parse_message(build_response(query, 3, {}, 512, std::nullopt));
    CHECK_FALSE(nxdomain.header.rd);
    CHECK(nxdomain.header.rcode == 3);
    CHECK(nxdomain.answers.empty());
}

TEST_CASE("records that do not fit in 512 bytes are left out whole, with TC set") {
    Message query;
    query.questions.push_back({DnsName::from_text("many.example.lab"), type_a, class_in});
    std::vector<ResourceRecord> answers;
    for (int i = 0; i < 40; ++i)
        answers.push_back(a_record("many.example.lab", static_cast<uint8_t>(i)));
    const auto bytes = build_response(query, 0, answers, 512, std::nullopt);
    CHECK(bytes.size() <= 512);
    const Message response = parse_message(bytes); // whole records only: it parses
    CHECK(response.header.tc);
    // Header 12 + question 22 = 34; each record's owner is a 2-byte pointer to
    // the question's name (stage 6 compresses), so a record is 2 + 10 + 4 = 16
    // bytes: 29 fit (without compression, 32 bytes each, only 14 did).
    CHECK(response.answers.size() == 29);
    CHECK(response.header.ancount == 29);
}

TEST_CASE("with EDNS, the OPT record has its place even when answers are left out") {
    Message query;
    query.questions.push_back({DnsName::from_text("many.example.lab"), type_a, class_in});
    std::vector<ResourceRecord> answers;
    for (int i = 0; i < 40; ++i)
        answers.push_back(a_record("many.example.lab", static_cast<uint8_t>(i)));
    // 490 bytes: header and question 34, then 28 records of 16 bytes (482) would
    // fit, but with the 11-byte OPT record only 27 do.
    CHECK(parse_message(build_response(query, 0, answers, 490, std::nullopt)).answers.size() == 28);
    const auto bytes = build_response(query, 0, answers, 490, make_opt_record());
    CHECK(bytes.size() <= 490);
    const Message response = parse_message(bytes);
    CHECK(response.header.tc);
    CHECK(response.answers.size() == 27);
    REQUIRE(response.additionals.size() == 1);
    CHECK(response.additionals[0].type == type_opt);
    CHECK(response.additionals[0].klass == our_udp_payload_size);
    // A larger limit: everything fits.
    answers.resize(20);
    const Message whole = parse_message(build_response(query, 0, answers, 1232, make_opt_record()));
    CHECK_FALSE(whole.header.tc);
    CHECK(whole.answers.size() == 20);
}

TEST_CASE("a query to a server offers EDNS with our payload size when asked to") {
    const Question question{DnsName::from_text("www.example.lab"), type_a, class_in};
    const Message query = parse_message(build_query(1, question, true));
    const auto edns = find_edns(query);
    REQUIRE(edns.has_value());
    CHECK(edns->udp_payload_size == 1232);
    CHECK(edns->version == 0);
    CHECK_FALSE(find_edns(parse_message(build_query(1, question, false))).has_value());
}

TEST_CASE("a negative answer's SOA goes in the authority section") {
    Message query;
    query.questions.push_back({DnsName::from_text("nope.example.lab"), type_a, class_in});
    ResourceRecord soa{DnsName::from_text("example.lab"), type_soa, class_in, 300, {}};
    for (const char* name : {"ns1.example.lab", "hostmaster.example.lab"}) {
        MessageWriter writer(DnsName::max_wire_length);
        writer.write_name(DnsName::from_text(name));
        soa.rdata.insert(soa.rdata.end(), writer.bytes().begin(), writer.bytes().end());
    }
    soa.rdata.resize(soa.rdata.size() + 20, 0);
    const Message response = parse_message(build_response(query, 3, {}, 512, std::nullopt, {soa}));
    CHECK(response.header.rcode == 3);
    CHECK(response.answers.empty());
    REQUIRE(response.authorities.size() == 1);
    CHECK(response.authorities[0].rdata == soa.rdata);
}

// Compression points to the longest ending already written, through pointers
// written before, keeps the case given, and forgets what was rolled back.
TEST_CASE("MessageWriter compresses against the names already written") {
    MessageWriter writer(512);
    writer.write_compressed_name(DnsName::from_text("www.example.lab."));    // offset 0
    writer.write_compressed_name(DnsName::from_text("mail.example.lab."));   // 17
    writer.write_compressed_name(DnsName::from_text("x.mail.example.lab.")); // 24
    writer.write_compressed_name(DnsName::from_text("EXAMPLE.lab."));        // 28
    const std::vector<uint8_t> expected{
        3, 'w', 'w',  'w', 7,   'e', 'x', 'a', 'm',  'p', 'l',  'e',
        3, 'l', 'a',  'b', 0,   4,   'm', 'a', 'i',  'l', 0xC0, 4, // mail + pointer to example.lab
        1, 'x', 0xC0, 17,                                 // x + pointer to mail.example.lab
        7, 'E', 'X',  'A', 'M', 'P', 'L', 'E', 0xC0, 12}; // not example.lab: another case
    CHECK(writer.bytes() == expected);

    const size_t mark = writer.mark();
    writer.write_compressed_name(DnsName::from_text("new.zone."));
    writer.rollback_to(mark);
    // zone. was rolled back: it is written out again, not pointed to.
    writer.write_compressed_name(DnsName::from_text("zone."));
    const std::vector<uint8_t> tail(writer.bytes().begin() + static_cast<long>(mark),
                                    writer.bytes().end());
    CHECK(tail == std::vector<uint8_t>{4, 'z', 'o', 'n', 'e', 0});
}

// Labels are bytes, not text: one with bytes of 0x80 and above is compressed
// like any other (found by review: a signed comparison once missed it).
TEST_CASE("MessageWriter compresses names with bytes above 0x7f") {
    MessageWriter writer(512);
    const std::string cafe = "caf\xc3\xa9.lab.";
    writer.write_compressed_name(DnsName::from_text(cafe));
    writer.write_compressed_name(DnsName::from_text(cafe));
    CHECK(writer.bytes() ==
          std::vector<uint8_t>{5, 'c', 'a', 'f', 0xc3, 0xa9, 3, 'l', 'a', 'b', 0, 0xC0, 0});
}

// The writer remembers each ending by a 32-bit hash and confirms a match
// against the bytes in the message: "hlpfs" and "h4vja" have the same hash
// (FNV-1a, found by a search), and neither name may point to the other.
TEST_CASE("MessageWriter points only to the same name, not to one with the same hash") {
    MessageWriter writer(512);
    writer.write_compressed_name(DnsName::from_text("www.hlpfs."));
    writer.write_compressed_name(DnsName::from_text("www.h4vja."));
    writer.write_compressed_name(DnsName::from_text("mail.h4vja."));
    const std::vector<uint8_t> expected{
        3, 'w', 'w', 'w', 5,   'h',  'l', 'p', 'f', 's', 0, // offset 0
        3, 'w', 'w', 'w', 5,   'h',  '4', 'v', 'j', 'a', 0, // 11: written out whole
        4, 'm', 'a', 'i', 'l', 0xC0, 15};                   // h4vja. is at 15
    CHECK(writer.bytes() == expected);
}

// Names of one hash can be made on purpose: these eight share theirs (and
// so do their endings, level by level). Compared with more than a few names
// of its hash, a name is written out in full, which bounds the work.
TEST_CASE("MessageWriter gives up on a name after a few others of the same hash") {
    std::vector<DnsName> names;
    for (const char* first : {"jfn8c", "2gb8mb"})
        for (const char* second : {"qxysxth", "sjt2xk7"})
            for (const char* third : {"qq84m", "t7e6nc8"})
                names.push_back(
                    DnsName::from_text(std::string(first) + "." + second + "." + third));
    MessageWriter writer(512);
    for (const auto& name : names)
        writer.write_compressed_name(name);
    size_t before = writer.size();
    writer.write_compressed_name(names.front()); // the first of its hash: found at once
    CHECK(writer.size() - before == 2);
    before = writer.size();
    writer.write_compressed_name(names.back()); // seven others of its hash before it
    CHECK(writer.size() - before == names.back().wire_length());

    MessageReader reader(writer.bytes());
    for (const auto& name : names)
        CHECK(parse_name(reader) == name);
    CHECK(parse_name(reader) == names.front());
    CHECK(parse_name(reader) == names.back());
    CHECK(reader.at_end());
}

// The writer remembers at most 256 endings: past them, names are compressed
// only against those, and every name still reads back as it was written.
TEST_CASE("MessageWriter past the endings it remembers: every name still reads back") {
    MessageWriter writer(65535);
    std::vector<DnsName> names;
    for (int i = 0; i < 400; ++i)
        names.push_back(DnsName::from_text("host" + std::to_string(i) + ".zone" +
                                           std::to_string(i % 7) + ".lab."));
    for (int round = 0; round < 2; ++round)
        for (const auto& name : names)
            writer.write_compressed_name(name);
    MessageReader reader(writer.bytes());
    for (int round = 0; round < 2; ++round)
        for (const auto& name : names)
            CHECK(parse_name(reader) == name);
    CHECK(reader.at_end());
    // Compressed still: the first names' second copies are pointers of two
    // bytes, where written out they take 17 or more.
    size_t uncompressed = 0;
    for (const auto& name : names)
        uncompressed += 2 * name.wire_length();
    CHECK(writer.size() < uncompressed - 100 * 15);
}
