#include "message_writer.hpp"

#include <algorithm>
#include <array>
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

namespace {

// The hash of a name's ending, made from the hash of the ending one label
// shorter: a name's endings are hashed from the last label to the first,
// each byte once (FNV-1a, over each label's length and bytes).
uint32_t hash_with_label(uint32_t hash_of_rest, std::string_view label) {
    constexpr uint32_t fnv_prime = 16777619;
    uint32_t hash = (hash_of_rest ^ static_cast<uint8_t>(label.size())) * fnv_prime;
    for (const char byte : label)
        hash = (hash ^ static_cast<uint8_t>(byte)) * fnv_prime;
    return hash;
}

} // namespace

bool MessageWriter::is_written_at(uint16_t offset, std::span<const std::string> ending) const {
    // The name at `offset` is labels written out, perhaps ending in a pointer
    // to an earlier name (RFC 1035 section 4.1.4), which is followed. This
    // writer wrote it, so each pointer points back; each step is checked all
    // the same, against the end of the message and for a pointer forward.
    size_t at = offset;
    const auto label_length_at = [&]() -> std::optional<uint8_t> {
        while (at < bytes_.size() && (bytes_[at] & 0xC0) == 0xC0) {
            if (at + 1 >= bytes_.size())
                return std::nullopt;
            const size_t target = static_cast<size_t>(bytes_[at] & 0x3F) << 8 | bytes_[at + 1];
            if (target >= at)
                return std::nullopt; // not back: no pointer of ours
            at = target;
        }
        if (at >= bytes_.size())
            return std::nullopt;
        return bytes_[at];
    };
    for (const auto& label : ending) {
        const auto length = label_length_at();
        if (!length || *length != label.size() || at + 1 + label.size() > bytes_.size() ||
            !std::equal(label.begin(), label.end(), bytes_.begin() + static_cast<long>(at) + 1,
                        [](char a, uint8_t b) { return static_cast<uint8_t>(a) == b; }))
            return false;
        at += 1 + label.size();
    }
    return label_length_at() == uint8_t{0}; // the root's 0: the names end together
}

std::optional<uint16_t> MessageWriter::offset_of_ending(std::span<const std::string> ending,
                                                        uint32_t hash,
                                                        size_t& false_matches) const {
    for (const auto& written : std::span(written_endings_).first(endings_kept_)) {
        if (written.hash != hash)
            continue;
        if (is_written_at(written.offset, ending))
            return written.offset;
        // The same hash, another name. Such names can be made on purpose
        // (a 32-bit hash is no secret): past a few, the name is written
        // out in full, which is still correct, rather than compared again
        // and again with names it is not.
        if (++false_matches == max_false_matches)
            break;
    }
    return std::nullopt;
}

void MessageWriter::write_compressed_name(const DnsName& name) {
    const std::span<const std::string> labels = name.labels();
    // The hash of each ending (www.example.com, example.com, com), the last
    // one first; a name has at most 127 labels.
    std::array<uint32_t, DnsName::max_wire_length / 2> hashes;
    uint32_t hash = 2166136261; // FNV-1a's starting value
    for (size_t i = labels.size(); i-- > 0;)
        hashes[i] = hash = hash_with_label(hash, labels[i]);
    // The longest ending already in the message, if any.
    size_t known = labels.size(); // its first label
    uint16_t known_offset = 0;
    size_t false_matches = 0;
    for (size_t i = 0; i < labels.size() && false_matches < max_false_matches; ++i) {
        if (const auto offset = offset_of_ending(labels.subspan(i), hashes[i], false_matches)) {
            known = i;
            known_offset = *offset;
            break;
        }
    }
    size_t length = known < labels.size() ? 2 : 1; // a pointer, or the root's 0
    for (size_t i = 0; i < known; ++i)
        length += 1 + labels[i].size();
    require_room(length);
    for (size_t i = 0; i < known; ++i) {
        // A pointer has 14 bits: only names in the first 16 kB can be pointed to.
        if (bytes_.size() < 0x4000 && endings_kept_ < max_endings_kept)
            written_endings_[endings_kept_++] = {hashes[i], static_cast<uint16_t>(bytes_.size())};
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
    while (endings_kept_ > 0 && written_endings_[endings_kept_ - 1].offset >= mark)
        --endings_kept_;
}

void MessageWriter::patch_u16(size_t offset, uint16_t value) {
    if (offset + 2 > bytes_.size())
        throw std::out_of_range("patch_u16 past the end of the message");
    bytes_[offset] = static_cast<uint8_t>(value >> 8);
    bytes_[offset + 1] = static_cast<uint8_t>(value);
}

} // namespace dns
