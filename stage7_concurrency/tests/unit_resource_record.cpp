#include "../message.hpp"
#include "../resource_record.hpp"

#include <doctest/doctest.h>
#include <vector>

using namespace dns;

namespace {

// A reply for example.com A from a real server's point of view: the question at
// offset 12, then an answer whose owner is a pointer to it (0xC00C).
std::vector<uint8_t> reply_with_answer(uint16_t type, const std::vector<uint8_t>& rdata) {
    std::vector<uint8_t> bytes{0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0,    0,   0,   0, //
                               0x07, 'e',  'x',  'a',  'm',  'p',  'l',  'e',  0x03, 'c', 'o', 'm',
                               0x00, 0x00, 0x01, 0x00, 0x01};
    const std::vector<uint8_t> record{0xC0,
                                      0x0C,
                                      static_cast<uint8_t>(type >> 8),
                                      static_cast<uint8_t>(type),
                                      0x00,
                                      0x01,
                                      0x00,
                                      0x00,
                                      0x0E,
                                      0x10,
                                      static_cast<uint8_t>(rdata.size() >> 8),
                                      static_cast<uint8_t>(rdata.size())};
    for (const uint8_t byte : record)
        bytes.push_back(byte);
    for (const uint8_t byte : rdata)
        bytes.push_back(byte);
    return bytes;
}

} // namespace

TEST_CASE("an A record: owner behind a pointer, TTL, four address bytes") {
    const Message message = parse_message(reply_with_answer(type_a, {192, 0, 2, 1}));
    REQUIRE(message.answers.size() == 1);
    const ResourceRecord& record = message.answers[0];
    CHECK(record.name.to_string() == "example.com.");
    CHECK(record.type == type_a);
    CHECK(record.klass == class_in);
    CHECK(record.ttl == 3600);
    CHECK(rdata_to_text(record) == "192.0.2.1");
}

TEST_CASE("a compressed name in a CNAME's data is stored written out in full") {
    // www + a pointer to example.com at offset 12.
    const Message message =
        parse_message(reply_with_answer(type_cname, {0x03, 'w', 'w', 'w', 0xC0, 0x0C}));
    const ResourceRecord& record = message.answers.at(0);
    CHECK(record.rdata == std::vector<uint8_t>{3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l',
                                               'e', 3, 'c', 'o', 'm', 0});
    CHECK(rdata_as_name(record).to_string() == "www.example.com.");
    CHECK(rdata_to_text(record) == "www.example.com.");
}

TEST_CASE("MX and SOA data keep their numbers and expand their names") {
    const Message mx =
        parse_message(reply_with_answer(type_mx, {0x00, 0x0A, 0x02, 'm', 'x', 0xC0, 0x0C}));
    CHECK(mx.answers.at(0).rdata.size() == 2 + 16);
    std::vector<uint8_t> soa{0x02, 'n', 's', 0xC0, 0x0C, 0x04, 'h', 'o', 's', 't', 0xC0, 0x0C};
    for (int i = 0; i < 20; ++i)
        soa.push_back(static_cast<uint8_t>(i));
    const Message message = parse_message(reply_with_answer(type_soa, soa));
    CHECK(message.answers.at(0).rdata.size() == 16 + 18 + 20);
}

TEST_CASE("record data that runs past the message, or does not match its length, is an error") {
    auto bytes = reply_with_answer(type_a, {192, 0, 2, 1});
    bytes.pop_back();
    CHECK_THROWS_WITH_AS(parse_message(bytes), doctest::Contains("only 3 are left"), ParseError);
    // An NS record whose RDLENGTH says 5, but whose name takes 6 bytes.
    auto mismatched = reply_with_answer(type_ns, {0x03, 'w', 'w', 'w', 0xC0, 0x0C});
    mismatched[mismatched.size() - 7] = 5;
    CHECK_THROWS_AS(parse_message(mismatched), ParseError);
}

TEST_CASE("a type this stage does not look inside is printed in RFC 3597's generic form") {
    const Message message = parse_message(reply_with_answer(65534, {0xab, 0xcd, 0xef}));
    CHECK(rdata_to_text(message.answers.at(0)) == "\\# 3 ABCDEF");
    const Message empty = parse_message(reply_with_answer(65534, {}));
    CHECK(rdata_to_text(empty.answers.at(0)) == "\\# 0");
}
