// Question: what the asker wants to know (RFC 1035 section 4.1.2): a name, the
// type of record wanted (A, MX, ...) and the class (IN, the Internet, nearly always).
#pragma once

#include "dns_name.hpp"

#include <cstdint>

namespace dns {

struct Question {
    DnsName name;
    uint16_t type = 0;
    uint16_t klass = 0; // "class" is a C++ keyword
};

// Reads one question. Throws ParseError.
Question parse_question(MessageReader& reader);

} // namespace dns
