// The fast path: which queries it recognises as plain, and the responses it
// keeps and hands out again with the new query's ID, RD bit, spelling of the
// name and TTLs counted down. Requests and responses are built by the stage's
// own writer, and real queries come from the captured corpus.

#include "../edns.hpp"
#include "../fast_path.hpp"
#include "../message.hpp"
#include "../message_writer.hpp"
#include "../outgoing_messages.hpp"
#include "common/testing/corpus.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace dns;
using namespace dns::testing;
using namespace std::chrono_literals;

namespace {

using Clock = Cache::Clock;
const Clock::time_point t0 = Clock::time_point() + 1000h;

Question question(const char* name, uint16_t type = type_a, uint16_t klass = class_in) {
    return Question{DnsName::from_text(name), type, klass};
}

// A client's query: the stage's own query writer, with RD set as a stub
// resolver sets it (RFC 1034 section 4.3.1).
std::vector<uint8_t> client_query(uint16_t id, const Question& asked, bool with_edns,
                                  bool rd = true) {
    auto bytes = build_query(id, asked, with_edns);
    if (rd)
        bytes[2] |= 0x01;
    return bytes;
}

// A query written field by field, for the shapes build_query does not make.
struct RawQuery {
    uint16_t flags = 0x0100; // RD
    uint16_t qdcount = 1;
    uint16_t ancount = 0;
    uint16_t nscount = 0;
    uint16_t arcount = 0;
    std::vector<uint8_t> body; // everything after the header

    std::vector<uint8_t> build() const {
        MessageWriter writer(65535);
        writer.write_u16(0xbeef);
        writer.write_u16(flags);
        writer.write_u16(qdcount);
        writer.write_u16(ancount);
        writer.write_u16(nscount);
        writer.write_u16(arcount);
        writer.write_bytes(body);
        return writer.bytes();
    }
};

std::vector<uint8_t> question_bytes(const Question& asked) {
    MessageWriter writer(512);
    writer.write_name(asked.name);
    writer.write_u16(asked.type);
    writer.write_u16(asked.klass);
    return writer.bytes();
}

// An OPT record (RFC 6891 section 6.1.2) in wire form.
std::vector<uint8_t> opt_bytes(uint16_t payload, uint8_t version, bool dnssec_ok,
                               const std::vector<uint8_t>& options = {}) {
    std::vector<uint8_t> bytes{0,
                               0,
                               41,
                               static_cast<uint8_t>(payload >> 8),
                               static_cast<uint8_t>(payload),
                               0,
                               version,
                               static_cast<uint8_t>(dnssec_ok ? 0x80 : 0),
                               0,
                               static_cast<uint8_t>(options.size() >> 8),
                               static_cast<uint8_t>(options.size())};
    bytes.insert(bytes.end(), options.begin(), options.end());
    return bytes;
}

// A query for www.example.lab A with one OPT record.
std::vector<uint8_t> query_with_opt(const std::vector<uint8_t>& opt) {
    RawQuery query;
    query.arcount = 1;
    query.body = question_bytes(question("www.example.lab"));
    query.body.insert(query.body.end(), opt.begin(), opt.end());
    return query.build();
}

ResourceRecord a_record(const DnsName& name, uint32_t ttl, uint8_t last_byte = 1) {
    return ResourceRecord{name, type_a, class_in, ttl, {192, 0, 2, last_byte}};
}

// An SOA record; MINIMUM is the negative TTL's other half (RFC 2308 section 4).
ResourceRecord soa_record(const char* zone, uint32_t ttl, uint32_t minimum = 300) {
    MessageWriter writer(512);
    writer.write_name(DnsName::from_text("ns1.example.lab"));
    writer.write_name(DnsName::from_text("hostmaster.example.lab"));
    for (const uint32_t field : {1u, 7200u, 900u, 1209600u, minimum})
        writer.write_u32(field);
    return ResourceRecord{DnsName::from_text(zone), type_soa, class_in, ttl, writer.bytes()};
}

// The response the full path would send to `query`: the stage's own writer.
std::vector<uint8_t> full_path_response(const std::vector<uint8_t>& query, uint16_t rcode,
                                        const std::vector<ResourceRecord>& answers,
                                        const std::vector<ResourceRecord>& authorities = {}) {
    const Message parsed = parse_message(query);
    const auto edns = find_edns(parsed);
    std::optional<ResourceRecord> opt;
    if (edns)
        opt = make_opt_record(0, edns->dnssec_ok);
    return build_response(parsed, rcode, answers,
                          edns ? our_udp_payload_size : max_udp_message_size, opt, authorities);
}

size_t fast_answer(Cache& cache, const std::vector<uint8_t>& query, std::vector<uint8_t>& out,
                   Clock::time_point now) {
    out.assign(4096, 0);
    const size_t size = answer_from_cache(cache, query, out, now);
    out.resize(size);
    return size;
}

} // namespace

