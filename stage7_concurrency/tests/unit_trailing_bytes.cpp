#include "../message.hpp"

#include <doctest/doctest.h>

using namespace dns;

TEST_CASE("bytes after the last record are an error") {
    std::vector<uint8_t> bytes{0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0,    0,    0,   0,
                               0,    0,    0x01, 'a',  0x00, 0x00, 0x01, 0x00, 0x01};
    CHECK_NOTHROW(parse_message(bytes));
    bytes.push_back(0x00);
    CHECK_THROWS_WITH_AS(parse_message(bytes), "at byte 19: 1 bytes after the last record",
                         ParseError);
}
