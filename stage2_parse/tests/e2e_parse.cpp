// Stage 2's end-to-end tests: what the resolver prints of a query must be what dig
// itself prints of the query it sent (dig +qr), field for field. They run against
// stage 2 and every later stage.

#include "common/testing/corpus.hpp"
#include "common/testing/resolver_under_test.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <sstream>

using namespace dns;
using namespace dns::testing;

namespace {

// The three lines that describe a query: ";; ->>HEADER<<- ...", ";; flags: ..."
// and the question line.
struct PrintedQuery {
    std::string header_line;
    std::string flags_line;
    std::string question_line;
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);)
        lines.push_back(line);
    return lines;
}

// Every message printed in `text`, in order. A header line is followed by the
// flags line, and the first line after ";; QUESTION SECTION:" is the question.
// With `sent_only`, only the queries dig sent (+qr prints ";; Sending:" before
// them), not the replies it got.
std::vector<PrintedQuery> printed_queries(const std::string& text, bool sent_only = false) {
    std::vector<PrintedQuery> queries;
    const auto lines = lines_of(text);
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        if (!lines[i].starts_with(";; ->>HEADER<<-"))
            continue;
        if (sent_only && (i == 0 || lines[i - 1] != ";; Sending:"))
            continue;
        PrintedQuery query{lines[i], lines[i + 1], ""};
        for (size_t j = i + 2; j + 1 < lines.size() && !lines[j].starts_with(";; ->>HEADER"); ++j)
            if (lines[j] == ";; QUESTION SECTION:") {
                query.question_line = lines[j + 1];
                break;
            }
        queries.push_back(query);
    }
    return queries;
}

// Sends the queries with dig +qr and checks that the resolver printed each one
// exactly as dig did. `queries` holds dig's arguments, one query after another.
void check_printed_as_dig_prints(const std::vector<std::string>& queries, size_t expected_count) {
    RunningResolver resolver;
    std::vector<std::string> arguments{"+qr", "+time=1"};
    arguments.insert(arguments.end(), queries.begin(), queries.end());
    const CommandResult dig = run_command(dig_command(resolver, arguments), 120s);
    const auto sent = printed_queries(dig.output, true);
    REQUIRE(sent.size() == expected_count);
    for (const auto& query : sent) {
        INFO("dig printed:\n"
             << query.header_line << "\n"
             << query.flags_line << "\n"
             << query.question_line);
        // The header line holds the random ID, so finding it finds this query.
        REQUIRE(resolver.printed(query.header_line + "\n"));
        const auto ours = printed_queries(resolver.process().output());
        const auto match = std::find_if(ours.begin(), ours.end(), [&](const PrintedQuery& q) {
            return q.header_line == query.header_line;
        });
        REQUIRE(match != ours.end());
        CHECK(match->flags_line == query.flags_line);
        CHECK(match->question_line == query.question_line);
    }
}

size_t count_of(const std::string& text, const std::string& needle) {
    size_t count = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++count;
    return count;
}

// A query (ID 0x1234, RD, one question) for `name` given in wire form, type A, class IN.
std::vector<uint8_t> query_with_name(const std::vector<uint8_t>& name) {
    std::vector<uint8_t> bytes(12, 0);
    bytes[0] = 0x12;
    bytes[1] = 0x34;
    bytes[2] = 0x01; // RD
    bytes[5] = 0x01; // QDCOUNT 1
    for (const uint8_t byte : name)
        bytes.push_back(byte);
    for (const uint8_t byte : {0x00, 0x01, 0x00, 0x01}) // type A, class IN
        bytes.push_back(byte);
    return bytes;
}

} // namespace

TEST_CASE("dig's flags, types and classes are printed as dig prints them") {
    // dig applies the options after a name to that name's query.
    check_printed_as_dig_prints({"example.com", "example.com", "-t",          "MX",
                                 "+norecurse",  "example.com", "-t",          "AAAA",
                                 "+cdflag",     "+zflag",      "example.com", "-t",
                                 "TXT",         "+noadflag",   "+norecurse",  "version.bind",
                                 "-c",          "CH",          "-t",          "TXT",
                                 "example.com", "-t",          "TYPE65534",   "+noedns",
                                 "example.com", "-t",          "CAA",         "+opcode=notify"},
                                7);
}

