// The captured real-world DNS messages in ../shared/corpus (see its SOURCES.md),
// and what INDEX.tsv says of each, so tests can check the resolver's reading of
// a message against an independent reading (dnspython's and the corpus's own).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dns::testing {

struct CorpusEntry {
    std::string file;         // path relative to the corpus directory
    bool is_response = false; // the QR bit
    std::string qtype;        // type of the first question, as dnspython names it
    std::string rcode;
    bool malformed = false; // the corpus's own walker or dnspython found a problem
    std::string walker_error;
    unsigned opcode = 0;
    std::string transport; // udp, tcp or raw
    std::string origin;

    std::vector<uint8_t> bytes() const;
};

// Every row of INDEX.tsv. Throws if the corpus is not there.
const std::vector<CorpusEntry>& corpus_entries();

} // namespace dns::testing
