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

bool MessageWriter::holds_name_at(size_t offset, std::span<const std::string> labels) const {
    auto next_label = [&]() -> bool {
        // Our pointers always point back, to a name written before: this ends.
        while (offset + 1 < bytes_.size() && (bytes_[offset] & 0xC0) == 0xC0)
            offset = static_cast<size_t>(bytes_[offset] & 0x3F) << 8 | bytes_[offset + 1];
        return offset < bytes_.size();
    };
    for (const std::string& label : labels) {
        if (!next_label() || bytes_[offset] != label.size() ||
            offset + 1 + label.size() > bytes_.size() ||
            !std::equal(label.begin(), label.end(), bytes_.begin() + static_cast<long>(offset) + 1))
            return false;
        offset += 1 + label.size();
    }
    return next_label() && bytes_[offset] == 0;
}

void MessageWriter::write_compressed_name(const DnsName& name) {
    const std::span<const std::string> labels = name.labels();
    // The longest ending of the name (www.example.com, then example.com, then
    // com) that the message holds already.
    size_t known = labels.size(); // where that ending begins in `labels`
    uint16_t known_offset = 0;
    for (size_t i = 0; i < labels.size() && known == labels.size(); ++i)
        for (const uint16_t offset : name_offsets_)
            if (holds_name_at(offset, labels.subspan(i))) {
                known = i;
                known_offset = offset;
                break;
            }
    size_t length = known < labels.size() ? 2 : 1; // a pointer, or the root's 0
    for (size_t i = 0; i < known; ++i)
        length += 1 + labels[i].size();
    require_room(length);
    for (size_t i = 0; i < known; ++i) {
        // A pointer has 14 bits: only names in the first 16 kB can be pointed to.
        if (bytes_.size() < 0x4000)
            name_offsets_.push_back(static_cast<uint16_t>(bytes_.size()));
        bytes_.push_back(static_cast<uint8_t>(labels[i].size()));
        bytes_.insert(bytes_.end(), labels[i].begin(), labels[i].end());
    }
    if (known < labels.size()) {
        bytes_.push_back(static_cast<uint8_t>(0xC0 | known_offset >> 8));
        bytes_.push_back(static_cast<uint8_t>(known_offset));
    } else {
        bytes_.push_back(0);
    }
}

void MessageWriter::rollback_to(size_t mark) {
    bytes_.resize(mark);
    std::erase_if(name_offsets_, [mark](uint16_t offset) { return offset >= mark; });
}

void MessageWriter::patch_u16(size_t offset, uint16_t value) {
    if (offset + 2 > bytes_.size())
        throw std::out_of_range("patch_u16 past the end of the message");
    bytes_[offset] = static_cast<uint8_t>(value >> 8);
    bytes_[offset + 1] = static_cast<uint8_t>(value);
}

} // namespace dns
