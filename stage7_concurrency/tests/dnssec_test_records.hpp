// Records for the DNSSEC tests, written the way the RFCs print their
// examples, so that each test reads like the example it checks. DS and DNSKEY
// text goes through the trust-anchor parser (trust_anchors.hpp); the other
// types are put together here from their fields.
#pragma once

#include "../code_names.hpp"
#include "../message_writer.hpp"
#include "../resource_record.hpp"
#include "../text_encodings.hpp"
#include "../trust_anchors.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <initializer_list>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dns::testing {

inline std::vector<uint8_t> base64(std::string_view text) {
    std::string joined;
    for (const char character : text)
        if (character != ' ' && character != '\n')
            joined += character;
    const auto bytes = decode_base64(joined);
    if (!bytes)
        throw std::runtime_error("not base64: " + joined);
    return *bytes;
}

inline std::vector<uint8_t> hex(std::string_view text) {
    const auto bytes = decode_hex(text);
    if (!bytes)
        throw std::runtime_error("not hex: " + std::string(text));
    return *bytes;
}

inline ResourceRecord record(std::string_view owner, uint16_t type, std::vector<uint8_t> rdata,
                             uint32_t ttl = 3600) {
    return ResourceRecord{DnsName::from_text(owner), type, class_in, ttl, std::move(rdata)};
}

// "example.net. 3600 IN DNSKEY 257 3 13 ..." or "... DS ...", one record.
inline ResourceRecord anchor_record(const std::string& text) {
    return parse_trust_anchors(text).at(0);
}

inline ResourceRecord a_record(std::string_view owner, std::string_view address,
                               uint32_t ttl = 3600) {
    std::vector<uint8_t> rdata;
    std::istringstream parts{std::string(address)};
    for (std::string part; std::getline(parts, part, '.');)
        rdata.push_back(static_cast<uint8_t>(std::stoi(part)));
    return record(owner, type_a, rdata, ttl);
}

inline ResourceRecord mx_record(std::string_view owner, uint16_t preference,
                                std::string_view exchange) {
    MessageWriter writer(2 + DnsName::max_wire_length);
    writer.write_u16(preference);
    writer.write_name(DnsName::from_text(exchange));
    return record(owner, type_mx, writer.bytes());
}

// The number of a type mnemonic, by the stage's own names of types.
inline uint16_t type_number(std::string_view mnemonic) {
    for (uint32_t type = 0; type <= 0xFFFF; ++type)
        if (type_name(static_cast<uint16_t>(type)) == mnemonic)
            return static_cast<uint16_t>(type);
    throw std::runtime_error("no type " + std::string(mnemonic));
}

// RFC 4034 section 3.2: YYYYMMDDHHMMSS in UTC, or seconds since 1970.
inline uint32_t rrsig_time(const std::string& text) {
    if (text.size() != 14)
        return static_cast<uint32_t>(std::stoul(text));
    std::tm parts{};
    std::istringstream(text) >> std::get_time(&parts, "%Y%m%d%H%M%S");
    return static_cast<uint32_t>(timegm(&parts));
}

// RRSIG presentation text: "A 13 3 3600 20100909100439 20100812100439 55648
// example.net. qx6wLYqmh+l9..." (RFC 4034 section 3.2).
inline ResourceRecord rrsig_record(std::string_view owner, const std::string& text,
                                   uint32_t ttl = 3600) {
    std::istringstream words(text);
    std::string covered, algorithm, labels, original_ttl, expiration, inception, key_tag, signer;
    words >> covered >> algorithm >> labels >> original_ttl >> expiration >> inception >> key_tag >>
        signer;
    std::string signature, piece;
    while (words >> piece)
        signature += piece;
    MessageWriter writer(65535);
    writer.write_u16(type_number(covered));
    writer.write_u8(static_cast<uint8_t>(std::stoi(algorithm)));
    writer.write_u8(static_cast<uint8_t>(std::stoi(labels)));
    writer.write_u32(static_cast<uint32_t>(std::stoul(original_ttl)));
    writer.write_u32(rrsig_time(expiration));
    writer.write_u32(rrsig_time(inception));
    writer.write_u16(static_cast<uint16_t>(std::stoi(key_tag)));
    writer.write_name(DnsName::from_text(signer));
    writer.write_bytes(base64(signature));
    return record(owner, type_rrsig, writer.bytes(), ttl);
}

// The type bitmap of RFC 4034 section 4.1.2 for `types`.
inline std::vector<uint8_t> type_bitmap(std::initializer_list<uint16_t> types) {
    std::vector<uint8_t> bitmap;
    for (unsigned window = 0; window < 256; ++window) {
        uint8_t octets[32] = {};
        size_t length = 0;
        for (const uint16_t type : types) {
            if (type >> 8 != window)
                continue;
            octets[(type & 0xFF) / 8] |= static_cast<uint8_t>(0x80 >> (type & 7));
            length = std::max(length, size_t{(type & 0xFFu) / 8u + 1u});
        }
        if (length == 0)
            continue;
        bitmap.push_back(static_cast<uint8_t>(window));
        bitmap.push_back(static_cast<uint8_t>(length));
        bitmap.insert(bitmap.end(), octets, octets + length);
    }
    return bitmap;
}

inline ResourceRecord nsec_record(std::string_view owner, std::string_view next,
                                  std::initializer_list<uint16_t> types) {
    MessageWriter writer(65535);
    writer.write_name(DnsName::from_text(next));
    writer.write_bytes(type_bitmap(types));
    return record(owner, type_nsec, writer.bytes());
}

// RFC 5155 section 3.3 presentation: owner "<base32hex hash>.example.", the
// next hashed owner in base32hex, the salt in hex.
inline ResourceRecord nsec3_record(std::string_view owner, uint8_t flags, uint16_t iterations,
                                   std::string_view salt, std::string_view next_hashed_owner,
                                   std::initializer_list<uint16_t> types) {
    const auto next = decode_base32hex(next_hashed_owner);
    if (!next)
        throw std::runtime_error("not base32hex: " + std::string(next_hashed_owner));
    const auto salt_bytes = hex(salt);
    MessageWriter writer(65535);
    writer.write_u8(1); // SHA-1
    writer.write_u8(flags);
    writer.write_u16(iterations);
    writer.write_u8(static_cast<uint8_t>(salt_bytes.size()));
    writer.write_bytes(salt_bytes);
    writer.write_u8(static_cast<uint8_t>(next->size()));
    writer.write_bytes(*next);
    writer.write_bytes(type_bitmap(types));
    return record(owner, type_nsec3, writer.bytes());
}

inline std::chrono::sys_seconds at_time(const std::string& yyyymmddhhmmss) {
    return std::chrono::sys_seconds(std::chrono::seconds(rrsig_time(yyyymmddhhmmss)));
}

} // namespace dns::testing
