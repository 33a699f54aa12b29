// Message: a parsed DNS message. This stage reads the header and the questions,
// which is all a query needs; the records that may follow are counted, not read.
#pragma once

#include "header.hpp"
#include "question.hpp"

#include <span>
#include <vector>

namespace dns {

struct Message {
    Header header;
    std::vector<Question> questions;
};

// Reads the header and QDCOUNT questions. Throws ParseError.
Message parse_message(std::span<const uint8_t> bytes);

} // namespace dns
