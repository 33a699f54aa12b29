#include "resource_record.hpp"

#include "message_writer.hpp"

#include <cstdio>

namespace dns {

namespace {

// Reads the RDATA of a record. Only the types of RFC 1035 may hold compressed
// names in their RDATA (RFC 3597 section 4); they are read field by field and
// their names written out in full. Every other type is copied as it is.
std::vector<uint8_t> read_rdata(MessageReader& reader, uint16_t type, uint16_t length) {
    const size_t end = reader.position() + length;
    MessageWriter rdata(length + DnsName::max_wire_length * 2);
    switch (type) {
    case type_ns:
    case type_cname:
    case type_ptr:
    case 3: case 4: case 7: case 8: case 9: // MD, MF, MB, MG, MR: obsolete, one name
        rdata.write_name(parse_name(reader));
        break;
    case type_mx: // a 16-bit preference, then the mail exchanger's name
        rdata.write_u16(reader.read_u16("MX preference"));
        rdata.write_name(parse_name(reader));
        break;
    case type_soa: // two names, then five 32-bit numbers
        rdata.write_name(parse_name(reader));
        rdata.write_name(parse_name(reader));
        rdata.write_bytes(reader.read_bytes(20, "SOA numbers"));
        break;
    case 14: // MINFO: two names
        rdata.write_name(parse_name(reader));
        rdata.write_name(parse_name(reader));
        break;
    default: {
        const auto bytes = reader.read_bytes(length, "record data");
        return {bytes.begin(), bytes.end()};
    }
    }
    // RDLENGTH must cover exactly the fields that were read.
    if (reader.position() != end)
        throw ParseError("record data of " + std::to_string(length) +
                             " bytes that does not match its fields",
                         reader.position());
    return rdata.bytes();
}

} // namespace

ResourceRecord parse_record(MessageReader& reader) {
    ResourceRecord record;
    record.name = parse_name(reader);
    record.type = reader.read_u16("record's type");
    record.klass = reader.read_u16("record's class");
    record.ttl = reader.read_u32("record's TTL");
    const uint16_t length = reader.read_u16("record's RDLENGTH");
    if (length > reader.remaining())
        throw ParseError("record data of " + std::to_string(length) + " bytes, but only " +
                             std::to_string(reader.remaining()) + " are left",
                         reader.position());
    record.rdata = read_rdata(reader, record.type, length);
    return record;
}

DnsName rdata_as_name(const ResourceRecord& record) {
    MessageReader reader(record.rdata);
    return parse_name(reader);
}

std::string rdata_to_text(const ResourceRecord& record) {
    const auto& data = record.rdata;
    if (record.type == type_a && data.size() == 4)
        return std::to_string(data[0]) + "." + std::to_string(data[1]) + "." +
               std::to_string(data[2]) + "." + std::to_string(data[3]);
    if (record.type == type_ns || record.type == type_cname || record.type == type_ptr)
        return rdata_as_name(record).to_string();
    std::string text = "\\# " + std::to_string(data.size());
    if (!data.empty())
        text += ' ';
    for (const uint8_t byte : data) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02X", byte);
        text += hex;
    }
    return text;
}

} // namespace dns
