#include "message.hpp"

namespace dns {

Message parse_message(std::span<const uint8_t> bytes) {
    MessageReader reader(bytes);
    Message message;
    message.header = parse_header(reader);
    // QDCOUNT comes from the sender and may be anything up to 65535. Questions are
    // read one by one, so a count larger than the message fails at its end
    // instead of reserving memory for questions that are not there.
    for (uint16_t i = 0; i < message.header.qdcount; ++i)
        message.questions.push_back(parse_question(reader));
    return message;
}

} // namespace dns
