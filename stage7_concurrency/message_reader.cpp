#include "message_reader.hpp"

namespace dns {

void MessageReader::require(size_t count, std::string_view what) const {
    if (count > remaining())
        throw ParseError("the message ends before the " + std::string(what) + " (" +
                             std::to_string(count) + " bytes needed, " +
                             std::to_string(remaining()) + " left)",
                         position_);
}

MessageReader MessageReader::jump_to(size_t offset) const {
    if (offset >= message_.size())
        throw ParseError("a compression pointer to byte " + std::to_string(offset) +
                             ", past the end of the message",
                         position_);
    MessageReader reader(message_);
    reader.position_ = offset;
    return reader;
}

uint8_t MessageReader::read_u8(std::string_view what) {
    require(1, what);
    return message_[position_++];
}

uint16_t MessageReader::read_u16(std::string_view what) {
    require(2, what);
    const uint16_t value =
        static_cast<uint16_t>(message_[position_] << 8 | message_[position_ + 1]);
    position_ += 2;
    return value;
}

uint32_t MessageReader::read_u32(std::string_view what) {
    require(4, what);
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i)
        value = value << 8 | message_[position_ + i];
    position_ += 4;
    return value;
}

std::span<const uint8_t> MessageReader::read_bytes(size_t count, std::string_view what) {
    require(count, what);
    const auto bytes = message_.subspan(position_, count);
    position_ += count;
    return bytes;
}

} // namespace dns
