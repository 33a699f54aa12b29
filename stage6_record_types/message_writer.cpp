#include "message_writer.hpp"

#include <string>

namespace dns {

void MessageWriter::require_room(size_t count) const {
    if (bytes_.size() + count > max_size_)
        throw MessageTooLarge("the message would be larger than " + std::to_string(max_size_) +
                              " bytes");
}

void MessageWriter::write_u8(uint8_t value) {
    require_room(1);
    bytes_.push_back(value);
}

void MessageWriter::write_u16(uint16_t value) {
    require_room(2);
    bytes_.push_back(static_cast<uint8_t>(value >> 8));
    bytes_.push_back(static_cast<uint8_t>(value));
}

void MessageWriter::write_u32(uint32_t value) {
    require_room(4);
    for (int shift = 24; shift >= 0; shift -= 8)
        bytes_.push_back(static_cast<uint8_t>(value >> shift));
}

void MessageWriter::write_bytes(std::span<const uint8_t> bytes) {
    require_room(bytes.size());
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
}

void MessageWriter::write_name(const DnsName& name) {
    require_room(name.wire_length());
    for (const auto& label : name.labels()) {
        bytes_.push_back(static_cast<uint8_t>(label.size()));
        bytes_.insert(bytes_.end(), label.begin(), label.end());
    }
    bytes_.push_back(0);
}

void MessageWriter::patch_u16(size_t offset, uint16_t value) {
    if (offset + 2 > bytes_.size())
        throw std::out_of_range("patch_u16 past the end of the message");
    bytes_[offset] = static_cast<uint8_t>(value >> 8);
    bytes_[offset + 1] = static_cast<uint8_t>(value);
}

} // namespace dns
