#include "common/testing/dig_output.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace dns::testing {

namespace {

std::string between(const std::string& text, const std::string& before, const std::string& after) {
    const auto start = text.find(before);
    if (start == std::string::npos)
        return "";
    const auto from = start + before.size();
    return text.substr(from, text.find(after, from) - from);
}

} // namespace

std::string dig_status(const std::string& output) {
    return between(output, "status: ", ",");
}

std::string dig_flags(const std::string& output) {
    return between(output, ";; flags: ", ";");
}

std::vector<DigRecord> dig_section(const std::string& output, const std::string& section) {
    std::vector<DigRecord> records;
    std::istringstream lines(output);
    std::string line;
    bool inside = false;
    while (std::getline(lines, line)) {
        if (line.starts_with(";; ")) {
            inside = line == ";; " + section + " SECTION:";
            continue;
        }
        if (!inside)
            continue;
        if (line.empty()) {
            inside = false;
            continue;
        }
        std::istringstream fields(line);
        DigRecord record;
        fields >> record.name >> record.ttl >> record.klass >> record.type;
        std::getline(fields >> std::ws, record.data);
        records.push_back(record);
    }
    return records;
}

std::set<std::string> record_keys(const std::vector<DigRecord>& records) {
    std::set<std::string> keys;
    for (const auto& record : records)
        keys.insert(record.key());
    return keys;
}

std::vector<std::string> data_of(const std::string& output, const std::string& section,
                                 const std::string& type) {
    std::vector<std::string> found;
    for (const auto& record : dig_section(output, section))
        if (record.type == type)
            found.push_back(record.name + " " + record.data);
    return found;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::set<std::string> answer_keys(const std::string& output) {
    std::set<std::string> keys;
    for (auto record : dig_section(output, "ANSWER")) {
        if (record.type == "RRSIG") {
            // TYPE ALGORITHM LABELS TTL EXPIRATION INCEPTION TAG SIGNER SIGNATURE
            std::istringstream fields(record.data);
            std::string covered, algorithm, labels, ttl, expiration, inception, tag, signer;
            fields >> covered >> algorithm >> labels >> ttl >> expiration >> inception >> tag >>
                signer;
            record.data =
                covered + " " + algorithm + " " + labels + " " + ttl + " " + tag + " " + signer;
        }
        keys.insert(lower(record.key()));
    }
    return keys;
}

} // namespace dns::testing
