#include "dig_format.hpp"

#include "code_names.hpp"

namespace dns {

namespace {

constexpr size_t tab_width = 8;

// Where the end of `line` shows on a terminal: a tab moves to the next multiple of 8.
size_t display_column(const std::string& line) {
    size_t column = 0;
    for (const char character : line)
        column = character == '\t' ? (column / tab_width + 1) * tab_width : column + 1;
    return column;
}

// dig lines up its columns on tab stops: the class at column 32, the type at 40.
// A field that already reaches past its column is followed by a single space.
void pad_to_column(std::string& line, size_t column) {
    size_t position = display_column(line);
    if (position >= column) {
        line += ' ';
        return;
    }
    while (position < column) {
        line += '\t';
        position = (position / tab_width + 1) * tab_width;
    }
}

std::string format_flags(const Header& header) {
    std::string flags;
    const std::pair<bool, const char*> named_flags[] = {
        {header.qr, "qr"}, {header.aa, "aa"}, {header.tc, "tc"}, {header.rd, "rd"},
        {header.ra, "ra"}, {header.ad, "ad"}, {header.cd, "cd"},
    };
    for (const auto& [is_set, name] : named_flags)
        if (is_set)
            flags += std::string(" ") + name;
    flags += ";";
    // The last Z bit "must be zero" (MBZ); dig shows it when it is not, as the
    // value of the three bits RFC 1035 called Z.
    if (header.z)
        flags += " MBZ: 0x4;";
    return flags;
}

// A record as dig prints it: name, TTL, class, type and data, on tab stops at
// columns 24, 32, 40 and 48.
std::string format_record(const ResourceRecord& record) {
    std::string line = record.name.to_string();
    pad_to_column(line, 24);
    line += std::to_string(record.ttl);
    pad_to_column(line, 32);
    line += class_name(record.klass);
    pad_to_column(line, 40);
    line += type_name(record.type);
    pad_to_column(line, 48);
    return line + rdata_to_text(record) + "\n";
}

std::string format_section(const char* title, const std::vector<ResourceRecord>& records) {
    if (records.empty())
        return "";
    std::string text = std::string("\n;; ") + title + " SECTION:\n";
    for (const auto& record : records)
        text += format_record(record);
    return text;
}

} // namespace

std::string format_like_dig(const Message& message) {
    const Header& header = message.header;
    std::string text = ";; ->>HEADER<<- opcode: " + opcode_name(header.opcode) +
                       ", status: " + rcode_name(header.rcode) +
                       ", id: " + std::to_string(header.id) + "\n";
    text += ";; flags:" + format_flags(header) + " QUERY: " + std::to_string(header.qdcount) +
            ", ANSWER: " + std::to_string(header.ancount) +
            ", AUTHORITY: " + std::to_string(header.nscount) +
            ", ADDITIONAL: " + std::to_string(header.arcount) + "\n";

    text += "\n;; QUESTION SECTION:\n";
    for (const Question& question : message.questions) {
        std::string line = ";" + question.name.to_string();
        pad_to_column(line, 32);
        line += class_name(question.klass);
        pad_to_column(line, 40);
        line += type_name(question.type);
        text += line + "\n";
    }
    text += format_section("ANSWER", message.answers);
    text += format_section("AUTHORITY", message.authorities);
    text += format_section("ADDITIONAL", message.additionals);
    return text;
}

} // namespace dns
