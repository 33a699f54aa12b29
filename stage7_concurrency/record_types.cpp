#include "record_types.hpp"

#include "code_names.hpp"

#include <arpa/inet.h>
#include <ctime>
#include <optional>

namespace dns {

namespace {

using enum FieldKind;

struct RecordDescription {
    uint16_t type;
    std::vector<FieldKind> fields;
};

// One line per type: its number (IANA's registry) and the fields of its RDATA,
// with the RFC that defines them.
const std::vector<RecordDescription>& record_descriptions() {
    static const std::vector<RecordDescription> descriptions = {
        {1, {ipv4}},              // A       RFC 1035 3.4.1
        {2, {compressible_name}}, // NS      RFC 1035 3.3.11
        {3, {compressible_name}}, // MD      RFC 1035 3.3.4 (obsolete)
        {4, {compressible_name}}, // MF      RFC 1035 3.3.5 (obsolete)
        {5, {compressible_name}}, // CNAME   RFC 1035 3.3.1
        {6, {compressible_name, compressible_name, u32, u32, u32, u32, u32}}, // SOA 3.3.13
        {7, {compressible_name}},                     // MB      RFC 1035 3.3.3
        {8, {compressible_name}},                     // MG      RFC 1035 3.3.6
        {9, {compressible_name}},                     // MR      RFC 1035 3.3.8
        {12, {compressible_name}},                    // PTR     RFC 1035 3.3.12
        {13, {character_string, character_string}},   // HINFO   RFC 1035 3.3.2
        {14, {compressible_name, compressible_name}}, // MINFO   RFC 1035 3.3.7
        {15, {u16, compressible_name}},               // MX      RFC 1035 3.3.9
        {16, {character_strings}},                    // TXT     RFC 1035 3.3.14
        {17, {name, name}},                           // RP      RFC 1183 2.2
        {18, {u16, name}},                            // AFSDB   RFC 1183 1
        {21, {u16, name}},                            // RT      RFC 1183 3.3
        {26, {u16, name, name}},                      // PX      RFC 2163 4
        {28, {ipv6}},                                 // AAAA    RFC 3596 2.2
        {33, {u16, u16, u16, name}},                  // SRV     RFC 2782
        {35, {u16, u16, character_string, character_string, character_string, name}}, // NAPTR
        {36, {u16, name}},             // KX      RFC 2230 3.1
        {39, {name}},                  // DNAME   RFC 6672 2.1
        {41, {edns_options}},          // OPT     RFC 6891 6.1.2
        {43, {u16, u8, u8, hex_rest}}, // DS      RFC 4034 5.1
        {46, {record_type, u8, u8, u32, time, time, u16, name, base64_rest}}, // RRSIG 4034 3.1
        {47, {name, type_bitmap}},        // NSEC    RFC 4034 4.1
        {48, {u16, u8, u8, base64_rest}}, // DNSKEY  RFC 4034 2.1
        {50, {u8, u8, u16, hex_with_length, base32_with_length, type_bitmap}}, // NSEC3 5155 3.2
        {51, {u8, u8, u16, hex_with_length}},  // NSEC3PARAM RFC 5155 4.2
        {52, {u8, u8, u8, hex_rest}},          // TLSA    RFC 6698 2.1
        {64, {u16, name, service_parameters}}, // SVCB    RFC 9460 2.2
        {65, {u16, name, service_parameters}}, // HTTPS   RFC 9460 9
        {257, {u8, tag, quoted_rest}},         // CAA     RFC 8659 4.1
    };
    return descriptions;
}

// One field, as read from the wire: a name, or the field's bytes as they are
// (a character-string with its length byte).
struct FieldValue {
    std::optional<DnsName> name;
    std::vector<uint8_t> bytes;
};

// Reads `count` bytes of a field that must end by `end`, the end of the RDATA.
void read_into(std::vector<uint8_t>& bytes, MessageReader& reader, size_t end, size_t count,
               std::string_view what) {
    if (reader.position() + count > end)
        throw ParseError("the record data ends before the " + std::string(what), reader.position());
    const auto read = reader.read_bytes(count, what);
    bytes.insert(bytes.end(), read.begin(), read.end());
}

// A length byte and that many bytes.
void read_counted(std::vector<uint8_t>& bytes, MessageReader& reader, size_t end,
                  std::string_view what) {
    read_into(bytes, reader, end, 1, what);
    read_into(bytes, reader, end, bytes.back(), what);
}

// Items of a 16-bit key (or code) and a 16-bit length, then that many bytes,
// to the end of the RDATA: SVCB's parameters, OPT's options.
void read_key_length_value_items(std::vector<uint8_t>& bytes, MessageReader& reader, size_t end,
                                 std::string_view what) {
    while (reader.position() < end) {
        read_into(bytes, reader, end, 4, what);
        const size_t length = bytes[bytes.size() - 2] << 8 | bytes.back();
        read_into(bytes, reader, end, length, what);
    }
}

FieldValue read_field(FieldKind kind, MessageReader& reader, size_t end) {
    FieldValue value;
    auto& bytes = value.bytes;
    switch (kind) {
    case u8:
        read_into(bytes, reader, end, 1, "8-bit field");
        break;
    case u16:
    case record_type:
        read_into(bytes, reader, end, 2, "16-bit field");
        break;
    case u32:
    case time:
    case ipv4:
        read_into(bytes, reader, end, 4, "32-bit field");
        break;
    case ipv6:
        read_into(bytes, reader, end, 16, "IPv6 address");
        break;
    case compressible_name:
    case name:
        value.name = parse_name(reader);
        if (reader.position() > end)
            throw ParseError("a name that runs past the end of the record data", reader.position());
        break;
    case character_string:
    case tag:
    case hex_with_length:
    case base32_with_length:
        read_counted(bytes, reader, end, "character-string");
        break;
    case character_strings:
        do
            read_counted(bytes, reader, end, "character-string");
        while (reader.position() < end);
        break;
    case quoted_rest:
    case hex_rest:
    case base64_rest:
        read_into(bytes, reader, end, end - std::min(end, reader.position()), "data");
        break;
    case type_bitmap:
        // Windows: a window number, a length of 1 to 32, that many bytes of bits.
        while (reader.position() < end) {
            read_into(bytes, reader, end, 2, "type bitmap window");
            const uint8_t length = bytes.back();
            if (length == 0 || length > 32)
                throw ParseError("a type bitmap window of " + std::to_string(length) + " bytes",
                                 reader.position());
            read_into(bytes, reader, end, length, "type bitmap");
        }
        break;
    case service_parameters:
        read_key_length_value_items(bytes, reader, end, "service parameter");
        break;
    case edns_options:
        read_key_length_value_items(bytes, reader, end, "EDNS option");
        break;
    }
    return value;
}

// The size of RDATA made of fixed-size fields only (an A record's 4 bytes, an
// AAAA's 16), or 0 if a field's size varies: such RDATA is checked by its
// length alone, and read and written as it is, without a list of fields.
size_t fixed_size_of(std::span<const FieldKind> fields) {
    size_t size = 0;
    for (const FieldKind kind : fields) {
        switch (kind) {
        case u8:
            size += 1;
            break;
        case u16:
        case record_type:
            size += 2;
            break;
        case u32:
        case time:
        case ipv4:
            size += 4;
            break;
        case ipv6:
            size += 16;
            break;
        default:
            return 0;
        }
    }
    return size;
}

// Reads every field of `fields` from `reader`, which must end exactly at `end`.
std::vector<FieldValue> read_fields(std::span<const FieldKind> fields, MessageReader& reader,
                                    size_t end) {
    std::vector<FieldValue> values;
    for (const FieldKind kind : fields)
        values.push_back(read_field(kind, reader, end));
    if (reader.position() != end)
        throw ParseError("record data of " +
                             std::to_string(end - std::min(end, reader.position())) +
                             " more bytes than its fields",
                         reader.position());
    return values;
}

// ---- presentation text, as dig (BIND 9) prints it ----

uint32_t number(const std::vector<uint8_t>& bytes) {
    uint32_t value = 0;
    for (const uint8_t byte : bytes)
        value = value << 8 | byte;
    return value;
}

// A character-string in quotes: a quote or backslash is escaped with a
// backslash, a byte that cannot be seen is written \DDD (RFC 1035 section 5.1).
std::string quoted(std::span<const uint8_t> bytes) {
    std::string text = "\"";
    for (const uint8_t byte : bytes) {
        if (byte < 0x20 || byte >= 0x7f) {
            text += '\\';
            text += static_cast<char>('0' + byte / 100);
            text += static_cast<char>('0' + byte / 10 % 10);
            text += static_cast<char>('0' + byte % 10);
        } else {
            if (byte == '"' || byte == '\\')
                text += '\\';
            text += static_cast<char>(byte);
        }
    }
    return text + "\"";
}

// dig breaks long hex and base64 into pieces of 56 characters with a space.
std::string in_pieces(const std::string& text) {
    constexpr size_t piece = 56;
    std::string result;
    for (size_t i = 0; i < text.size(); i += piece)
        result += (i == 0 ? "" : " ") + text.substr(i, piece);
    return result;
}

std::string hex(std::span<const uint8_t> bytes) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string text;
    for (const uint8_t byte : bytes) {
        text += digits[byte >> 4];
        text += digits[byte & 0xF];
    }
    return text;
}

// RFC 4648 section 4.
std::string base64(std::span<const uint8_t> bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text;
    for (size_t i = 0; i < bytes.size(); i += 3) {
        const size_t count = std::min<size_t>(3, bytes.size() - i);
        uint32_t group = 0;
        for (size_t j = 0; j < 3; ++j)
            group = group << 8 | (j < count ? bytes[i + j] : 0);
        for (size_t j = 0; j < 4; ++j)
            text += j <= count ? alphabet[group >> (18 - 6 * j) & 0x3F] : '=';
    }
    return text;
}

// RFC 4648 section 7, "base32hex", without padding, as NSEC3 uses it (RFC 5155 3.3).
std::string base32hex(std::span<const uint8_t> bytes) {
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    std::string text;
    uint32_t buffer = 0;
    int bits = 0;
    for (const uint8_t byte : bytes) {
        buffer = (buffer << 8 | byte) & 0xFFFF;
        bits += 8;
        while (bits >= 5) {
            text += alphabet[buffer >> (bits - 5) & 0x1F];
            bits -= 5;
        }
    }
    if (bits > 0)
        text += alphabet[buffer << (5 - bits) & 0x1F];
    return text;
}

std::string ipv4_text(std::span<const uint8_t> bytes) {
    return std::to_string(bytes[0]) + "." + std::to_string(bytes[1]) + "." +
           std::to_string(bytes[2]) + "." + std::to_string(bytes[3]);
}

// RFC 5952: lower case, the longest run of zero groups as "::".
std::string ipv6_text(std::span<const uint8_t> bytes) {
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
    return text;
}

// The character-strings of TXT (or of a field holding several), each quoted.
std::string character_strings_text(std::span<const uint8_t> bytes) {
    std::string text;
    for (size_t i = 0; i < bytes.size(); i += 1 + bytes[i])
        text += (i == 0 ? "" : " ") + quoted(bytes.subspan(i + 1, bytes[i]));
    return text;
}

std::string type_bitmap_text(std::span<const uint8_t> bytes) {
    std::string text;
    for (size_t i = 0; i + 1 < bytes.size(); i += 2 + bytes[i + 1]) {
        const unsigned window = bytes[i];
        for (size_t octet = 0; octet < bytes[i + 1]; ++octet)
            for (unsigned bit = 0; bit < 8; ++bit)
                if (bytes[i + 2 + octet] & (0x80 >> bit))
                    text += (text.empty() ? "" : " ") +
                            type_name(static_cast<uint16_t>(window * 256 + octet * 8 + bit));
    }
    return text;
}

// RFC 9460 section 14.3.2: the service parameter keys.
std::string service_key_name(uint16_t key) {
    static const char* const names[] = {"mandatory", "alpn", "no-default-alpn", "port",
                                        "ipv4hint",  "ech",  "ipv6hint"};
    return key < std::size(names) ? names[key] : "key" + std::to_string(key);
}

// key=value pairs in the forms of RFC 9460 section 7 and appendix A.
std::string service_parameters_text(std::span<const uint8_t> bytes) {
    std::string text;
    for (size_t i = 0; i + 4 <= bytes.size();) {
        const uint16_t key = static_cast<uint16_t>(bytes[i] << 8 | bytes[i + 1]);
        const size_t length = bytes[i + 2] << 8 | bytes[i + 3];
        const auto value = bytes.subspan(i + 4, length);
        i += 4 + length;
        text += (text.empty() ? "" : " ") + service_key_name(key);
        std::string values;
        if (key == 0) { // mandatory: a list of keys
            for (size_t j = 0; j + 1 < value.size(); j += 2)
                values += (j == 0 ? "" : ",") +
                          service_key_name(static_cast<uint16_t>(value[j] << 8 | value[j + 1]));
        } else if (key == 1) { // alpn: a list of protocol ids, each with a length byte
            std::vector<uint8_t> joined;
            for (size_t j = 0; j < value.size(); j += 1 + value[j]) {
                if (j != 0)
                    joined.push_back(',');
                for (size_t k = j + 1; k < j + 1 + value[j] && k < value.size(); ++k) {
                    if (value[k] == ',' || value[k] == '\\')
                        joined.push_back('\\'); // a comma inside an id, escaped twice
                    joined.push_back(value[k]);
                }
            }
            values = quoted(joined);
        } else if (key == 2) { // no-default-alpn: no value
            continue;
        } else if (key == 3 && value.size() == 2) { // port
            values = std::to_string(value[0] << 8 | value[1]);
        } else if (key == 4) { // ipv4hint
            for (size_t j = 0; j + 4 <= value.size(); j += 4)
                values += (j == 0 ? "" : ",") + ipv4_text(value.subspan(j, 4));
        } else if (key == 5) { // ech: the ECHConfigList in base64
            values = base64(value);
        } else if (key == 6) { // ipv6hint
            for (size_t j = 0; j + 16 <= value.size(); j += 16)
                values += (j == 0 ? "" : ",") + ipv6_text(value.subspan(j, 16));
        } else { // a key without a form of its own: its bytes, quoted
            values = quoted(value);
        }
        text += "=" + values;
    }
    return text;
}

// EDNS options (RFC 6891 section 6.1.2). dig prints OPT as a pseudo-section
// of its own, not as a record: this is the form of our trace, each option as
// CODE:hex, with the names of IANA's "DNS EDNS0 Option Codes".
std::string edns_options_text(std::span<const uint8_t> bytes) {
    std::string text;
    for (size_t i = 0; i + 4 <= bytes.size();) {
        const uint16_t code = static_cast<uint16_t>(bytes[i] << 8 | bytes[i + 1]);
        const size_t length = bytes[i + 2] << 8 | bytes[i + 3];
        std::string name = code == 3    ? "NSID"
                           : code == 8  ? "CLIENT-SUBNET"
                           : code == 10 ? "COOKIE"
                           : code == 12 ? "PADDING"
                           : code == 15 ? "EDE"
                                        : "OPT" + std::to_string(code);
        text += (text.empty() ? "" : " ") + name + ":" + hex(bytes.subspan(i + 4, length));
        i += 4 + length;
    }
    return text;
}

std::string field_text(FieldKind kind, const FieldValue& value) {
    const auto& bytes = value.bytes;
    const auto counted = [&] { return std::span(bytes).subspan(1); };
    switch (kind) {
    case u8:
    case u16:
    case u32:
        return std::to_string(number(bytes));
    case record_type:
        return type_name(static_cast<uint16_t>(number(bytes)));
    case time: {
        const std::time_t seconds = number(bytes);
        std::tm parts{};
        gmtime_r(&seconds, &parts);
        char text[16];
        std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &parts);
        return text;
    }
    case ipv4:
        return ipv4_text(bytes);
    case ipv6:
        return ipv6_text(bytes);
    case compressible_name:
    case name:
        return value.name->to_string();
    case character_string:
    case character_strings:
        return character_strings_text(bytes);
    case tag:
        return std::string(bytes.begin() + 1, bytes.end());
    case quoted_rest:
        return quoted(bytes);
    case hex_rest:
        return in_pieces(hex(bytes));
    case base64_rest:
        return in_pieces(base64(bytes));
    case hex_with_length:
        return bytes.size() == 1 ? "-" : hex(counted());
    case base32_with_length:
        return base32hex(counted());
    case type_bitmap:
        return type_bitmap_text(bytes);
    case service_parameters:
        return service_parameters_text(bytes);
    case edns_options:
        return edns_options_text(bytes);
    }
    return "";
}

