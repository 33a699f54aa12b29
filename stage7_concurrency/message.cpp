#include "message.hpp"

namespace dns {

Message parse_message(std::span<const uint8_t> bytes) {
    MessageReader reader(bytes);
    Message message;
    message.header = parse_header(reader);
    // The counts come from the sender and may be anything up to 65535. Items are
    // read one by one, so a count larger than the message fails at its end
    // instead of reserving memory for items that are not there.
    for (uint16_t i = 0; i < message.header.qdcount; ++i)
        message.questions.push_back(parse_question(reader));
    for (uint16_t i = 0; i < message.header.ancount; ++i)
        message.answers.push_back(parse_record(reader));
    for (uint16_t i = 0; i < message.header.nscount; ++i)
        message.authorities.push_back(parse_record(reader));
    for (uint16_t i = 0; i < message.header.arcount; ++i)
        message.additionals.push_back(parse_record(reader));
    // Bytes after the last record belong to nothing: the counts and the message
    // disagree, and what the sender meant cannot be known.
    if (!reader.at_end())
        throw ParseError(std::to_string(reader.remaining()) + " bytes after the last record",
                         reader.position());
    return message;
}

} // namespace dns
