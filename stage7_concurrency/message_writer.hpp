// MessageWriter: builds a DNS message in a buffer that never grows past a limit.
//
// A UDP response without EDNS may be at most 512 bytes (RFC 1035 section 4.2.1).
// A write that would pass the limit throws MessageTooLarge and writes nothing;
// with mark() and rollback_to() a caller removes a record that was half written,
// so a message is always whole records, and sets TC to say some were left out.
#pragma once

#include "dns_name.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dns {

class MessageTooLarge : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class MessageWriter {
  public:
    // Room for a typical response is set aside at once: the buffer is not
    // grown (a new allocation and a copy) byte by byte as the message is written.
    explicit MessageWriter(size_t max_size) : max_size_(max_size) {
        bytes_.reserve(std::min(max_size, typical_size));
    }

    void write_u8(uint8_t value);
    void write_u16(uint16_t value); // network byte order, like every integer in DNS
    void write_u32(uint32_t value);
    void write_bytes(std::span<const uint8_t> bytes);
    // A name, uncompressed: each label's length and bytes, then the root's 0.
    void write_name(const DnsName& name);
    // A name compressed (RFC 1035 section 4.1.4): the longest ending of it that
    // this message already holds (written by this function) becomes a two-byte
    // pointer to where it is. Only the very same bytes are pointed to, so a
    // name keeps the case its sender gave it (RFC 4343 section 4.1).
    void write_compressed_name(const DnsName& name);
    // Overwrites two bytes written earlier (a count in the header).
    void patch_u16(size_t offset, uint16_t value);

    // Changes the limit: lowered to keep room free for a record that must come
    // last whatever happens (the OPT record of EDNS), raised again to write it.
    void set_max_size(size_t max_size) { max_size_ = max_size; }

    size_t size() const { return bytes_.size(); }
    size_t mark() const { return bytes_.size(); }
    // Removes what was written after `mark`, and forgets the names in it, so
    // that no pointer can point into a record that was taken out again.
    void rollback_to(size_t mark);
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    // The message, moved out of a writer that is done with it: a query or a
    // response is sent once and dropped, and needs no copy. (It keeps the room
    // set aside for it; what is kept for long, as the fast path's responses, is
    // copied to its size.)
    std::vector<uint8_t> take_bytes() && { return std::move(bytes_); }

  private:
    static constexpr size_t typical_size = 512;
    // Endings remembered for compression, at most: a response has a few
    // dozen names; a huge one (over TCP) is compressed a little less rather
    // than cost a search through thousands of endings for every name.
    static constexpr size_t max_endings_kept = 256;
    // Endings of the same hash but other bytes, at most, compared for one name.
    static constexpr size_t max_false_matches = 4;

    void require_room(size_t count) const;
    // True if the name written at `offset` is, byte for byte, `ending` (a
    // name's labels from some label on, down to the root).
    bool is_written_at(uint16_t offset, std::span<const std::string> ending) const;
    // Where `ending` was written, if it was; `hash` is its hash. Counts in
    // `false_matches` the endings of that hash but other bytes it compared.
    std::optional<uint16_t> offset_of_ending(std::span<const std::string> ending, uint32_t hash,
                                             size_t& false_matches) const;

    size_t max_size_;
    std::vector<uint8_t> bytes_;
    // Each ending of each name written compressed: its hash, and where it
    // begins in the message. The message itself holds the ending's bytes, so
    // a match of the hash is confirmed there, and remembering an ending copies
    // nothing: a stage 6 map made a node, and often a string, for each one.
    // The list is searched from the start, the hash compared first; it lives
    // in the writer (2 kB), so a message costs no allocation for it.
    struct WrittenEnding {
        uint32_t hash;
        uint16_t offset; // in the message
    };
    std::array<WrittenEnding, max_endings_kept> written_endings_;
    size_t endings_kept_ = 0;
};

} // namespace dns
