// Binary data written as text, the way zone files and dig write it (RFC 4648):
// base64 for keys and signatures (RFC 4034 sections 2.2 and 3.2), hex for DS
// digests (section 5.3), base32hex for NSEC3's hashed names (RFC 5155 section
// 3.3). record_types.cpp writes them; these read them back. Each returns
// nothing if the text is not of its form.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace dns {

// RFC 4648 section 4, with its "=" padding.
std::optional<std::vector<uint8_t>> decode_base64(std::string_view text);
// Two hex digits a byte, either case.
std::optional<std::vector<uint8_t>> decode_hex(std::string_view text);
// RFC 4648 section 7, either case, without padding (as NSEC3 writes it).
std::optional<std::vector<uint8_t>> decode_base32hex(std::string_view text);

} // namespace dns
