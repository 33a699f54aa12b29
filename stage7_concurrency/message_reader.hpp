// MessageReader: reads a DNS message front to back, and never past its end.
//
// Everything in a DNS message is read from bytes that a stranger sent. Every read
// here checks first that the bytes are there; when they are not, it throws a
// ParseError that says what was being read and where, instead of reading memory
// that is not part of the message.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dns {

// The message is not a well-formed DNS message. `offset` is where the problem is.
class ParseError : public std::runtime_error {
  public:
    ParseError(const std::string& what, size_t offset)
        : std::runtime_error("at byte " + std::to_string(offset) + ": " + what), offset_(offset) {}
    size_t offset() const { return offset_; }

  private:
    size_t offset_;
};

class MessageReader {
  public:
    explicit MessageReader(std::span<const uint8_t> message) : message_(message) {}

    // Integers are in network byte order: most significant byte first (RFC 1035
    // section 2.3.2). `what` names the field for the error message.
    uint8_t read_u8(std::string_view what);
    uint16_t read_u16(std::string_view what);
    uint32_t read_u32(std::string_view what);
    std::span<const uint8_t> read_bytes(size_t count, std::string_view what);

    // A reader of the same message at `offset`, for following a compression
    // pointer (RFC 1035 section 4.1.4). Throws ParseError if it is past the end.
    MessageReader jump_to(size_t offset) const;

    size_t position() const { return position_; }
    size_t remaining() const { return message_.size() - position_; }
    bool at_end() const { return position_ == message_.size(); }

  private:
    // Throws ParseError unless `count` more bytes are there.
    void require(size_t count, std::string_view what) const;

    std::span<const uint8_t> message_;
    size_t position_ = 0;
};

} // namespace dns
