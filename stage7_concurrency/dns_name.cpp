#include "dns_name.hpp"

#include <array>
#include <cctype>

namespace dns {

DnsName::DnsName(std::vector<std::string> labels) : labels_(std::move(labels)) {
    for (const auto& label : labels_) {
        if (label.empty())
            throw NameError("an empty label inside a name");
        if (label.size() > max_label_length)
            throw NameError("a label of " + std::to_string(label.size()) +
                            " bytes (at most 63 are allowed)");
    }
    if (wire_length() > max_wire_length)
        throw NameError("a name of " + std::to_string(wire_length()) +
                        " bytes (at most 255 are allowed)");
}

DnsName DnsName::from_text(std::string_view text) {
    if (text == ".")
        return DnsName();
    std::vector<std::string> labels(1);
    for (size_t i = 0; i < text.size(); ++i) {
        const char character = text[i];
        if (character == '.') {
            if (labels.back().empty())
                throw NameError("'" + std::string(text) + "' has an empty label");
            labels.emplace_back();
        } else if (character == '\\') {
            // \DDD is a byte in decimal, \X is the character X itself.
            const auto is_digit = [&](size_t at) {
                return at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]));
            };
            if (is_digit(i + 1) && is_digit(i + 2) && is_digit(i + 3)) {
                const int value = std::stoi(std::string(text.substr(i + 1, 3)));
                if (value > 255)
                    throw NameError("'" + std::string(text) + "' has an escape over \\255");
                labels.back() += static_cast<char>(value);
                i += 3;
            } else if (i + 1 < text.size()) {
                labels.back() += text[++i];
            } else {
                throw NameError("'" + std::string(text) + "' ends with a lone backslash");
            }
        } else {
            labels.back() += character;
        }
    }
    if (labels.back().empty())
        labels.pop_back(); // the final dot
    return DnsName(std::move(labels));
}

void append_lowercase_labels(std::string& key, const DnsName& name, size_t first) {
    // Every query makes several keys (the cache, the lookups in flight, the
    // local zones): the room is made once, then each byte written in place.
    const auto& labels = name.labels();
    size_t length = 0;
    for (size_t i = first; i < labels.size(); ++i)
        length += 1 + labels[i].size();
    const size_t start = key.size();
    key.resize(start + length);
    char* out = key.data() + start;
    for (size_t i = first; i < labels.size(); ++i) {
        *out++ = static_cast<char>(labels[i].size());
        for (const char character : labels[i])
            *out++ = lower_ascii(character);
    }
}

namespace {

bool labels_equal(const std::string& a, const std::string& b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower_ascii(a[i]) != lower_ascii(b[i]))
            return false;
    return true;
}

} // namespace

bool operator==(const DnsName& a, const DnsName& b) {
    if (a.labels_.size() != b.labels_.size())
        return false;
    for (size_t i = 0; i < a.labels_.size(); ++i)
        if (!labels_equal(a.labels_[i], b.labels_[i]))
            return false;
    return true;
}

bool DnsName::is_in(const DnsName& zone) const {
    if (zone.labels_.size() > labels_.size())
        return false;
    // Compare from the right: the zone's labels must be this name's last labels.
    const size_t skip = labels_.size() - zone.labels_.size();
    for (size_t i = 0; i < zone.labels_.size(); ++i)
        if (!labels_equal(labels_[skip + i], zone.labels_[i]))
            return false;
    return true;
}

size_t DnsName::wire_length() const {
    size_t length = 1; // the root label's 0
    for (const auto& label : labels_)
        length += 1 + label.size();
    return length;
}

std::string DnsName::to_string() const {
    if (labels_.empty())
        return ".";
    std::string text;
    for (const auto& label : labels_) {
        for (const char character : label) {
            const auto byte = static_cast<uint8_t>(character);
            // The characters that mean something in a zone file (RFC 1035 section
            // 5.1) are escaped; the ones that cannot be seen are written in decimal.
            if (std::string_view(".;\\()\"@$").find(character) != std::string_view::npos) {
                text += '\\';
                text += character;
            } else if (byte <= 0x20 || byte >= 0x7f) {
                text += '\\';
                text += static_cast<char>('0' + byte / 100);
                text += static_cast<char>('0' + byte / 10 % 10);
                text += static_cast<char>('0' + byte % 10);
            } else {
                text += character;
            }
        }
        text += '.';
    }
    return text;
}

DnsName parse_name(MessageReader& reader) {
    // The labels are found first, as pieces of the message, and copied into
    // the name once their number is known: one allocation for the list of
    // labels, where growing it label by label took up to three. A name of 255
    // bytes has at most 127 labels. (A plain pointer and length each, not a
    // span, so that the array is not filled with empty spans first.)
    struct LabelBytes {
        const uint8_t* first;
        size_t length;
    };
    std::array<LabelBytes, DnsName::max_wire_length / 2> found;
    size_t label_count = 0;
    size_t wire_length = 1;
    // Labels are read from `current`, which is the caller's reader until the
    // first compression pointer, and a reader at the pointer's target after it.
    MessageReader* current = &reader;
    MessageReader followed = reader;
    // Where the labels being read now begin. Every pointer must point before it,
    // so each jump goes strictly backwards and a pointer loop cannot exist.
    size_t segment_start = reader.position();
    for (;;) {
        const size_t label_start = current->position();
        const uint8_t length = current->read_u8("length of a label");
        if (length == 0)
            break; // the root label ends every name
        // The top two bits of the length byte say what kind of label this is
        // (RFC 1035 section 4.1.4): 00 a normal label, 11 a compression pointer.
        if ((length & 0xC0) == 0xC0) {
            // A pointer: the rest of the name is the name at this 14-bit offset
            // from the start of the message, written earlier in the message.
            const size_t target = (length & 0x3F) << 8 | current->read_u8("compression pointer");
            if (target >= segment_start)
                throw ParseError("a compression pointer to byte " + std::to_string(target) +
                                     ", which is not before the name (pointers must point back)",
                                 label_start);
            followed = current->jump_to(target);
            current = &followed;
            segment_start = target;
            continue;
        }
        // 01 was once the extended label type (RFC 2671), deprecated by RFC 6891
        // section 5; 10 is still reserved. So a length byte from 64 to 191 is an
        // error: a label over 63 bytes.
        if ((length & 0xC0) != 0)
            throw ParseError("a label length of " + std::to_string(length) +
                                 " (labels are at most 63 bytes)",
                             label_start);
        wire_length += 1 + length;
        if (wire_length > DnsName::max_wire_length)
            throw ParseError("a name longer than 255 bytes", label_start);
        const auto bytes = current->read_bytes(length, "bytes of a label");
        found[label_count++] = {bytes.data(), bytes.size()};
    }
    std::vector<std::string> labels;
    labels.reserve(label_count);
    for (size_t i = 0; i < label_count; ++i)
        labels.emplace_back(found[i].first, found[i].first + found[i].length);
    return DnsName(std::move(labels));
}

} // namespace dns
