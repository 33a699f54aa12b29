#include "../dns_name.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace dns;

namespace {

// The wire form of a name given as labels: each label's length, then its bytes, then 0.
std::vector<uint8_t> wire(const std::vector<std::string>& labels) {
    std::vector<uint8_t> bytes;
    for (const auto& label : labels) {
        bytes.push_back(static_cast<uint8_t>(label.size()));
        bytes.insert(bytes.end(), label.begin(), label.end());
    }
    bytes.push_back(0);
    return bytes;
}

DnsName read(const std::vector<uint8_t>& bytes) {
    MessageReader reader(bytes);
    DnsName name = parse_name(reader);
    CHECK(reader.at_end());
    return name;
}

} // namespace

TEST_CASE("a name is read label by label") {
    const DnsName name = read(wire({"www", "example", "com"}));
    CHECK(name.labels() == std::vector<std::string>{"www", "example", "com"});
    CHECK(name.to_string() == "www.example.com.");
    CHECK(name.wire_length() == 17);
}

TEST_CASE("the root name is a single zero byte, printed as a dot") {
    const DnsName root = read({0});
    CHECK(root.is_root());
    CHECK(root.to_string() == ".");
    CHECK(root.wire_length() == 1);
}

TEST_CASE("labels of 63 bytes and names of 255 bytes are the largest allowed") {
    const std::string longest_label(63, 'a');
    CHECK(read(wire({longest_label})).labels()[0] == longest_label);
    // 3 labels of 63 and one of 61: 3 * 64 + 62 + 1 = 255 bytes.
    const DnsName longest =
        read(wire({longest_label, longest_label, longest_label, std::string(61, 'b')}));
    CHECK(longest.wire_length() == 255);
}

TEST_CASE("a label over 63 bytes is rejected") {
    // The length byte 64 is 0b01000000: its top bits say "not a normal label".
    std::vector<uint8_t> bytes = wire({std::string(64, 'a')});
    MessageReader reader(bytes);
    CHECK_THROWS_WITH_AS(parse_name(reader),
                         "at byte 0: a label length of 64 (labels are at most 63 bytes)",
                         ParseError);
}

TEST_CASE("a name over 255 bytes is rejected") {
    const std::string label(63, 'a');
    // 4 * 64 + 1 = 257 bytes.
    std::vector<uint8_t> bytes = wire({label, label, label, label});
    MessageReader reader(bytes);
    CHECK_THROWS_WITH_AS(parse_name(reader), doctest::Contains("a name longer than 255 bytes"),
                         ParseError);
    CHECK_THROWS_AS(DnsName({label, label, label, label}), NameError);
}

TEST_CASE("a compression pointer is followed to the name written earlier") {
    // Offset 0: example.com; offset 13: www + a pointer to offset 0.
    std::vector<uint8_t> bytes = wire({"example", "com"});
    bytes.insert(bytes.end(), {0x03, 'w', 'w', 'w', 0xC0, 0x00});
    MessageReader reader(bytes);
    reader.read_bytes(13, "the first name");
    CHECK(parse_name(reader).to_string() == "www.example.com.");
    // The reader continues after the pointer, not after the name it points to.
    CHECK(reader.at_end());
}

TEST_CASE("a chain of pointers is followed: each one points further back") {
    // 0: com; 5: example + -> 0; 15: www + -> 5; 21: -> 15.
    std::vector<uint8_t> bytes = wire({"com"});
    bytes.insert(bytes.end(), {0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0xC0, 0x00});
    bytes.insert(bytes.end(), {0x03, 'w', 'w', 'w', 0xC0, 0x05});
    bytes.insert(bytes.end(), {0xC0, 0x0F});
    MessageReader reader(bytes);
    reader.read_bytes(21, "earlier names");
    CHECK(parse_name(reader).to_string() == "www.example.com.");
}

TEST_CASE("pointer loops, forward pointers and pointers past the end are rejected") {
    // A pointer to itself.
    const std::vector<uint8_t> to_itself{0xC0, 0x00};
    MessageReader itself_reader(to_itself);
    CHECK_THROWS_WITH_AS(parse_name(itself_reader), doctest::Contains("must point back"),
                         ParseError);

    // Two pointers that point at each other: 2 -> 0, 0 -> 2.
    const std::vector<uint8_t> loop{0xC0, 0x02, 0xC0, 0x00};
    MessageReader loop_reader(loop);
    loop_reader.read_bytes(2, "the first pointer");
    CHECK_THROWS_AS(parse_name(loop_reader), ParseError);

    // A label, then a pointer back into the middle of the same name.
    const std::vector<uint8_t> into_itself{0x01, 'a', 0xC0, 0x00};
    MessageReader into_reader(into_itself);
    CHECK_THROWS_AS(parse_name(into_reader), ParseError);

    // A pointer forward.
    const std::vector<uint8_t> forward{0xC0, 0x02, 0x00};
    MessageReader forward_reader(forward);
    CHECK_THROWS_AS(parse_name(forward_reader), ParseError);

    // A pointer whose second byte is missing.
    const std::vector<uint8_t> cut{0x01, 'a', 0xC0};
    MessageReader cut_reader(cut);
    CHECK_THROWS_AS(parse_name(cut_reader), ParseError);
}

