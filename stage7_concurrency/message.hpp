// Message: a parsed DNS message (RFC 1035 section 4.1): the header, the questions,
// and three sections of records: the answer, the authority (which servers are
// authoritative: NS records of a referral, the SOA of a negative answer) and the
// additional section (for example the addresses of those servers, the "glue").
#pragma once

#include "header.hpp"
#include "question.hpp"
#include "resource_record.hpp"

#include <span>
#include <vector>

namespace dns {

struct Message {
    Header header;
    std::vector<Question> questions;
    std::vector<ResourceRecord> answers;
    std::vector<ResourceRecord> authorities;
    std::vector<ResourceRecord> additionals;
};

// Reads the header, QDCOUNT questions and the records the other counts announce,
// and nothing more: bytes left over are an error too. Throws ParseError.
Message parse_message(std::span<const uint8_t> bytes);

} // namespace dns
