#include "resource_record.hpp"

#include "record_types.hpp"

namespace dns {

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
    return rdata_text(record.type, record.rdata);
}

} // namespace dns