TEST_CASE("a plain query without EDNS is read, its question and key found") {
    const auto query = client_query(0x1234, question("www.example.lab"), false);
    const auto plain = read_plain_query(query);
    REQUIRE(plain);
    // The question: the name (17 bytes on the wire), type and class.
    CHECK(plain->question_end == 12 + 17 + 4);
    CHECK(plain->question_end == query.size());
    CHECK_FALSE(plain->cache_key.empty());
}

TEST_CASE("the key tells apart EDNS and not, DO and not, but not the name's case") {
    const auto without = read_plain_query(client_query(1, question("www.example.lab"), false));
    const auto with = read_plain_query(client_query(2, question("www.example.lab"), true));
    const auto upper = read_plain_query(client_query(3, question("WWW.Example.LAB"), true));
    const auto dnssec_ok = read_plain_query(query_with_opt(opt_bytes(1232, 0, true)));
    const auto dnssec_not = read_plain_query(query_with_opt(opt_bytes(4096, 0, false)));
    const auto other_type =
        read_plain_query(client_query(4, question("www.example.lab", type_aaaa), true));
    REQUIRE(without);
    REQUIRE(with);
    REQUIRE(upper);
    REQUIRE(dnssec_ok);
    REQUIRE(dnssec_not);
    REQUIRE(other_type);
    // Without EDNS a response is cut at 512 bytes; with it, at 1232: not the same.
    CHECK(without->cache_key != with->cache_key);
    // RFC 4343: the same question, whatever the case.
    CHECK(with->cache_key == upper->cache_key);
    // DO=1 asks for DNSSEC records (RFC 3225): another response.
    CHECK(dnssec_ok->cache_key != with->cache_key);
    // A larger payload than ours changes nothing: we send at most 1232.
    CHECK(dnssec_not->cache_key == with->cache_key);
    CHECK(other_type->cache_key != with->cache_key);
    // The question ends where the OPT record begins.
    CHECK(with->question_end == 12 + 17 + 4);
}

