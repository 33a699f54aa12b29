#include "../dig_format.hpp"
#include "../message.hpp"

#include <doctest/doctest.h>
#include <vector>

using namespace dns;

namespace {

// dig's query for example.com MX with +noedns: ID 0x3c8a, flags 0x0120 (RD, AD).
const std::vector<uint8_t> dig_query{
    0x3c, 0x8a, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,       //
    0x07, 'e',  'x',  'a',  'm',  'p',  'l',  'e',  0x03, 'c',  'o',  'm',  0x00, //
    0x00, 0x0f, 0x00, 0x01};

} // namespace

TEST_CASE("the header's fields and flags come from their bits") {
    const Message message = parse_message(dig_query);
    const Header& header = message.header;
    CHECK(header.id == 0x3c8a);
    CHECK_FALSE(header.qr);
    CHECK(header.opcode == 0);
    CHECK_FALSE(header.aa);
    CHECK_FALSE(header.tc);
    CHECK(header.rd);
    CHECK_FALSE(header.ra);
    CHECK_FALSE(header.z);
    CHECK(header.ad);
    CHECK_FALSE(header.cd);
    CHECK(header.rcode == 0);
    CHECK(header.qdcount == 1);
    CHECK(header.ancount == 0);
    CHECK(header.nscount == 0);
    CHECK(header.arcount == 0);
    REQUIRE(message.questions.size() == 1);
    CHECK(message.questions[0].name.to_string() == "example.com.");
    CHECK(message.questions[0].type == 15);
    CHECK(message.questions[0].klass == 1);
}

TEST_CASE("every flag bit is its own flag") {
    std::vector<uint8_t> bytes(12, 0);
    // QR, opcode 5 (UPDATE), AA, TC, RD | RA, Z, AD, CD, rcode 3.
    bytes[2] = 0x80 | (5 << 3) | 0x04 | 0x02 | 0x01;
    bytes[3] = 0x80 | 0x40 | 0x20 | 0x10 | 0x03;
    const Header header = parse_message(bytes).header;
    CHECK(header.qr);
    CHECK(header.opcode == 5);
    CHECK((header.aa && header.tc && header.rd && header.ra && header.z && header.ad && header.cd));
    CHECK(header.rcode == 3);
}

TEST_CASE("a message shorter than a header is a ParseError") {
    for (size_t size = 0; size < 12; ++size) {
        const std::vector<uint8_t> bytes(dig_query.begin(), dig_query.begin() + size);
        CHECK_THROWS_AS(parse_message(bytes), ParseError);
    }
}

TEST_CASE("a question count larger than the message is a ParseError, not a huge allocation") {
    std::vector<uint8_t> bytes = dig_query;
    bytes[4] = 0xff;
    bytes[5] = 0xff;
    CHECK_THROWS_WITH_AS(parse_message(bytes), doctest::Contains("the message ends before"),
                         ParseError);
}

TEST_CASE("a question cut short is a ParseError") {
    for (size_t size = 12; size < dig_query.size(); ++size) {
        const std::vector<uint8_t> bytes(dig_query.begin(), dig_query.begin() + size);
        CHECK_THROWS_AS(parse_message(bytes), ParseError);
    }
}

TEST_CASE("the message is printed the way dig prints it") {
    CHECK(format_like_dig(parse_message(dig_query)) ==
          ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 15498\n"
          ";; flags: rd ad; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n"
          "\n"
          ";; QUESTION SECTION:\n"
          ";example.com.\t\t\tIN\tMX\n");
}
