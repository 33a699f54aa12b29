#include "fast_path.hpp"

#include "dns_name.hpp"
#include "edns.hpp"
#include "header.hpp"
#include "message_reader.hpp"
#include "request_handler.hpp"
#include "resource_record.hpp"

#include <algorithm>

namespace dns {

namespace {

constexpr size_t header_size = 12;

uint16_t u16_at(std::span<const uint8_t> bytes, size_t at) {
    return static_cast<uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

// The EDNS part of the key: no OPT record, or one with DO=0, or with DO=1.
// Nothing if the OPT record is one the fast path leaves to the full path.
std::optional<char> read_plain_opt(std::span<const uint8_t> request, size_t at) {
    // OPT (RFC 6891 section 6.1.2): owner root (0), TYPE 41, CLASS = UDP size,
    // TTL = extended rcode, version, flags; RDLENGTH; options.
    if (request.size() < at + 11 || request[at] != 0 || u16_at(request, at + 1) != type_opt)
        return std::nullopt;
    const uint16_t udp_size = u16_at(request, at + 3);
    const uint8_t extended_rcode = request[at + 5];
    const uint8_t version = request[at + 6];
    const bool dnssec_ok = (request[at + 7] & 0x80) != 0;
    const size_t data_length = u16_at(request, at + 9);
    if (udp_size < our_udp_payload_size || extended_rcode != 0 || version != 0 ||
        at + 11 + data_length != request.size())
        return std::nullopt;
    // Options are walked only to be sure they fill the data exactly; none of
    // them changes the answer (a COOKIE, say, is not answered by this resolver).
    for (size_t option = at + 11; option < request.size();) {
        if (option + 4 > request.size())
            return std::nullopt;
        option += 4 + u16_at(request, option + 2);
        if (option > request.size())
            return std::nullopt;
    }
    return dnssec_ok ? '2' : '1';
}

} // namespace

std::optional<PlainQuery> read_plain_query(std::span<const uint8_t> request) {
    if (request.size() < header_size + 5)
        return std::nullopt;
    const uint8_t flags = request[2];
    const bool is_response = (flags & header_flags::in_byte_2(header_flags::qr)) != 0;
    const uint8_t opcode = (flags >> 3) & 0x0f;
    const uint16_t questions = u16_at(request, 4);
    const uint16_t answers = u16_at(request, 6);
    const uint16_t authorities = u16_at(request, 8);
    const uint16_t additionals = u16_at(request, 10);
    if (is_response || opcode != 0 || questions != 1 || answers != 0 || authorities != 0 ||
        additionals > 1)
        return std::nullopt;

    PlainQuery query;
    query.cache_key.reserve(64);
    query.cache_key.push_back('W');
    // The name, label by label, lowercased; a pointer or a bad length: not plain.
    size_t at = header_size;
    for (;;) {
        if (at >= request.size())
            return std::nullopt;
        const uint8_t length = request[at];
        if (length > DnsName::max_label_length || at + 1 + length > request.size())
            return std::nullopt;
        query.cache_key.push_back(static_cast<char>(length));
        for (size_t i = at + 1; i < at + 1 + length; ++i) {
            const uint8_t byte = request[i];
            query.cache_key.push_back(static_cast<char>(lower_ascii(byte)));
        }
        at += 1 + length;
        if (length == 0)
            break;
    }
    if (at - header_size > DnsName::max_wire_length || at + 4 > request.size())
        return std::nullopt;
    const uint16_t type = u16_at(request, at);
    const uint16_t klass = u16_at(request, at + 2);
    at += 4;
    // Only what the full path looks up: class IN, and not the types it refuses
    // or answers in its own way (zone transfers, the obsolete MAILA/MAILB, ANY).
    if (klass != class_in || type == type_opt || type == type_any ||
        is_zone_transfer_or_obsolete(type))
        return std::nullopt;
    query.cache_key.push_back(static_cast<char>(type >> 8));
    query.cache_key.push_back(static_cast<char>(type & 0xff));
    // The query's AD and CD bits choose the response too (DNSSEC): AD asks
    // for the AD bit back (RFC 6840 section 5.8), CD for a bogus answer's
    // data instead of SERVFAIL (RFC 4035 section 3.2.2).
    using namespace header_flags;
    query.cache_key.push_back(static_cast<char>(request[3] & in_byte_3(ad | cd)));
    query.question_end = at;
    if (additionals == 0) {
        if (at != request.size())
            return std::nullopt;
        query.cache_key.push_back('0');
        return query;
    }
    const auto edns_kind = read_plain_opt(request, at);
    if (!edns_kind)
        return std::nullopt;
    query.cache_key.push_back(*edns_kind);
    return query;
}

size_t answer_from_cache(Cache& cache, std::span<const uint8_t> request, std::span<uint8_t> out,
                         Cache::Clock::time_point now) {
    const auto query = read_plain_query(request);
    if (!query)
        return 0;
    const size_t size = cache.copy_response(query->cache_key, out, now);
    if (size < query->question_end)
        return 0;
    // This query's ID and RD bit (RFC 1035 section 4.1.1; CD is the same as
    // the remembered query's, it is part of the key), and its question with
    // the client's own spelling of the name (RFC 4343 section 4.1): the
    // cached response's names point to it, so they take that spelling too.
    using namespace header_flags;
    out[0] = request[0];
    out[1] = request[1];
    out[2] = static_cast<uint8_t>((out[2] & ~in_byte_2(rd)) | (request[2] & in_byte_2(rd)));
    std::copy(request.begin() + header_size,
              request.begin() + static_cast<long>(query->question_end), out.begin() + header_size);
    return size;
}

void remember_response(Cache& cache, std::span<const uint8_t> request,
                       std::span<const uint8_t> response, Cache::Clock::time_point now) {
    const auto query = read_plain_query(request);
    if (!query || response.size() < header_size)
        return;
    const bool truncated = (response[2] & header_flags::in_byte_2(header_flags::tc)) != 0;
    const uint8_t rcode = response[3] & header_flags::rcode;
    if (truncated || (rcode != 0 && rcode != 3))
        return;
    // Where each record's TTL is, read back from the response itself. The
    // full path has capped them already; the same caps are applied here again,
    // so that the fast path never hands out more than the cache would keep.
    const CacheSettings& settings = cache.settings();
    const bool negative = rcode == 3 || u16_at(response, 6) == 0;
    WireResponse kept;
    kept.bytes.assign(response.begin(), response.end());
    uint32_t smallest_ttl = UINT32_MAX;
    try {
        MessageReader reader(response);
        reader.read_bytes(header_size, "header");
        parse_name(reader);
        reader.read_u32("question type and class");
        const int records = u16_at(response, 6) + u16_at(response, 8) + u16_at(response, 10);
        for (int i = 0; i < records; ++i) {
            parse_name(reader);
            const uint16_t type = reader.read_u16("type");
            reader.read_u16("class");
            const size_t ttl_at = reader.position();
            uint32_t ttl = std::min(reader.read_u32("TTL"), settings.max_ttl);
            const auto rdata = reader.read_bytes(reader.read_u16("RDLENGTH"), "RDATA");
            if (type == type_opt) // its "TTL" holds EDNS flags, not a time
                continue;
            // A negative answer holds for the negative TTL (RFC 2308 section 5).
            if (negative && type == type_soa)
                if (const auto negative_for = negative_ttl(ttl, rdata))
                    ttl = std::min(*negative_for, settings.max_negative_ttl);
            kept.ttl_offsets.push_back(static_cast<uint16_t>(ttl_at));
            kept.ttls.push_back(ttl);
            smallest_ttl = std::min(smallest_ttl, ttl);
        }
    } catch (const ParseError&) {
        return;
    }
    if (kept.ttls.empty())
        return; // NODATA without an SOA: nothing says how long it holds
    cache.store_response(query->cache_key, std::move(kept), smallest_ttl, now);
}

} // namespace dns