TEST_CASE("EDNS options are walked: well-formed ones are fine, broken ones are not") {
    // A COOKIE option (RFC 7873): code 10, length 8, a client cookie.
    const std::vector<uint8_t> cookie{0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(read_plain_query(query_with_opt(opt_bytes(1232, 0, false, cookie))));
    // Two options, one empty.
    std::vector<uint8_t> two = cookie;
    two.insert(two.end(), {0, 12, 0, 0}); // PADDING, empty
    CHECK(read_plain_query(query_with_opt(opt_bytes(1232, 0, false, two))));
    // An option whose length runs past the record's data.
    CHECK_FALSE(read_plain_query(query_with_opt(opt_bytes(1232, 0, false, {0, 10, 0, 9, 1, 2}))));
    // Half an option header.
    CHECK_FALSE(read_plain_query(query_with_opt(opt_bytes(1232, 0, false, {0, 10}))));
}

TEST_CASE("queries the fast path leaves to the full path") {
    const auto www = question_bytes(question("www.example.lab"));

    SUBCASE("a response (QR=1)") {
        RawQuery query;
        query.flags = 0x8100;
        query.body = www;
        CHECK_FALSE(read_plain_query(query.build()));
    }
    SUBCASE("an opcode other than QUERY: STATUS, NOTIFY, UPDATE") {
        for (const uint16_t opcode : {2, 4, 5}) {
            RawQuery query;
            query.flags = static_cast<uint16_t>(opcode << 11 | 0x0100);
            query.body = www;
            CHECK_FALSE(read_plain_query(query.build()));
        }
    }
    SUBCASE("no question, or two") {
        RawQuery none;
        none.qdcount = 0;
        CHECK_FALSE(read_plain_query(none.build()));
        RawQuery two;
        two.qdcount = 2;
        two.body = www;
        const auto second = question_bytes(question("mail.example.lab"));
        two.body.insert(two.body.end(), second.begin(), second.end());
        CHECK_FALSE(read_plain_query(two.build()));
    }
    SUBCASE("records in the answer or authority section") {
        RawQuery with_answer;
        with_answer.ancount = 1;
        with_answer.body = www;
        CHECK_FALSE(read_plain_query(with_answer.build()));
        RawQuery with_authority;
        with_authority.nscount = 1;
        with_authority.body = www;
        CHECK_FALSE(read_plain_query(with_authority.build()));
    }
    SUBCASE("two additional records, or one that is not OPT") {
        RawQuery two;
        two.arcount = 2;
        two.body = www;
        for (int i = 0; i < 2; ++i) {
            const auto opt = opt_bytes(1232, 0, false);
            two.body.insert(two.body.end(), opt.begin(), opt.end());
        }
        CHECK_FALSE(read_plain_query(two.build()));
        // An A record for the root in the additional section.
        CHECK_FALSE(
            read_plain_query(query_with_opt({0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1})));
    }
    SUBCASE("a compressed question name") {
        // "www" then a pointer to offset 12, itself: a name a query never needs.
        RawQuery query;
        query.body = {3, 'w', 'w', 'w', 0xc0, 12, 0, 1, 0, 1};
        CHECK_FALSE(read_plain_query(query.build()));
        RawQuery pointer_only;
        pointer_only.body = {0xc0, 12, 0, 1, 0, 1};
        CHECK_FALSE(read_plain_query(pointer_only.build()));
    }
    SUBCASE("a class other than IN: CH, ANY") {
        for (const uint16_t klass : {3, 255}) {
            RawQuery query;
            query.body = question_bytes(question("version.bind", 16, klass));
            CHECK_FALSE(read_plain_query(query.build()));
        }
    }
    SUBCASE("ANY, AXFR, IXFR, and OPT as a question's type") {
        for (const uint16_t type : {255, 252, 251, 41}) {
            RawQuery query;
            query.body = question_bytes(question("example.lab", type));
            CHECK_FALSE(read_plain_query(query.build()));
        }
    }
    SUBCASE("EDNS offering less than our 1232 bytes") {
        CHECK_FALSE(read_plain_query(query_with_opt(opt_bytes(512, 0, false))));
        CHECK_FALSE(read_plain_query(query_with_opt(opt_bytes(1231, 0, false))));
        CHECK(read_plain_query(query_with_opt(opt_bytes(1232, 0, false))));
    }
    SUBCASE("an EDNS version other than 0 (the full path answers BADVERS)") {
        CHECK_FALSE(read_plain_query(query_with_opt(opt_bytes(1232, 1, false))));
    }
    SUBCASE("an OPT record whose owner is not the root") {
        auto opt = opt_bytes(1232, 0, false);
        opt.insert(opt.begin(), {1, 'x'});
        CHECK_FALSE(read_plain_query(query_with_opt(opt)));
    }
    SUBCASE("bytes after the question or after the OPT record") {
        auto plain = client_query(1, question("www.example.lab"), false);
        plain.push_back(0);
        CHECK_FALSE(read_plain_query(plain));
        auto with_edns = client_query(1, question("www.example.lab"), true);
        with_edns.push_back(0);
        CHECK_FALSE(read_plain_query(with_edns));
    }
    SUBCASE("a query cut short anywhere") {
        const auto whole = client_query(1, question("www.example.lab"), true);
        for (size_t size = 0; size < whole.size(); ++size) {
            INFO("cut at " << size);
            CHECK_FALSE(read_plain_query(std::span(whole).first(size)));
        }
        CHECK(read_plain_query(whole));
    }
}

TEST_CASE("a remembered response answers the next query: its ID, its RD, its spelling") {
    Cache cache;
    const auto first = client_query(0x1111, question("www.example.lab"), true);
    const DnsName www = DnsName::from_text("www.example.lab");
    const auto response =
        full_path_response(first, rcode_noerror, {a_record(www, 300, 1), a_record(www, 600, 2)});
    remember_response(cache, first, response, t0);

    // Another client, another ID, RD=0, and the name in capitals (RFC 4343).
    const auto second = client_query(0x2222, question("WWW.Example.LAB"), true, false);
    std::vector<uint8_t> out;
    REQUIRE(fast_answer(cache, second, out, t0 + 100s) == response.size());
    const Message message = parse_message(out);
    CHECK(message.header.id == 0x2222);
    CHECK(message.header.qr);
    CHECK(message.header.ra);
    CHECK_FALSE(message.header.rd);
    CHECK_FALSE(message.header.tc);
    CHECK(message.header.rcode == rcode_noerror);
    REQUIRE(message.questions.size() == 1);
    // DnsName's == ignores case: the labels show the spelling itself.
    CHECK(message.questions[0].name.labels() == std::vector<std::string>{"WWW", "Example", "LAB"});
    CHECK(message.questions[0].type == type_a);
    REQUIRE(message.answers.size() == 2);
    // The answers' owner names point to the question: the client's spelling too.
    CHECK(message.answers[0].name.labels() == std::vector<std::string>{"WWW", "Example", "LAB"});
    CHECK(message.answers[0].ttl == 200);
    CHECK(message.answers[1].ttl == 500);
    CHECK(message.answers[1].rdata == std::vector<uint8_t>{192, 0, 2, 2});
    // The OPT record's "TTL" holds flags, not a time: untouched.
    const auto edns = find_edns(message);
    REQUIRE(edns);
    CHECK(edns->udp_payload_size == our_udp_payload_size);
    CHECK(edns->version == 0);
    CHECK_FALSE(edns->dnssec_ok);

    // The first client asks again, RD=1: RD comes from the query, not the cache.
    REQUIRE(fast_answer(cache, first, out, t0 + 100s) > 0);
    CHECK(parse_message(out).header.rd);
    CHECK(parse_message(out).header.id == 0x1111);
}

TEST_CASE("a remembered response is not used at or after its shortest TTL") {
    Cache cache;
    const auto query = client_query(7, question("www.example.lab"), true);
    const DnsName www = DnsName::from_text("www.example.lab");
    remember_response(
        cache, query,
        full_path_response(query, rcode_noerror, {a_record(www, 3600, 1), a_record(www, 60, 2)}),
        t0);
    std::vector<uint8_t> out;
    REQUIRE(fast_answer(cache, query, out, t0 + 59s) > 0);
    CHECK(parse_message(out).answers[1].ttl == 1);
    CHECK(fast_answer(cache, query, out, t0 + 60s) == 0);
    CHECK(fast_answer(cache, query, out, t0 + 3600s) == 0);
}

TEST_CASE("a response is kept for the kind of query it answered, not another") {
    Cache cache;
    const auto with_edns = client_query(7, question("www.example.lab"), true);
    remember_response(cache, with_edns,
                      full_path_response(with_edns, rcode_noerror,
                                         {a_record(DnsName::from_text("www.example.lab"), 300)}),
                      t0);
    std::vector<uint8_t> out;
    CHECK(fast_answer(cache, with_edns, out, t0) > 0);
    // Without EDNS the client must not get an OPT record back (RFC 6891 section 7).
    CHECK(fast_answer(cache, client_query(8, question("www.example.lab"), false), out, t0) == 0);
    CHECK(fast_answer(cache, query_with_opt(opt_bytes(1232, 0, true)), out, t0) == 0);
    CHECK(fast_answer(cache, client_query(9, question("www.example.lab", type_aaaa), true), out,
                      t0) == 0);
    CHECK(fast_answer(cache, client_query(10, question("ftp.example.lab"), true), out, t0) == 0);
}

TEST_CASE("NXDOMAIN with its SOA is remembered, its SOA's TTL counted down") {
    Cache cache;
    const auto query = client_query(7, question("nope.example.lab"), true);
    const auto response =
        full_path_response(query, rcode_nxdomain, {}, {soa_record("example.lab", 300)});
    remember_response(cache, query, response, t0);
    std::vector<uint8_t> out;
    REQUIRE(fast_answer(cache, query, out, t0 + 10s) == response.size());
    const Message message = parse_message(out);
    CHECK(message.header.rcode == rcode_nxdomain);
    REQUIRE(message.authorities.size() == 1);
    CHECK(message.authorities[0].ttl == 290);
    CHECK(fast_answer(cache, query, out, t0 + 300s) == 0);
}

// A remembered negative response is kept for the negative TTL of RFC 2308
// section 5, min(SOA TTL, MINIMUM), capped by max_negative_ttl, and its SOA
// goes out with that TTL: as Cache::store_answer does (the first version kept
// it for the SOA's own TTL, up to a day).
TEST_CASE("a remembered negative response is kept no longer than the negative TTL") {
    std::vector<uint8_t> out;
    SUBCASE("MINIMUM smaller than the SOA's TTL") {
        Cache cache;
        const auto query = client_query(7, question("nope.example.lab"), true);
        remember_response(
            cache, query,
            full_path_response(query, rcode_nxdomain, {}, {soa_record("example.lab", 3600, 300)}),
            t0);
        CHECK(fast_answer(cache, query, out, t0 + 299s) > 0);
        CHECK(fast_answer(cache, query, out, t0 + 300s) == 0);
    }
    SUBCASE("a day of negative TTL, above max_negative_ttl") {
        Cache cache(CacheSettings{1024 * 1024, 86400, 3600});
        const auto query = client_query(7, question("nope.example.lab"), true);
        remember_response(cache, query,
                          full_path_response(query, rcode_nxdomain, {},
                                             {soa_record("example.lab", 86400, 86400)}),
                          t0);
        REQUIRE(fast_answer(cache, query, out, t0) > 0);
        CHECK(parse_message(out).authorities.at(0).ttl <= 3600);
        CHECK(fast_answer(cache, query, out, t0 + 3600s) == 0);
    }
}

// The fast path hands out no TTL over max_ttl either (the first version copied
// the authority's TTLs, a week where the resolver keeps a day).
TEST_CASE("a remembered response hands out TTLs no longer than max_ttl") {
    Cache cache(CacheSettings{1024 * 1024, 100, 3600});
    const auto query = client_query(7, question("www.example.lab"), true);
    remember_response(cache, query,
                      full_path_response(query, rcode_noerror,
                                         {a_record(DnsName::from_text("www.example.lab"), 604800)}),
                      t0);
    std::vector<uint8_t> out;
    REQUIRE(fast_answer(cache, query, out, t0 + 10s) > 0);
    CHECK(parse_message(out).answers.at(0).ttl <= 90);
    CHECK(fast_answer(cache, query, out, t0 + 100s) == 0);
}

TEST_CASE("responses that must not be reused are not remembered") {
    Cache cache;
    const DnsName www = DnsName::from_text("www.example.lab");
    std::vector<uint8_t> out;

    SUBCASE("TC=1: the client must ask again over TCP (RFC 7766 section 5)") {
        const auto query = client_query(7, question("www.example.lab"), false);
        std::vector<ResourceRecord> many;
        for (uint8_t i = 0; i < 40; ++i)
            many.push_back(a_record(www, 300, i));
        const auto response = full_path_response(query, rcode_noerror, many);
        REQUIRE(parse_message(response).header.tc);
        remember_response(cache, query, response, t0);
        CHECK(fast_answer(cache, query, out, t0) == 0);
    }
    SUBCASE("SERVFAIL: the next client deserves a fresh try") {
        const auto query = client_query(7, question("www.example.lab"), true);
        remember_response(cache, query, full_path_response(query, rcode_servfail, {}), t0);
        CHECK(fast_answer(cache, query, out, t0) == 0);
        // Even one that carries records.
        remember_response(cache, query,
                          full_path_response(query, rcode_servfail, {a_record(www, 300)}), t0);
        CHECK(fast_answer(cache, query, out, t0) == 0);
        remember_response(cache, query,
                          full_path_response(query, rcode_refused, {a_record(www, 300)}), t0);
        CHECK(fast_answer(cache, query, out, t0) == 0);
    }
    SUBCASE("no records (but OPT): no TTL says how long it holds") {
        const auto query = client_query(7, question("www.example.lab"), true);
        remember_response(cache, query, full_path_response(query, rcode_noerror, {}), t0);
        CHECK(fast_answer(cache, query, out, t0) == 0);
        const auto plain = client_query(7, question("www.example.lab"), false);
        remember_response(cache, plain, full_path_response(plain, rcode_nxdomain, {}), t0);
        CHECK(fast_answer(cache, plain, out, t0) == 0);
    }
    SUBCASE("a record with TTL 0") {
        const auto query = client_query(7, question("www.example.lab"), true);
        remember_response(
            cache, query,
            full_path_response(query, rcode_noerror, {a_record(www, 300, 1), a_record(www, 0, 2)}),
            t0);
        CHECK(fast_answer(cache, query, out, t0) == 0);
    }
    SUBCASE("the answer to a query that is not plain") {
        auto query = client_query(7, question("www.example.lab"), false);
        query.push_back(0); // trailing byte: the full path's business
        remember_response(cache, query,
                          full_path_response(client_query(7, question("www.example.lab"), false),
                                             rcode_noerror, {a_record(www, 300)}),
                          t0);
        CHECK(fast_answer(cache, client_query(7, question("www.example.lab"), false), out, t0) ==
              0);
    }
    SUBCASE("a response cut short") {
        const auto query = client_query(7, question("www.example.lab"), true);
        auto response = full_path_response(query, rcode_noerror, {a_record(www, 300)});
        response.resize(response.size() - 3);
        remember_response(cache, query, response, t0);
        CHECK(fast_answer(cache, query, out, t0) == 0);
    }
    CHECK(cache.entries() == 0);
}

TEST_CASE("corpus: every query the fast path accepts is one question of class IN") {
    // Real captured queries: what read_plain_query calls plain, the full
    // parser must read whole, with exactly one question of class IN.
    size_t accepted = 0;
    size_t accepted_malformed = 0;
    size_t rejected = 0;
    size_t well_formed_queries = 0;
    for (const CorpusEntry& entry : corpus_entries()) {
        const auto bytes = entry.bytes();
        if (!entry.is_response && !entry.malformed)
            ++well_formed_queries;
        INFO(entry.file << " (" << entry.origin << ")");
        const auto plain = read_plain_query(bytes);
        if (!plain) {
            ++rejected;
            continue;
        }
        // A response is never a plain query. (A few queries with odd EDNS
        // Client Subnet options, which dnspython calls malformed, are plain:
        // the full path ignores options too, so the checks below hold for them.)
        CHECK_FALSE(entry.is_response);
        if (entry.malformed)
            ++accepted_malformed;
        Message message;
        REQUIRE_NOTHROW(message = parse_message(bytes));
        CHECK_FALSE(message.header.qr);
        CHECK(message.header.opcode == 0);
        REQUIRE(message.questions.size() == 1);
        CHECK(message.questions[0].klass == class_in);
        CHECK(message.answers.empty());
        CHECK(message.authorities.empty());
        CHECK(message.additionals.size() <= 1);
        std::optional<Edns> edns;
        REQUIRE_NOTHROW(edns = find_edns(message));
        if (edns) {
            CHECK(edns->version == 0);
            CHECK(edns->udp_payload_size >= our_udp_payload_size);
        }
        CHECK(plain->question_end == 12 + message.questions[0].name.wire_length() + 4);
        ++accepted;
    }
    MESSAGE("corpus: the fast path accepts " << accepted << " messages (" << accepted_malformed
                                             << " called malformed), leaves " << rejected);
    CHECK(accepted > 100);
    CHECK(accepted <= well_formed_queries + accepted_malformed);
    CHECK(rejected > 0);
}

TEST_CASE("corpus: a real query's remembered answer comes back with that query's ID") {
    // The first captured A query the fast path accepts, answered by the full
    // path's writer, remembered, then asked again under another ID.
    for (const CorpusEntry& entry : corpus_entries()) {
        if (entry.is_response || entry.malformed || entry.qtype != "A")
            continue;
        auto bytes = entry.bytes();
        if (!read_plain_query(bytes))
            continue;
        INFO(entry.file << " (" << entry.origin << ")");
        const Message query = parse_message(bytes);
        const auto response =
            full_path_response(bytes, rcode_noerror, {a_record(query.questions[0].name, 300)});
        Cache cache;
        remember_response(cache, bytes, response, t0);
        bytes[0] ^= 0xff;
        bytes[1] ^= 0x5a;
        std::vector<uint8_t> out;
        REQUIRE(fast_answer(cache, bytes, out, t0 + 1s) == response.size());
        const Message answered = parse_message(out);
        CHECK(answered.header.id == (bytes[0] << 8 | bytes[1]));
        CHECK(answered.header.rd == query.header.rd);
        REQUIRE(answered.answers.size() == 1);
        CHECK(answered.answers[0].ttl == 299);
        CHECK(answered.questions[0].name.labels() == query.questions[0].name.labels());
        return;
    }
    FAIL("no A query in the corpus is plain");
}

TEST_CASE("the fast path keeps the responses to CD=1 and AD=1 queries apart (RFC 4035 3.2.2, "
          "RFC 6840 5.8)") {
    Cache cache;
    const DnsName www = DnsName::from_text("www.example.lab");
    auto with_cd = client_query(0x1111, question("www.example.lab"), true);
    with_cd[3] |= 0x10; // CD: the client checks signatures itself
    const auto response = full_path_response(with_cd, rcode_noerror, {a_record(www, 300, 1)});
    REQUIRE(parse_message(response).header.cd);
    remember_response(cache, with_cd, response, t0);
    std::vector<uint8_t> out;
    // What a CD=1 client got may be a bogus answer's data, which a client
    // that does not check for itself must never get.
    const auto without_cd = client_query(0x2222, question("www.example.lab"), true);
    CHECK(fast_answer(cache, without_cd, out, t0 + 1s) == 0);
    auto with_ad = without_cd;
    with_ad[3] |= 0x20; // AD: the client wants to hear whether it was validated
    CHECK(fast_answer(cache, with_ad, out, t0 + 1s) == 0);
    REQUIRE(fast_answer(cache, with_cd, out, t0 + 1s) > 0);
    CHECK(parse_message(out).header.cd);
}
