#include "common/hex_dump.hpp"

#include <doctest/doctest.h>
#include <vector>

using dns::format_hex_dump;

TEST_CASE("an empty datagram has an empty dump") {
    CHECK(format_hex_dump({}) == "");
}

TEST_CASE("a short line is padded so the ASCII column lines up") {
    const std::vector<uint8_t> bytes{0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0x00};
    CHECK(format_hex_dump(bytes) ==
          "0000  07 65 78 61 6d 70 6c 65  00                       |.example.|\n");
}

TEST_CASE("sixteen bytes a line, offsets in hex") {
    std::vector<uint8_t> bytes(33);
    for (size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<uint8_t>(0x41 + i % 26);
    const std::string dump = format_hex_dump(bytes);
    CHECK(dump == "0000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n"
                  "0010  51 52 53 54 55 56 57 58  59 5a 41 42 43 44 45 46  |QRSTUVWXYZABCDEF|\n"
                  "0020  47                                                |G|\n");
}

TEST_CASE("bytes outside printable ASCII show as dots") {
    const std::vector<uint8_t> bytes{0x00, 0x1f, 0x20, 0x7e, 0x7f, 0xff};
    CHECK(format_hex_dump(bytes).ends_with("|.. ~..|\n"));
}
