#include "wire.hpp"

#include <algorithm>
#include <cctype>

namespace dns::replay {

namespace {

constexpr uint16_t type_opt = 41;
constexpr uint16_t rcode_refused = 5;
constexpr size_t max_name_size = 255; // RFC 1035 section 2.3.4
// A pointer may point at another pointer; more jumps than this is a loop.
constexpr int max_pointer_jumps = 64;

uint16_t read_u16(std::span<const uint8_t> bytes, size_t offset) {
    return static_cast<uint16_t>(bytes[offset] << 8 | bytes[offset + 1]);
}

void append_u16(std::vector<uint8_t>& bytes, uint16_t value) {
    bytes.push_back(static_cast<uint8_t>(value >> 8));
    bytes.push_back(static_cast<uint8_t>(value));
}

// The name at `offset`, following compression pointers (RFC 1035 section
// 4.1.4); `end` is set to the offset just past it where it was written.
std::optional<std::vector<uint8_t>> read_name(std::span<const uint8_t> message, size_t offset,
                                              size_t& end) {
    std::vector<uint8_t> name;
    std::optional<size_t> end_after_pointer;
    int jumps = 0;
    while (offset < message.size()) {
        const uint8_t length = message[offset];
        if ((length & 0xC0) == 0xC0) { // a pointer: two bytes, 14 bits of offset
            if (offset + 1 >= message.size() || ++jumps > max_pointer_jumps)
                return std::nullopt;
            if (!end_after_pointer)
                end_after_pointer = offset + 2;
            offset = static_cast<size_t>((length & 0x3F) << 8 | message[offset + 1]);
            continue;
        }
        if ((length & 0xC0) != 0) // label types 01 and 10: reserved or obsolete
            return std::nullopt;
        if (offset + 1 + length > message.size() || name.size() + 1 + length > max_name_size)
            return std::nullopt;
        name.insert(name.end(), message.begin() + offset, message.begin() + offset + 1 + length);
        offset += 1 + length;
        if (length == 0) { // the root label ends every name
            end = end_after_pointer.value_or(offset);
            return name;
        }
    }
    return std::nullopt;
}

// The upper 8 bits of the rcode, from the TTL field of the OPT record.
std::optional<uint8_t> extended_rcode(std::span<const uint8_t> message) {
    if (message.size() < header_size)
        return std::nullopt;
    size_t offset = header_size;
    for (unsigned i = 0; i < read_u16(message, 4); ++i) {
        size_t end = 0; // then QTYPE, QCLASS
        if (!read_name(message, offset, end) || end + 4 > message.size())
            return std::nullopt;
        offset = end + 4;
    }
    const unsigned records = read_u16(message, 6) + read_u16(message, 8) + read_u16(message, 10);
    for (unsigned i = 0; i < records; ++i) {
        size_t end = 0; // then TYPE, CLASS, TTL (4 bytes), RDLENGTH, RDATA
        if (!read_name(message, offset, end) || end + 10 > message.size())
            return std::nullopt;
        if (read_u16(message, end) == type_opt)
            return message[end + 4];
        offset = end + 10 + read_u16(message, end + 8);
    }
    return std::nullopt;
}

} // namespace

std::optional<WireQuestion> first_question(std::span<const uint8_t> message) {
    if (message.size() < header_size || read_u16(message, 4) == 0)
        return std::nullopt;
    WireQuestion question;
    auto name = read_name(message, header_size, question.end);
    if (!name || question.end + 4 > message.size())
        return std::nullopt;
    question.name = std::move(*name);
    question.type = read_u16(message, question.end);
    question.klass = read_u16(message, question.end + 2);
    question.end += 4;
    return question;
}

bool same_question(const WireQuestion& a, const WireQuestion& b) {
    // Length bytes are below 64 and never look like the letters A-Z (65-90), so
    // comparing the whole wire name without case compares the labels without case.
    const auto same_letter = [](uint8_t x, uint8_t y) {
        return std::tolower(x) == std::tolower(y);
    };
    return a.type == b.type && a.klass == b.klass &&
           std::ranges::equal(a.name, b.name, same_letter);
}

uint16_t message_id(std::span<const uint8_t> message) {
    return read_u16(message, 0);
}

std::vector<uint8_t> with_id(std::span<const uint8_t> message, uint16_t id) {
    std::vector<uint8_t> copy(message.begin(), message.end());
    if (copy.size() >= 2) {
        copy[0] = static_cast<uint8_t>(id >> 8);
        copy[1] = static_cast<uint8_t>(id);
    }
    return copy;
}

std::optional<uint16_t> response_rcode(std::span<const uint8_t> message) {
    if (message.size() < 4)
        return std::nullopt;
    const uint16_t header_bits = message[3] & 0x0F;
    return static_cast<uint16_t>(extended_rcode(message).value_or(0) << 4 | header_bits);
}

std::string rcode_name(uint16_t rcode) {
    static const char* const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                        "NXRRSET", "NOTAUTH", "NOTZONE"};
    if (rcode < std::size(names))
        return names[rcode];
    return rcode == 16 ? "BADVERS" : "RCODE" + std::to_string(rcode);
}

std::vector<uint8_t> make_query(uint16_t id, const WireQuestion& question) {
    std::vector<uint8_t> query;
    append_u16(query, id);
    append_u16(query, 0x0100); // flags: RD, recursion desired, as a stub resolver asks
    for (const uint16_t count : {1, 0, 0, 0})
        append_u16(query, count);
    query.insert(query.end(), question.name.begin(), question.name.end());
    append_u16(query, question.type);
    append_u16(query, question.klass);
    return query;
}

std::vector<uint8_t> make_refusal(std::span<const uint8_t> query, const WireQuestion& question) {
    std::vector<uint8_t> reply(query.begin(), query.begin() + static_cast<long>(question.end));
    reply[2] = static_cast<uint8_t>(0x80 | (query[2] & 0x79)); // QR=1, the query's opcode and RD
    reply[3] = rcode_refused;
    std::fill(reply.begin() + 4, reply.begin() + header_size, 0);
    reply[5] = 1; // QDCOUNT 1, no records
    return reply;
}

} // namespace dns::replay
