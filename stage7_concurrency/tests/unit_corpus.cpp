// The parser against real traffic: the captured messages in ../shared/corpus,
// whose INDEX.tsv says what an independent parser (dnspython) read in each.

#include "../code_names.hpp"
#include "../message.hpp"
#include "common/testing/corpus.hpp"

#include <doctest/doctest.h>

using namespace dns;
using namespace dns::testing;

TEST_CASE("every well-formed query in the corpus is parsed, with its type and opcode") {
    size_t checked = 0;
    for (const CorpusEntry& entry : corpus_entries()) {
        if (entry.is_response || entry.malformed)
            continue;
        INFO(entry.file << " (" << entry.origin << ")");
        const auto bytes = entry.bytes();
        Message message;
        REQUIRE_NOTHROW(message = parse_message(bytes));
        CHECK(message.header.opcode == entry.opcode);
        CHECK_FALSE(message.header.qr);
        if (message.questions.empty()) {
            CHECK(entry.qtype == "");
        } else {
            // dnspython writes TYPEnnn for a few types that dig knows by name (NIMLOC).
            const uint16_t type = message.questions[0].type;
            CHECK((type_name(type) == entry.qtype || "TYPE" + std::to_string(type) == entry.qtype));
        }
        ++checked;
    }
    CHECK(checked > 1000);
}

TEST_CASE("every well-formed response in the corpus is read whole, compression and all") {
    size_t checked = 0;
    for (const CorpusEntry& entry : corpus_entries()) {
        if (!entry.is_response || entry.malformed)
            continue;
        INFO(entry.file << " (" << entry.origin << ")");
        const auto bytes = entry.bytes();
        Message message;
        REQUIRE_NOTHROW(message = parse_message(bytes));
        CHECK(message.header.qr);
        CHECK(message.answers.size() == message.header.ancount);
        CHECK(message.authorities.size() == message.header.nscount);
        CHECK(message.additionals.size() == message.header.arcount);
        ++checked;
    }
    CHECK(checked > 800);
}

TEST_CASE("every message in the corpus, malformed ones too, is parsed or rejected cleanly") {
    // Under AddressSanitizer this also proves that no read goes out of bounds.
    size_t parsed = 0;
    size_t rejected = 0;
    for (const CorpusEntry& entry : corpus_entries()) {
        INFO(entry.file);
        const auto bytes = entry.bytes();
        try {
            parse_message(bytes);
            ++parsed;
        } catch (const ParseError& error) {
            CHECK(error.offset() <= bytes.size());
            ++rejected;
        }
    }
    MESSAGE("corpus: " << parsed << " parsed, " << rejected << " rejected");
    CHECK(parsed + rejected == corpus_entries().size());
    CHECK(rejected > 0);
}
