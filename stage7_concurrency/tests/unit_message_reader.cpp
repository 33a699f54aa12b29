#include "../message_reader.hpp"

#include <doctest/doctest.h>
#include <vector>

using namespace dns;

TEST_CASE("integers are read most significant byte first") {
    const std::vector<uint8_t> bytes{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde};
    MessageReader reader(bytes);
    CHECK(reader.read_u8("a byte") == 0x12);
    CHECK(reader.read_u16("a 16-bit field") == 0x3456);
    CHECK(reader.read_u32("a 32-bit field") == 0x789abcde);
    CHECK(reader.at_end());
}

TEST_CASE("reading past the end is a ParseError that names the field and the offset") {
    const std::vector<uint8_t> bytes{0x00, 0x01, 0x02};
    MessageReader reader(bytes);
    reader.read_u16("ID");
    try {
        reader.read_u16("flags");
        FAIL("no ParseError");
    } catch (const ParseError& error) {
        CHECK(error.offset() == 2);
        CHECK(std::string(error.what()) ==
              "at byte 2: the message ends before the flags (2 bytes needed, 1 left)");
    }
    // A failed read consumes nothing.
    CHECK(reader.position() == 2);
    CHECK(reader.read_u8("last byte") == 0x02);
    CHECK_THROWS_AS(reader.read_u8("one more"), ParseError);
    CHECK_THROWS_AS(reader.read_bytes(1, "bytes"), ParseError);
}

TEST_CASE("read_bytes returns a view of the message, bounds-checked") {
    const std::vector<uint8_t> bytes{1, 2, 3, 4};
    MessageReader reader(bytes);
    const auto first = reader.read_bytes(3, "three bytes");
    CHECK(first.size() == 3);
    CHECK(first[2] == 3);
    CHECK_THROWS_AS(reader.read_bytes(2, "two bytes"), ParseError);
    CHECK(reader.read_bytes(1, "one byte")[0] == 4);
    CHECK(reader.read_bytes(0, "nothing").empty());
}

TEST_CASE("an empty message has nothing to read") {
    MessageReader reader(std::span<const uint8_t>{});
    CHECK(reader.at_end());
    CHECK_THROWS_AS(reader.read_u8("anything"), ParseError);
}
