#include "message_writer.hpp"

#include <array>
#include <functional>
#include <string>
#include <string_view>

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

std::optional<uint16_t> MessageWriter::offset_of_ending(std::string_view ending,
                                                        size_t hash) const {
    for (const auto& written : written_endings_)
        if (written.hash == hash &&
            std::string_view(endings_).substr(written.text_start, written.text_length) == ending)
            return written.offset;
    return std::nullopt;
}

void MessageWriter::write_compressed_name(const DnsName& name) {
    const auto& labels = name.labels();
    // The name in wire form, without the root's 0: each of its endings
    // (www.example.com, example.com, com) is a piece of it from some label on,
    // looked up without a copy. The string is the worker thread's, kept from
    // one name to the next: most names are too long to fit in a string
    // without an allocation of its own.
    thread_local std::string wire;
    wire.clear();
    for (const auto& label : labels) {
        wire.push_back(static_cast<char>(label.size()));
        wire += label;
    }
    const std::string_view whole(wire);
    size_t known = labels.size(); // the first label of the longest ending already written
    uint16_t known_offset = 0;
    // The hash of each ending looked up, kept for those that are then
    // remembered (a name has at most 127 labels).
    std::array<size_t, DnsName::max_wire_length / 2> hashes;
    for (size_t i = 0, from = 0; i < labels.size(); from += 1 + labels[i].size(), ++i) {
        const std::string_view ending = whole.substr(from);
        hashes[i] = std::hash<std::string_view>{}(ending);
        if (const auto offset = offset_of_ending(ending, hashes[i])) {
            known = i;
            known_offset = *offset;
            break;
        }
    }
    size_t length = known < labels.size() ? 2 : 1; // a pointer, or the root's 0
    for (size_t i = 0; i < known; ++i)
        length += 1 + labels[i].size();
    require_room(length);
    for (size_t i = 0, from = 0; i < known; from += 1 + labels[i].size(), ++i) {
        // A pointer has 14 bits: only names in the first 16 kB can be pointed to.
        if (bytes_.size() < 0x4000 && written_endings_.size() < max_endings_kept) {
            const std::string_view ending = whole.substr(from);
            written_endings_.push_back({hashes[i], static_cast<uint16_t>(endings_.size()),
                                        static_cast<uint16_t>(ending.size()),
                                        static_cast<uint16_t>(bytes_.size())});
            endings_ += ending;
        }
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
    // The endings are kept in the order they were written: those in the
    // removed part are the last ones.
    while (!written_endings_.empty() && written_endings_.back().offset >= mark) {
        endings_.resize(written_endings_.back().text_start);
        written_endings_.pop_back();
    }
}

void MessageWriter::patch_u16(size_t offset, uint16_t value) {
    if (offset + 2 > bytes_.size())
        throw std::out_of_range("patch_u16 past the end of the message");
    bytes_[offset] = static_cast<uint8_t>(value >> 8);
    bytes_[offset + 1] = static_cast<uint8_t>(value);
}

} // namespace dns