// The generic form of RFC 3597 section 5: \# , the length, the data in hex.
std::string generic_text(std::span<const uint8_t> rdata) {
    std::string text = "\\# " + std::to_string(rdata.size());
    if (!rdata.empty())
        text += " " + in_pieces(hex(rdata));
    return text;
}

} // namespace

std::span<const FieldKind> record_fields(uint16_t type) {
    for (const auto& description : record_descriptions())
        if (description.type == type)
            return description.fields;
    return {};
}

std::vector<uint8_t> read_rdata(MessageReader& reader, uint16_t type, uint16_t length) {
    const size_t end = reader.position() + length;
    const auto fields = record_fields(type);
    // A type we do not know is copied as it is; so is empty RDATA, which an
    // UPDATE uses to delete a whole RRset of any type (RFC 2136 section 2.5.2).
    // So is RDATA of fixed-size fields that has their size: most answers' (A,
    // AAAA). RDATA of another size goes the long way, to its precise error.
    if (fields.empty() || length == 0 || length == fixed_size_of(fields)) {
        const auto bytes = reader.read_bytes(length, "record data");
        return {bytes.begin(), bytes.end()};
    }
    // Written out with every name in full: room for names that were pointers.
    MessageWriter rdata(length + DnsName::max_wire_length * fields.size());
    for (const FieldValue& value : read_fields(fields, reader, end)) {
        if (value.name)
            rdata.write_name(*value.name);
        else
            rdata.write_bytes(value.bytes);
    }
    return rdata.bytes();
}

