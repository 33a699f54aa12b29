// format_hex_dump: bytes shown the way hexdump -C and Wireshark show them.
//
// Every stage can print what really arrived on the wire. Sixteen bytes a line:
// the offset of the first byte (in hex, because DNS compression pointers are
// offsets too), the bytes in hex, then the printable ones as ASCII.
//
//   0000  3c 8a 01 20 00 01 00 00  00 00 00 01 07 65 78 61  |<.. .........exa|
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace dns {

std::string format_hex_dump(std::span<const uint8_t> bytes);

} // namespace dns
