#include "common/testing/corpus.hpp"

#include "common/testing/resolver_under_test.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace dns::testing {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t'))
        fields.push_back(field);
    if (!line.empty() && line.back() == '\t')
        fields.emplace_back();
    return fields;
}

std::vector<CorpusEntry> load_index() {
    const std::string path = corpus_directory() + "/INDEX.tsv";
    std::ifstream index(path);
    if (!index)
        throw std::runtime_error("cannot read " + path + " (set CORPUS_DIR)");
    std::string line;
    std::getline(index, line);
    std::map<std::string, size_t> column;
    const auto names = split_tabs(line);
    for (size_t i = 0; i < names.size(); ++i)
        column[names[i]] = i;
    auto field = [&](const std::vector<std::string>& row, const char* name) -> std::string {
        const auto found = column.find(name);
        if (found == column.end())
            throw std::runtime_error(std::string("INDEX.tsv has no column ") + name);
        return found->second < row.size() ? row[found->second] : "";
    };
    std::vector<CorpusEntry> entries;
    while (std::getline(index, line)) {
        if (line.empty())
            continue;
        const auto row = split_tabs(line);
        CorpusEntry entry;
        entry.file = field(row, "file");
        entry.is_response = field(row, "is_response") == "True";
        entry.qtype = field(row, "qtype");
        entry.rcode = field(row, "rcode");
        entry.malformed = field(row, "malformed") == "True";
        entry.walker_error = field(row, "walker_error");
        const std::string opcode = field(row, "opcode");
        entry.opcode = opcode.empty() ? 0 : static_cast<unsigned>(std::stoul(opcode));
        entry.transport = field(row, "transport");
        entry.origin = field(row, "origin");
        entries.push_back(std::move(entry));
    }
    return entries;
}

} // namespace

std::vector<uint8_t> CorpusEntry::bytes() const {
    return read_file_bytes(corpus_directory() + "/" + file);
}

const std::vector<CorpusEntry>& corpus_entries() {
    static const std::vector<CorpusEntry> entries = load_index();
    return entries;
}

} // namespace dns::testing