TEST_CASE("the root name and names with odd but legal bytes are printed as dig prints them") {
    // dig's escapes: \032 is a space, \. a dot inside a label, \255 a byte 0xff.
    check_printed_as_dig_prints({".", "-t", "NS", "a\\032b\\.c\\\\d\\\"e(f)g;h@i$j\\255.example",
                                 "-t", "SRV", "UPPER.and.lower.Example", "-t", "A"},
                                3);
}

TEST_CASE("a 63-byte label and a 255-byte name, the largest there are, arrive whole") {
    const std::string label63(63, 'x');
    // 3 * (1 + 63) + (1 + 61) + 1 = 255 bytes on the wire.
    const std::string name255 =
        label63 + "." + label63 + "." + label63 + "." + std::string(61, 'y');
    check_printed_as_dig_prints({label63 + ".example", "-t", "A", name255, "-t", "A"}, 2);
}

TEST_CASE("kdig's query is read right too") {
    RunningResolver resolver;
    ChildProcess kdig({"kdig", "@127.0.0.1", "-p", resolver.port(), "+retry=0", "+timeout=1",
                       "+cdflag", "_sip._udp.example.org", "SRV"});
    // kdig sets AD as well as RD by default, and sends no EDNS record.
    CHECK(resolver.printed(";; flags: rd ad cd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0"));
    CHECK(resolver.printed(";_sip._udp.example.org.\t\tIN\tSRV\n"));
    // dig asks for ANY over TCP; kdig over UDP.
    ChildProcess kdig_any({"kdig", "@127.0.0.1", "-p", resolver.port(), "+retry=0", "+timeout=1",
                           "example.org", "ANY"});
    CHECK(resolver.printed(";example.org.\t\t\tIN\tANY\n"));
}

TEST_CASE("a datagram that is not a DNS query is reported in one line, and serving goes on") {
    RunningResolver resolver;
    const std::vector<std::vector<uint8_t>> bad{
        {0x01, 0x02, 0x03},                                     // shorter than a header
        {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0}, // a question count, no question
        query_with_name({64, 'a'}),                             // a label length of 64
        query_with_name({0xC0, 0x0C}),                          // a pointer to itself
        query_with_name({0xC0, 0xFF}),                          // a pointer forward, past the end
        query_with_name({0x80, 0x00}),                          // a label type that does not exist
    };
    for (const auto& datagram : bad)
        send_datagram(resolver.address(), datagram);
    // A name over 255 bytes: five labels of 63.
    std::vector<uint8_t> long_name;
    for (int i = 0; i < 5; ++i) {
        long_name.push_back(63);
        long_name.insert(long_name.end(), 63, 'z');
    }
    long_name.push_back(0);
    send_datagram(resolver.address(), query_with_name(long_name));

    ChildProcess dig(dig_command(resolver, {"+noedns", "still-serving.example", "A"}));
    REQUIRE(resolver.printed(";still-serving.example.\t\tIN\tA\n"));
    const std::string& output = resolver.process().output();
    CHECK(count_of(output, "Cannot parse the message from 127.0.0.1:") == bad.size() + 1);
    CHECK(output.find("a label length of 64 (labels are at most 63 bytes)") != std::string::npos);
    CHECK(output.find("a name longer than 255 bytes") != std::string::npos);
    CHECK(output.find("pointers must point back") != std::string::npos);
    CHECK(resolver.process().is_running());
}

TEST_CASE("every malformed message of the corpus is survived, and serving goes on") {
    RunningResolver resolver;
    size_t sent = 0;
    for (const CorpusEntry& entry : corpus_entries()) {
        if (!entry.malformed)
            continue;
        const auto bytes = entry.bytes();
        const size_t mark = resolver.mark();
        send_datagram(resolver.address(), bytes);
        // One at a time, so that none is lost in a full socket buffer.
        INFO(entry.file);
        REQUIRE(resolver.printed("Received " + std::to_string(bytes.size()) + " bytes from", 10s,
                                 mark));
        ++sent;
    }
    CHECK(sent > 250);
    ChildProcess dig(dig_command(resolver, {"+noedns", "after-the-corpus.example", "A"}));
    CHECK(resolver.printed(";after-the-corpus.example.\tIN\tA\n", 10s));
    CHECK(resolver.process().is_running());
}
