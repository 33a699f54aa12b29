#include "common/hex_dump.hpp"

#include <cstdio>

namespace dns {

std::string format_hex_dump(std::span<const uint8_t> bytes) {
    constexpr size_t bytes_per_line = 16;
    std::string out;
    for (size_t line_start = 0; line_start < bytes.size(); line_start += bytes_per_line) {
        char field[24];
        std::snprintf(field, sizeof field, "%04zx  ", line_start);
        out += field;
        for (size_t i = 0; i < bytes_per_line; ++i) {
            if (line_start + i < bytes.size()) {
                std::snprintf(field, sizeof field, "%02x ", bytes[line_start + i]);
                out += field;
            } else {
                out += "   ";
            }
            if (i == 7)
                out += ' ';
        }
        out += " |";
        for (size_t i = 0; i < bytes_per_line && line_start + i < bytes.size(); ++i) {
            const uint8_t byte = bytes[line_start + i];
            out += (byte >= 0x20 && byte < 0x7f) ? static_cast<char>(byte) : '.';
        }
        out += "|\n";
    }
    return out;
}

} // namespace dns
