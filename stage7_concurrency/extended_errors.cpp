#include "extended_errors.hpp"

#include "edns.hpp"
#include "message.hpp"

namespace dns {

std::string extra_text(std::string_view text) {
    std::string safe;
    for (const char character : text) {
        const auto byte = static_cast<unsigned char>(character);
        std::string piece(1, character);
        if (byte < 0x20 || byte > 0x7e || byte == '\\') {
            piece = "\\000";
            piece[1] = static_cast<char>('0' + byte / 100);
            piece[2] = static_cast<char>('0' + byte / 10 % 10);
            piece[3] = static_cast<char>('0' + byte % 10);
        }
        if (safe.size() + piece.size() > max_extra_text - 3) {
            safe += "...";
            break;
        }
        safe += piece;
    }
    return safe;
}

void add_extended_error(ResourceRecord& opt, const ExtendedError& error) {
    // OPTION-CODE, OPTION-LENGTH, then INFO-CODE and EXTRA-TEXT (RFC 8914 section 2).
    const std::string text = extra_text(error.text);
    const size_t length = 2 + text.size();
    for (const size_t value : {size_t{edns_option_extended_error}, length, size_t{error.code}}) {
        opt.rdata.push_back(static_cast<uint8_t>(value >> 8));
        opt.rdata.push_back(static_cast<uint8_t>(value & 0xff));
    }
    opt.rdata.insert(opt.rdata.end(), text.begin(), text.end());
}

std::vector<ExtendedError> read_extended_errors(std::span<const uint8_t> opt_rdata) {
    std::vector<ExtendedError> errors;
    for (size_t at = 0; at + 4 <= opt_rdata.size();) {
        const uint16_t code = static_cast<uint16_t>(opt_rdata[at] << 8 | opt_rdata[at + 1]);
        const size_t length = static_cast<size_t>(opt_rdata[at + 2] << 8 | opt_rdata[at + 3]);
        at += 4;
        if (at + length > opt_rdata.size())
            break;
        if (code == edns_option_extended_error && length >= 2)
            errors.push_back({static_cast<uint16_t>(opt_rdata[at] << 8 | opt_rdata[at + 1]),
                              std::string(opt_rdata.begin() + static_cast<long>(at) + 2,
                                          opt_rdata.begin() + static_cast<long>(at + length))});
        at += length;
    }
    return errors;
}

ExtendedError extended_error_for_failure(std::string_view reason) {
    // The resolver's words for "the servers did not help" (iterative_resolver.cpp).
    const bool servers_failed = reason.find("no server of") != std::string_view::npos ||
                                reason.find(" servers of ") != std::string_view::npos;
    const bool forwarder_failed = reason.find("the forwarder ") != std::string_view::npos;
    return {servers_failed     ? ede::no_reachable_authority
            : forwarder_failed ? ede::network_error
                               : ede::other,
            std::string(reason)};
}

std::vector<uint8_t> with_extended_error(std::vector<uint8_t> response,
                                         std::span<const uint8_t> request,
                                         const ExtendedError& error) {
    std::optional<Edns> edns;
    try {
        edns = find_edns(parse_message(request));
    } catch (const ParseError&) {
        return response;
    } catch (const EdnsError&) {
        return response;
    }
    if (!edns || response.size() < 12)
        return response;
    ResourceRecord opt = make_opt_record(response[3] & 0x0f, edns->dnssec_ok);
    add_extended_error(opt, error);
    // The OPT record by hand: the root's empty name, then TYPE, CLASS (the
    // payload size), TTL (extended rcode, version, DO) and RDLENGTH, then the
    // options (RFC 6891 section 6.1.2).
    response.push_back(0);
    const uint32_t fields[] = {opt.type, opt.klass, opt.ttl >> 16, opt.ttl & 0xffff,
                               static_cast<uint32_t>(opt.rdata.size())};
    for (const uint32_t field : fields) {
        response.push_back(static_cast<uint8_t>(field >> 8));
        response.push_back(static_cast<uint8_t>(field & 0xff));
    }
    response.insert(response.end(), opt.rdata.begin(), opt.rdata.end());
    response[10] = 0; // ARCOUNT: the OPT record
    response[11] = 1;
    return response;
}

} // namespace dns