TEST_CASE("a pointer chain cannot build a name over 255 bytes") {
    // 0: a 63-byte label and the root; then 4 names, each a 63-byte label and a
    // pointer to the one before: the last one would be 5 * 64 + 1 bytes long.
    std::vector<uint8_t> bytes = wire({std::string(63, 'a')});
    size_t previous = 0;
    for (int i = 0; i < 4; ++i) {
        const size_t here = bytes.size();
        bytes.push_back(63);
        bytes.insert(bytes.end(), 63, 'b');
        bytes.push_back(0xC0);
        bytes.push_back(static_cast<uint8_t>(previous));
        previous = here;
    }
    MessageReader reader(bytes);
    reader.read_bytes(previous, "the earlier names");
    CHECK_THROWS_WITH_AS(parse_name(reader), doctest::Contains("longer than 255"), ParseError);
}

TEST_CASE("the label types 01 and 10, never defined, are rejected") {
    const std::vector<uint8_t> extended{0x41, 0x00};
    MessageReader extended_reader(extended);
    CHECK_THROWS_AS(parse_name(extended_reader), ParseError);
    const std::vector<uint8_t> reserved{0x80, 0x00};
    MessageReader reserved_reader(reserved);
    CHECK_THROWS_AS(parse_name(reserved_reader), ParseError);
}

TEST_CASE("a name cut short by the end of the message is a ParseError") {
    for (const std::vector<uint8_t>& cut :
         std::vector<std::vector<uint8_t>>{{}, {0x03}, {0x03, 'w', 'w'}, {0x03, 'w', 'w', 'w'}}) {
        MessageReader reader(cut);
        CHECK_THROWS_AS(parse_name(reader), ParseError);
    }
}

TEST_CASE("special and unprintable bytes are escaped as dig escapes them") {
    // Labels are bytes: a dot or a space inside a label is legal (RFC 2181 section 11).
    const DnsName name({std::string("a b.c\\d\"e(f)g;h@i$j\xff", 20), "example"});
    CHECK(name.to_string() == "a\\032b\\.c\\\\d\\\"e\\(f\\)g\\;h\\@i\\$j\\255.example.");
    CHECK(DnsName({std::string("\x00\x7f", 2)}).to_string() == "\\000\\127.");
}

TEST_CASE("empty labels cannot be put inside a name") {
    CHECK_THROWS_AS(DnsName({"www", "", "com"}), NameError);
}

TEST_CASE("names from text: dots, escapes, the root, the final dot optional") {
    CHECK(DnsName::from_text("www.example.com").labels() ==
          std::vector<std::string>{"www", "example", "com"});
    CHECK(DnsName::from_text("www.example.com.") == DnsName::from_text("www.example.com"));
    CHECK(DnsName::from_text(".").is_root());
    CHECK(DnsName::from_text("a\\.b.c").labels()[0] == "a.b");
    CHECK(DnsName::from_text("a\\032b").labels()[0] == "a b");
    CHECK_THROWS_AS(DnsName::from_text("a..b"), NameError);
    CHECK_THROWS_AS(DnsName::from_text(std::string(64, 'a')), NameError);
}

TEST_CASE("names compare without regard to ASCII case") {
    CHECK(DnsName::from_text("WWW.Example.COM") == DnsName::from_text("www.example.com"));
    CHECK_FALSE(DnsName::from_text("www.example.com") == DnsName::from_text("www.example.org"));
    CHECK_FALSE(DnsName::from_text("example.com") == DnsName::from_text("www.example.com"));
}

TEST_CASE("a name is in a zone if the zone's labels end it") {
    const DnsName www = DnsName::from_text("www.Example.com");
    CHECK(www.is_in(DnsName::from_text("example.COM")));
    CHECK(www.is_in(DnsName::from_text("com")));
    CHECK(www.is_in(DnsName()));
    CHECK(www.is_in(www));
    CHECK_FALSE(www.is_in(DnsName::from_text("ample.com")));
    CHECK_FALSE(DnsName::from_text("com").is_in(www));
}
