// The names of the numbers in a DNS message, as dig prints them: record types
// (1 is A), classes (1 is IN), opcodes and response codes. The registries are
// IANA's "Domain Name System (DNS) Parameters".
#pragma once

#include <cstdint>
#include <string>

namespace dns {

// "A", "MX", ...; a type without a name is written TYPE12345 (RFC 3597 section 5).
std::string type_name(uint16_t type);
// "IN", "CH", ...; a class without a name is written CLASS12345.
std::string class_name(uint16_t klass);
// "QUERY", "NOTIFY", ...
std::string opcode_name(uint8_t opcode);
// "NOERROR", "NXDOMAIN", ...
std::string rcode_name(uint16_t rcode);

} // namespace dns
