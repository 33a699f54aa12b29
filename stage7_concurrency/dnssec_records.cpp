#include "dnssec_records.hpp"

#include "message_reader.hpp"

#include <algorithm>

namespace dns {

namespace {

std::vector<uint8_t> rest(MessageReader& reader, std::string_view what) {
    const auto bytes = reader.read_bytes(reader.remaining(), what);
    return {bytes.begin(), bytes.end()};
}

// A length byte and that many bytes: NSEC3's salt and next hashed owner.
std::vector<uint8_t> counted(MessageReader& reader, std::string_view what) {
    const uint8_t length = reader.read_u8(what);
    const auto bytes = reader.read_bytes(length, what);
    return {bytes.begin(), bytes.end()};
}

} // namespace

Dnskey parse_dnskey(std::span<const uint8_t> rdata) {
    MessageReader reader(rdata);
    Dnskey key;
    key.flags = reader.read_u16("DNSKEY flags");
    key.protocol = reader.read_u8("DNSKEY protocol");
    key.algorithm = reader.read_u8("DNSKEY algorithm");
    key.public_key = rest(reader, "DNSKEY public key");
    return key;
}

Rrsig parse_rrsig(std::span<const uint8_t> rdata) {
    MessageReader reader(rdata);
    Rrsig rrsig;
    rrsig.type_covered = reader.read_u16("RRSIG type covered");
    rrsig.algorithm = reader.read_u8("RRSIG algorithm");
    rrsig.labels = reader.read_u8("RRSIG labels");
    rrsig.original_ttl = reader.read_u32("RRSIG original TTL");
    rrsig.expiration = reader.read_u32("RRSIG expiration");
    rrsig.inception = reader.read_u32("RRSIG inception");
    rrsig.key_tag = reader.read_u16("RRSIG key tag");
    rrsig.signer = parse_name(reader);
    rrsig.signature = rest(reader, "RRSIG signature");
    return rrsig;
}

std::vector<uint8_t> rrsig_rdata_without_signature(std::span<const uint8_t> rdata) {
    constexpr size_t fixed_fields = 18; // type covered ... key tag
    const Rrsig rrsig = parse_rrsig(rdata);
    std::vector<uint8_t> signed_fields(rdata.begin(), rdata.begin() + fixed_fields);
    const auto signer = canonical_name_wire(rrsig.signer);
    signed_fields.insert(signed_fields.end(), signer.begin(), signer.end());
    return signed_fields;
}

Ds parse_ds(std::span<const uint8_t> rdata) {
    MessageReader reader(rdata);
    Ds ds;
    ds.key_tag = reader.read_u16("DS key tag");
    ds.algorithm = reader.read_u8("DS algorithm");
    ds.digest_type = reader.read_u8("DS digest type");
    ds.digest = rest(reader, "DS digest");
    return ds;
}

Nsec parse_nsec(std::span<const uint8_t> rdata) {
    MessageReader reader(rdata);
    Nsec nsec;
    nsec.next = parse_name(reader);
    nsec.type_bitmap = rest(reader, "NSEC type bitmap");
    return nsec;
}

Nsec3 parse_nsec3(std::span<const uint8_t> rdata) {
    MessageReader reader(rdata);
    Nsec3 nsec3;
    nsec3.hash_algorithm = reader.read_u8("NSEC3 hash algorithm");
    nsec3.flags = reader.read_u8("NSEC3 flags");
    nsec3.iterations = reader.read_u16("NSEC3 iterations");
    nsec3.salt = counted(reader, "NSEC3 salt");
    nsec3.next_hashed_owner = counted(reader, "NSEC3 next hashed owner");
    nsec3.type_bitmap = rest(reader, "NSEC3 type bitmap");
    return nsec3;
}

bool bitmap_has_type(std::span<const uint8_t> type_bitmap, uint16_t type) {
    const unsigned window = type >> 8;
    const unsigned octet = (type & 0xFF) / 8;
    const uint8_t bit = static_cast<uint8_t>(0x80 >> (type & 7));
    // Windows in increasing order: window number, length, that many octets.
    for (size_t i = 0; i + 1 < type_bitmap.size(); i += 2 + type_bitmap[i + 1]) {
        if (type_bitmap[i] != window)
            continue;
        const size_t length = type_bitmap[i + 1];
        return octet < length && i + 2 + octet < type_bitmap.size() &&
               (type_bitmap[i + 2 + octet] & bit) != 0;
    }
    return false;
}

bool rrsig_covers(const ResourceRecord& rrsig, const ResourceRecord& record) {
    return rrsig.type == type_rrsig && rrsig.rdata.size() >= 2 && rrsig.name == record.name &&
           static_cast<uint16_t>(rrsig.rdata[0] << 8 | rrsig.rdata[1]) == record.type;
}

uint16_t key_tag(std::span<const uint8_t> dnskey_rdata) {
    // Algorithm 1 (RSA/MD5, long retired) takes its tag from the key itself
    // (RFC 4034 Appendix B.1): the top 16 of the modulus's lowest 24 bits.
    constexpr size_t algorithm_offset = 3;
    if (dnskey_rdata.size() > algorithm_offset + 3 && dnskey_rdata[algorithm_offset] == 1)
        return static_cast<uint16_t>(dnskey_rdata[dnskey_rdata.size() - 3] << 8 |
                                     dnskey_rdata[dnskey_rdata.size() - 2]);
    // Every other algorithm: the RDATA summed as 16-bit words, the carry
    // folded back in once (a ones'-complement-like sum).
    uint64_t sum = 0;
    for (size_t i = 0; i < dnskey_rdata.size(); ++i)
        sum += (i % 2 == 0) ? uint64_t{dnskey_rdata[i]} << 8 : dnskey_rdata[i];
    sum += sum >> 16 & 0xFFFF;
    return static_cast<uint16_t>(sum & 0xFFFF);
}

std::vector<uint8_t> canonical_name_wire(const DnsName& name) {
    // Uncompressed, letters lowercased (RFC 4034 section 6.2), the root's 0 last.
    std::string wire;
    append_lowercase_labels(wire, name);
    wire.push_back('\0');
    return {wire.begin(), wire.end()};
}

int compare_canonically(const DnsName& a, const DnsName& b) {
    const auto& left = a.labels();
    const auto& right = b.labels();
    for (size_t i = 1; i <= std::min(left.size(), right.size()); ++i) {
        const std::string& x = left[left.size() - i];
        const std::string& y = right[right.size() - i];
        for (size_t j = 0; j < std::min(x.size(), y.size()); ++j) {
            const uint8_t p = lower_ascii(static_cast<uint8_t>(x[j]));
            const uint8_t q = lower_ascii(static_cast<uint8_t>(y[j]));
            if (p != q)
                return p < q ? -1 : 1;
        }
        if (x.size() != y.size())
            return x.size() < y.size() ? -1 : 1;
    }
    if (left.size() != right.size())
        return left.size() < right.size() ? -1 : 1;
    return 0;
}

} // namespace dns
