#include "edns.hpp"

namespace dns {

namespace {

// Each option is a 16-bit code, a 16-bit length and that many bytes. Options we
// do not know are ignored (RFC 6891 section 6.1.2), but they must fit.
void check_options(const std::vector<uint8_t>& rdata) {
    MessageReader reader(rdata);
    try {
        while (!reader.at_end()) {
            reader.read_u16("option code");
            const uint16_t length = reader.read_u16("option length");
            reader.read_bytes(length, "option data");
        }
    } catch (const ParseError& error) {
        throw EdnsError(std::string("malformed EDNS options: ") + error.what());
    }
}

} // namespace

std::optional<Edns> find_edns(const Message& message) {
    for (const auto* section : {&message.answers, &message.authorities})
        for (const auto& record : *section)
            if (record.type == type_opt)
                throw EdnsError("an OPT record outside the additional section");
    std::optional<Edns> edns;
    for (const auto& record : message.additionals) {
        if (record.type != type_opt)
            continue;
        if (edns)
            throw EdnsError("more than one OPT record");
        if (!record.name.is_root())
            throw EdnsError("an OPT record whose owner is not the root");
        check_options(record.rdata);
        edns = Edns{};
        // A payload size under 512 is treated as 512 (RFC 6891 section 6.2.3).
        edns->udp_payload_size = std::max<uint16_t>(record.klass, 512);
        edns->extended_rcode = static_cast<uint8_t>(record.ttl >> 24);
        edns->version = static_cast<uint8_t>(record.ttl >> 16);
        edns->dnssec_ok = record.ttl & 0x8000;
    }
    return edns;
}

ResourceRecord make_opt_record(uint16_t rcode, bool dnssec_ok) {
    ResourceRecord opt;
    opt.type = type_opt;                               // owner: the root, the empty name
    opt.klass = our_udp_payload_size;                  // CLASS holds the payload size
    opt.ttl = static_cast<uint32_t>(rcode >> 4) << 24; // version 0 in the next 8 bits
    if (dnssec_ok)
        opt.ttl |= 0x8000;
    return opt;
}

} // namespace dns
