#include "trust_anchors.hpp"

#include "dnssec_records.hpp"
#include "message_writer.hpp"
#include "text_encodings.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <utility>

namespace dns {

namespace {

// IANA's trust anchors for the root zone, the DS records of its key signing
// keys KSK-2017 and KSK-2024 (RSASHA256, digests SHA-256), as IANA publishes
// them and Debian's dns-root-data ships them.
constexpr std::string_view iana_root_anchors = R"(
. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
)";

// The mnemonics of IANA's "DNS Security Algorithm Numbers" (RFC 4034
// Appendix A.1 and the RFCs after it), as zone files may write them.
struct AlgorithmName {
    std::string_view name;
    uint8_t number;
};
constexpr AlgorithmName algorithm_names[] = {
    {"RSAMD5", 1},
    {"DH", 2},
    {"DSA", 3},
    {"RSASHA1", 5},
    {"DSA-NSEC3-SHA1", 6},
    {"RSASHA1-NSEC3-SHA1", 7},
    {"RSASHA256", 8},
    {"RSASHA512", 10},
    {"ECC-GOST", 12},
    {"ECDSAP256SHA256", 13},
    {"ECDSAP384SHA384", 14},
    {"ED25519", 15},
    {"ED448", 16},
    {"INDIRECT", 252},
    {"PRIVATEDNS", 253},
    {"PRIVATEOID", 254},
};

// The digest lengths of the DS digest types (RFC 4034 5.1.4, RFC 4509, RFC 6605).
std::optional<size_t> digest_length(uint8_t digest_type) {
    switch (digest_type) {
    case 1:
        return 20;
    case 2:
        return 32;
    case 4:
        return 48;
    default:
        return std::nullopt;
    }
}

std::string upper(std::string_view word) {
    std::string result(word);
    std::transform(result.begin(), result.end(), result.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    });
    return result;
}

std::optional<uint32_t> number(std::string_view word, uint32_t largest) {
    uint32_t value = 0;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc() || end != word.data() + word.size() || value > largest)
        return std::nullopt;
    return value;
}

// The words of one record: those of a line, or of several lines while a
// parenthesis is open (RFC 1035 section 5.1).
struct Entry {
    int line = 0;
    bool inherits_owner = false; // the line starts with a blank
    std::vector<std::string> words;
};

std::vector<Entry> entries(std::string_view text) {
    std::vector<Entry> result;
    Entry current;
    int depth = 0;
    std::istringstream lines{std::string(text)};
    std::string line;
    for (int line_number = 1; std::getline(lines, line); ++line_number) {
        line = line.substr(0, line.find(';')); // a comment runs to the end of the line
        if (depth == 0)
            current = Entry{line_number, !line.empty() && (line[0] == ' ' || line[0] == '\t'), {}};
        std::string word;
        const auto end_word = [&] {
            if (!word.empty())
                current.words.push_back(std::exchange(word, {}));
        };
        for (const char character : line) {
            if (character == '(' || character == ')') {
                end_word();
                depth += character == '(' ? 1 : -1;
                if (depth < 0)
                    throw TrustAnchorError("line " + std::to_string(line_number) +
                                           ": a ')' without a '(' before it");
            } else if (character == ' ' || character == '\t' || character == '\r') {
                end_word();
            } else {
                word += character;
            }
        }
        end_word();
        if (depth == 0 && !current.words.empty())
            result.push_back(std::move(current));
    }
    if (depth > 0)
        throw TrustAnchorError("line " + std::to_string(current.line) +
                               ": a '(' that is never closed");
    return result;
}

class RecordReader {
  public:
    RecordReader(const Entry& entry, const std::optional<DnsName>& previous_owner)
        : entry_(entry), previous_owner_(previous_owner) {}

    ResourceRecord read() {
        ResourceRecord record;
        record.klass = class_in;
        record.name = owner();
        // [TTL] [CLASS] or [CLASS] [TTL], either may be left out (RFC 1035 5.1).
        for (int optional_field = 0; optional_field < 2 && at_ + 1 < words().size();
             ++optional_field) {
            if (const auto ttl = number(words()[at_], 0x7FFFFFFF)) {
                record.ttl = *ttl;
                ++at_;
            } else if (upper(words()[at_]) == "IN") {
                ++at_;
            } else {
                break;
            }
        }
        const std::string type = upper(next("the record type"));
        if (type == "DS") {
            record.type = type_ds;
            record.rdata = ds_rdata();
        } else if (type == "DNSKEY") {
            record.type = type_dnskey;
            record.rdata = dnskey_rdata();
        } else if (type == "CH" || type == "HS" || type.starts_with("CLASS")) {
            fail("the class " + type + ": trust anchors are of class IN");
        } else {
            fail("a record of type " + type + ": a trust anchor is a DS or a DNSKEY record");
        }
        return record;
    }

  private:
    const std::vector<std::string>& words() const { return entry_.words; }

    [[noreturn]] void fail(const std::string& why) const {
        throw TrustAnchorError("line " + std::to_string(entry_.line) + ": " + why);
    }

