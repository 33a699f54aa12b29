#include "header.hpp"

namespace dns {

Header parse_header(MessageReader& reader) {
    Header header;
    header.id = reader.read_u16("header's ID");
    const uint16_t flags = reader.read_u16("header's flags");
    header.qr = flags & 0x8000;
    header.opcode = (flags >> 11) & 0xF;
    header.aa = flags & 0x0400;
    header.tc = flags & 0x0200;
    header.rd = flags & 0x0100;
    header.ra = flags & 0x0080;
    header.z = flags & 0x0040;
    header.ad = flags & 0x0020;
    header.cd = flags & 0x0010;
    header.rcode = flags & 0x000F;
    header.qdcount = reader.read_u16("header's QDCOUNT");
    header.ancount = reader.read_u16("header's ANCOUNT");
    header.nscount = reader.read_u16("header's NSCOUNT");
    header.arcount = reader.read_u16("header's ARCOUNT");
    return header;
}

} // namespace dns
