#include "text_encodings.hpp"

namespace dns {

namespace {

// The value of `character` in `alphabet`, or -1.
int value_in(std::string_view alphabet, char character) {
    const size_t at = alphabet.find(character);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

char upper(char character) {
    return character >= 'a' && character <= 'z' ? static_cast<char>(character - 'a' + 'A')
                                                : character;
}

// Groups of `bits_per_character` bits, most significant first, into bytes;
// bits left over at the end must be zero (they are padding, RFC 4648 3.5).
std::optional<std::vector<uint8_t>> decode_bits(std::string_view text, std::string_view alphabet,
                                                int bits_per_character, bool fold_case) {
    std::vector<uint8_t> bytes;
    uint32_t buffer = 0;
    int bits = 0;
    for (const char character : text) {
        const int value = value_in(alphabet, fold_case ? upper(character) : character);
        if (value < 0)
            return std::nullopt;
        buffer = (buffer << bits_per_character | static_cast<uint32_t>(value)) & 0xFFFF;
        bits += bits_per_character;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(static_cast<uint8_t>(buffer >> bits));
        }
    }
    if ((buffer & ((1u << bits) - 1)) != 0)
        return std::nullopt;
    return bytes;
}

} // namespace

std::optional<std::vector<uint8_t>> decode_base64(std::string_view text) {
    // The padding: the text is whole groups of 4, "=" only at the end.
    if (text.size() % 4 != 0)
        return std::nullopt;
    const size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
    const auto decoded =
        decode_bits(text.substr(0, text.size() - padding),
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 6, false);
    if (!decoded || decoded->size() != text.size() / 4 * 3 - padding)
        return std::nullopt;
    return decoded;
}

std::optional<std::vector<uint8_t>> decode_hex(std::string_view text) {
    if (text.size() % 2 != 0)
        return std::nullopt;
    return decode_bits(text, "0123456789ABCDEF", 4, true);
}

std::optional<std::vector<uint8_t>> decode_base32hex(std::string_view text) {
    // 8 characters carry 5 bytes; a partial group leaves 2, 4, 5 or 7.
    static constexpr bool possible_rest[8] = {true, false, true, false, true, true, false, true};
    if (!possible_rest[text.size() % 8])
        return std::nullopt;
    return decode_bits(text, "0123456789ABCDEFGHIJKLMNOPQRSTUV", 5, true);
}

} // namespace dns