    const std::string& next(const std::string& what) {
        if (at_ >= words().size())
            fail("the record ends before " + what);
        return words()[at_++];
    }

    // The rest of the record as one word: a digest or key may hold blanks.
    std::string rest(const std::string& what) {
        if (at_ >= words().size())
            fail("the record ends before " + what);
        std::string joined;
        for (; at_ < words().size(); ++at_)
            joined += words()[at_];
        return joined;
    }

    DnsName owner() {
        if (entry_.inherits_owner) {
            if (!previous_owner_)
                fail("a record that starts with a blank, with no record before it to take "
                     "the owner name from");
            return *previous_owner_;
        }
        const std::string& text = next("the owner name");
        if (!text.ends_with('.'))
            fail("the owner name '" + text + "' is not absolute (end it with a dot)");
        try {
            return DnsName::from_text(text);
        } catch (const NameError& error) {
            fail(error.what());
        }
    }

    uint32_t field(const std::string& what, uint32_t largest) {
        const std::string& word = next("the " + what);
        const auto value = number(word, largest);
        if (!value)
            fail("the " + what + " '" + word + "' is not a number from 0 to " +
                 std::to_string(largest));
        return *value;
    }

    uint8_t algorithm() {
        const std::string& word = next("the algorithm");
        if (const auto value = number(word, 255))
            return static_cast<uint8_t>(*value);
        for (const auto& known : algorithm_names)
            if (upper(word) == known.name)
                return known.number;
        fail("the algorithm '" + word + "' is neither a number nor a known mnemonic");
    }

    // DS: key tag, algorithm, digest type, digest in hex (RFC 4034 section 5.3).
    std::vector<uint8_t> ds_rdata() {
        const auto tag = static_cast<uint16_t>(field("key tag", 0xFFFF));
        const uint8_t algorithm_number = algorithm();
        const auto digest_type = static_cast<uint8_t>(field("digest type", 0xFF));
        const auto digest = decode_hex(rest("the digest"));
        if (!digest)
            fail("the digest is not hexadecimal (two digits a byte)");
        if (const auto length = digest_length(digest_type); length && digest->size() != *length)
            fail("a digest of " + std::to_string(digest->size()) + " bytes for digest type " +
                 std::to_string(digest_type) + ", which has " + std::to_string(*length));
        MessageWriter writer(4 + digest->size());
        writer.write_u16(tag);
        writer.write_u8(algorithm_number);
        writer.write_u8(digest_type);
        writer.write_bytes(*digest);
        return writer.bytes();
    }

    // DNSKEY: flags, protocol, algorithm, key in base64 (RFC 4034 section 2.2).
    std::vector<uint8_t> dnskey_rdata() {
        const auto flags = static_cast<uint16_t>(field("flags", 0xFFFF));
        const auto protocol = static_cast<uint8_t>(field("protocol", 0xFF));
        const uint8_t algorithm_number = algorithm();
        const auto key = decode_base64(rest("the public key"));
        if (!key || key->empty())
            fail("the public key is not base64");
        if (protocol != 3)
            fail("protocol " + std::to_string(protocol) + " (a DNSKEY's is always 3)");
        if ((flags & Dnskey::zone_key_flag) == 0)
            fail("flags " + std::to_string(flags) + ": not a zone key (flag 256 is not set)");
        MessageWriter writer(4 + key->size());
        writer.write_u16(flags);
        writer.write_u8(protocol);
        writer.write_u8(algorithm_number);
        writer.write_bytes(*key);
        return writer.bytes();
    }

    const Entry& entry_;
    const std::optional<DnsName>& previous_owner_;
    size_t at_ = 0;
};

} // namespace

std::vector<ResourceRecord> parse_trust_anchors(std::string_view text, std::string_view source) {
    std::vector<ResourceRecord> anchors;
    try {
        std::optional<DnsName> previous_owner;
        for (const Entry& entry : entries(text)) {
            anchors.push_back(RecordReader(entry, previous_owner).read());
            previous_owner = anchors.back().name;
        }
        if (anchors.empty())
            throw TrustAnchorError("no DS or DNSKEY record in it");
    } catch (const TrustAnchorError& error) {
        throw TrustAnchorError(source.empty() ? error.what()
                                              : std::string(source) + ": " + error.what());
    }
    return anchors;
}

std::string algorithm_name(uint8_t number) {
    for (const auto& known : algorithm_names)
        if (known.number == number)
            return std::string(known.name);
    return std::to_string(number);
}

std::vector<ResourceRecord> load_trust_anchors(const std::string& path) {
    std::ifstream file(path);
    if (!file)
        throw TrustAnchorError("cannot read " + path);
    return parse_trust_anchors(std::string(std::istreambuf_iterator<char>(file), {}), path);
}

std::vector<ResourceRecord> builtin_root_trust_anchors() {
    return parse_trust_anchors(iana_root_anchors);
}

std::vector<ResourceRecord> default_trust_anchors(const std::string& path) {
    if (!std::ifstream(path))
        return builtin_root_trust_anchors();
    return load_trust_anchors(path);
}

} // namespace dns
