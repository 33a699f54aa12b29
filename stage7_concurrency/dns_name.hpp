// DnsName: a domain name as a list of labels, read from the wire and printed as text.
//
// On the wire (RFC 1035 section 3.1) a name is a sequence of labels, each one a
// length byte followed by that many bytes, ending with the empty label of the
// root: www.example.com is 3 w w w 7 e x a m p l e 3 c o m 0. To save space, a
// name may end with a pointer to where the same ending was already written.
#pragma once

#include "message_reader.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace dns {

// A name that breaks the rules of RFC 1035 section 2.3.4 was put together.
class NameError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class DnsName {
  public:
    // RFC 1035 section 2.3.4: a label is at most 63 bytes, a whole name at most
    // 255 bytes on the wire (length bytes and the final 0 included).
    static constexpr size_t max_label_length = 63;
    static constexpr size_t max_wire_length = 255;

    DnsName() = default; // the root name, "."
    // From presentation format: "www.example.com." (the final dot may be left out;
    // \. and \DDD escapes as dig writes them). Throws NameError.
    static DnsName from_text(std::string_view text);
    // Throws NameError if a label is empty or too long, or the name is too long.
    explicit DnsName(std::vector<std::string> labels);

    // The labels, leftmost first; the root label is not stored. Labels are bytes:
    // any of the 256 values may appear in one (RFC 2181 section 11).
    const std::vector<std::string>& labels() const { return labels_; }
    bool is_root() const { return labels_.empty(); }
    // Length on the wire, uncompressed.
    size_t wire_length() const;

    // Presentation format, as dig prints it: labels joined by dots, ending in a
    // dot; a dot, backslash or other special character inside a label is escaped
    // with a backslash, and a byte that is not printable as \DDD (decimal).
    std::string to_string() const;

    // True if this name is `zone` or lies below it: www.example.com is in
    // example.com, in com and in the root.
    bool is_in(const DnsName& zone) const;

    // Names are compared without regard to ASCII case: WWW.Example.COM is
    // www.example.com (RFC 1035 section 2.3.3, RFC 4343).
    friend bool operator==(const DnsName& a, const DnsName& b);

  private:
    std::vector<std::string> labels_;
};

// Only ASCII letters have a case in DNS names (RFC 4343 section 3): A to Z
// become a to z; every other byte, whatever it is, stays as it is.
constexpr uint8_t lower_ascii(uint8_t byte) {
    return byte >= 'A' && byte <= 'Z' ? static_cast<uint8_t>(byte - 'A' + 'a') : byte;
}
constexpr char lower_ascii(char character) {
    return static_cast<char>(lower_ascii(static_cast<uint8_t>(character)));
}

// Appends the name from its label `first` on in wire form (each label's
// length, then its bytes; not the root's final 0), lowercased: a key under
// which every spelling of the name is found.
void append_lowercase_labels(std::string& key, const DnsName& name, size_t first = 0);

// Reads a name at the reader's position, following compression pointers
// (RFC 1035 section 4.1.4): a name may end with a pointer to a name written
// earlier in the message. Throws ParseError.
DnsName parse_name(MessageReader& reader);

} // namespace dns