void write_rdata(MessageWriter& writer, uint16_t type, std::span<const uint8_t> rdata) {
    const auto fields = record_fields(type);
    // RDATA of fixed-size fields has no name to compress (RFC 1035 section
    // 4.1.4): of the right size, it is written as it is.
    if (const size_t fixed = fixed_size_of(fields); fixed != 0 && rdata.size() == fixed) {
        writer.write_bytes(rdata);
        return;
    }
    std::vector<FieldValue> values;
    try {
        MessageReader reader(rdata);
        if (!fields.empty() && !rdata.empty())
            values = read_fields(fields, reader, rdata.size());
    } catch (const ParseError&) {
        values.clear(); // RDATA that does not match its type's fields: sent as it is
    }
    if (values.empty()) {
        writer.write_bytes(rdata);
        return;
    }
    for (size_t i = 0; i < values.size(); ++i) {
        if (fields[i] == compressible_name)
            writer.write_compressed_name(*values[i].name);
        else if (fields[i] == name)
            writer.write_name(*values[i].name);
        else
            writer.write_bytes(values[i].bytes);
    }
}

std::vector<uint8_t> rdata_with_lowercase_names(uint16_t type, std::span<const uint8_t> rdata) {
    const auto fields = record_fields(type);
    std::vector<uint8_t> lowered(rdata.begin(), rdata.end());
    if (fields.empty() || rdata.empty())
        return lowered;
    try {
        MessageReader reader(rdata);
        for (const FieldKind kind : fields) {
            const size_t start = reader.position();
            read_field(kind, reader, rdata.size());
            if (kind != compressible_name && kind != name)
                continue;
            // A length byte is at most 63, below 'A': only the letters change.
            for (size_t i = start; i < reader.position(); ++i)
                lowered[i] = lower_ascii(lowered[i]);
        }
        if (!reader.at_end())
            return {rdata.begin(), rdata.end()};
    } catch (const ParseError&) {
        return {rdata.begin(), rdata.end()};
    }
    return lowered;
}

std::string rdata_text(uint16_t type, std::span<const uint8_t> rdata) {
    const auto fields = record_fields(type);
    if (fields.empty())
        return generic_text(rdata);
    if (rdata.empty())
        return ""; // an UPDATE's "delete this RRset": dig prints no data either
    try {
        MessageReader reader(rdata);
        std::string text;
        const auto values = read_fields(fields, reader, rdata.size());
        for (size_t i = 0; i < values.size(); ++i) {
            const std::string field = field_text(fields[i], values[i]);
            text += (i == 0 || field.empty() ? "" : " ") + field;
        }
        return text;
    } catch (const ParseError&) {
        return generic_text(rdata);
    }
}

} // namespace dns
