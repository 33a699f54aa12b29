// The request handler with the lookup replaced by a stand-in: every kind of
// request a client can send, and what it gets back.

#include "../edns.hpp"
#include "../event_loop.hpp"
#include "../message_writer.hpp"
#include "../request_handler.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace dns;

namespace {

// A query as bytes: ID 0x1234, RD, the given opcode and questions, and
// optionally raw additional records (already in wire form).
struct QueryBytes {
    uint8_t opcode = 0;
    std::vector<Question> questions{{DnsName::from_text("www.example.lab"), type_a, class_in}};
    std::vector<std::vector<uint8_t>> additionals;
    bool response = false;
    bool recursion_desired = true;
    bool checking_disabled = false;

    std::vector<uint8_t> build() const {
        MessageWriter writer(65535);
        writer.write_u16(0x1234);
        writer.write_u16(static_cast<uint16_t>((response ? 0x8000 : 0) | opcode << 11 |
                                               (recursion_desired ? 0x0100 : 0) |
                                               (checking_disabled ? 0x0010 : 0)));
        writer.write_u16(static_cast<uint16_t>(questions.size()));
        writer.write_u16(0);
        writer.write_u16(0);
        writer.write_u16(static_cast<uint16_t>(additionals.size()));
        for (const auto& question : questions) {
            writer.write_name(question.name);
            writer.write_u16(question.type);
            writer.write_u16(question.klass);
        }
        for (const auto& record : additionals)
            writer.write_bytes(record);
        return writer.bytes();
    }
};

// An OPT record in wire form: root owner, type 41, the payload size as class,
// the version and the DO bit in the TTL, and `rdata` as options.
std::vector<uint8_t> opt_record(uint16_t payload, uint8_t version,
                                const std::vector<uint8_t>& rdata = {}, bool dnssec_ok = false) {
    std::vector<uint8_t> bytes{0x00,
                               0x00,
                               41,
                               static_cast<uint8_t>(payload >> 8),
                               static_cast<uint8_t>(payload),
                               0x00,
                               version,
                               static_cast<uint8_t>(dnssec_ok ? 0x80 : 0x00),
                               0x00,
                               static_cast<uint8_t>(rdata.size() >> 8),
                               static_cast<uint8_t>(rdata.size())};
    for (const uint8_t byte : rdata)
        bytes.push_back(byte);
    return bytes;
}

// A lookup that has its resolution at once, as the stand-in lookups here do.
Task<Resolution> ready(Resolution resolution) {
    co_return resolution;
}

struct Handled {
    std::optional<Message> response;
    int lookups = 0;
};

// Handles `request` with a stand-in lookup that answers with `answers` A records.
Handled handle(const std::vector<uint8_t>& request, Transport transport = Transport::udp,
               int answers = 1) {
    Handled handled;
    std::ostringstream log;
    RequestHandler handler(
        [&](const Question& question) {
            ++handled.lookups;
            Resolution resolution{rcode_noerror, {}, {}, 1};
            for (int i = 0; i < answers; ++i)
                resolution.answers.push_back(ResourceRecord{
                    question.name, type_a, class_in, 300, {192, 0, 2, static_cast<uint8_t>(i)}});
            return ready(resolution);
        },
        log);
    EventLoop loop;
    const auto bytes = run_to_completion(loop, handler.handle(request, transport, "a test"));
    if (bytes)
        handled.response = parse_message(*bytes);
    return handled;
}

} // namespace

TEST_CASE("a well-formed query is looked up and answered") {
    const auto handled = handle(QueryBytes{}.build());
    REQUIRE(handled.response);
    CHECK(handled.lookups == 1);
    CHECK(handled.response->header.id == 0x1234);
    CHECK(handled.response->header.rcode == rcode_noerror);
    CHECK(handled.response->answers.size() == 1);
    CHECK(handled.response->additionals.empty()); // no EDNS asked, none given
}

TEST_CASE("nothing is sent to a request shorter than a header, or to a response") {
    CHECK_FALSE(handle({}).response);
    CHECK_FALSE(handle({0x12, 0x34, 0x01}).response);
    QueryBytes response;
    response.response = true;
    const auto handled = handle(response.build());
    CHECK_FALSE(handled.response);
    CHECK(handled.lookups == 0);
}

TEST_CASE("a query that cannot be read gets FORMERR with its ID and no question") {
    auto bytes = QueryBytes{}.build();
    bytes.push_back(0xff); // a byte after the last record
    auto handled = handle(bytes);
    REQUIRE(handled.response);
    CHECK(handled.response->header.id == 0x1234);
    CHECK(handled.response->header.rcode == rcode_formerr);
    CHECK(handled.response->questions.empty());
    CHECK(handled.lookups == 0);

    std::vector<uint8_t> header_only = QueryBytes{}.build();
    header_only.resize(12); // QDCOUNT says 1, but the question is missing
    CHECK(handle(header_only).response->header.rcode == rcode_formerr);
}

TEST_CASE("no question, or two: FORMERR") {
    QueryBytes none;
    none.questions.clear();
    CHECK(handle(none.build()).response->header.rcode == rcode_formerr);
    QueryBytes two;
    two.questions.push_back(two.questions.front());
    CHECK(handle(two.build()).response->header.rcode == rcode_formerr);
}

TEST_CASE("an opcode other than QUERY gets NOTIMP; a class other than IN gets REFUSED") {
    QueryBytes notify;
    notify.opcode = 4;
    CHECK(handle(notify.build()).response->header.rcode == rcode_notimp);
    QueryBytes chaos;
    chaos.questions[0].klass = 3;
    CHECK(handle(chaos.build()).response->header.rcode == rcode_refused);
}

TEST_CASE("EDNS: an OPT record in the query gets one in the response") {
    QueryBytes query;
    query.additionals.push_back(opt_record(4096, 0));
    const auto handled = handle(query.build());
    REQUIRE(handled.response->additionals.size() == 1);
    const auto edns = find_edns(*handled.response);
    REQUIRE(edns);
    CHECK(edns->version == 0);
    CHECK(edns->udp_payload_size == our_udp_payload_size);
}

TEST_CASE("EDNS: the DO bit is read and comes back in the response (RFC 3225)") {
    QueryBytes query;
    query.additionals.push_back(opt_record(1232, 0, {}, true));
    const auto handled = handle(query.build());
    REQUIRE(find_edns(*handled.response));
    CHECK(find_edns(*handled.response)->dnssec_ok);
    QueryBytes without;
    without.additionals.push_back(opt_record(1232, 0));
    CHECK_FALSE(find_edns(*handle(without.build()).response)->dnssec_ok);
}

TEST_CASE("EDNS: a payload size under 512 counts as 512 (RFC 6891 section 6.2.3)") {
    QueryBytes tiny;
    tiny.additionals.push_back(opt_record(100, 0));
    // 12 A records of 33 bytes fit in 512 bytes but not in 100.
    const auto handled = handle(tiny.build(), Transport::udp, 12);
    CHECK_FALSE(handled.response->header.tc);
    CHECK(handled.response->answers.size() == 12);
}

TEST_CASE("EDNS: options we do not know are ignored, malformed ones are FORMERR") {
    QueryBytes unknown_option;
    unknown_option.additionals.push_back(opt_record(1232, 0, {0xfd, 0xe9, 0x00, 0x02, 0xab, 0xcd}));
    CHECK(handle(unknown_option.build()).response->header.rcode == rcode_noerror);
    QueryBytes cut_option;
    cut_option.additionals.push_back(opt_record(1232, 0, {0x00, 0x0a, 0x00, 0x08, 0x01}));
    CHECK(handle(cut_option.build()).response->header.rcode == rcode_formerr);
}

TEST_CASE("EDNS: a version we do not speak gets BADVERS; two OPT records FORMERR") {
    QueryBytes version1;
    version1.additionals.push_back(opt_record(1232, 1));
    const auto handled = handle(version1.build());
    REQUIRE(handled.response);
    CHECK(handled.lookups == 0);
    // BADVERS is 16: 0 in the header's four bits, 1 in the OPT record's upper eight.
    CHECK(handled.response->header.rcode == 0);
    REQUIRE(find_edns(*handled.response));
    CHECK(find_edns(*handled.response)->extended_rcode == 1);

    QueryBytes two_opts;
    two_opts.additionals = {opt_record(1232, 0), opt_record(1232, 0)};
    CHECK(handle(two_opts.build()).response->header.rcode == rcode_formerr);
}

TEST_CASE("the response fits what the client can take: 512 bytes, its EDNS size, or TCP's") {
    // 30 A records of 33 bytes each (the name written out in full): too many
    // for 512 bytes, few enough for 1232.
    const auto plain = handle(QueryBytes{}.build(), Transport::udp, 30);
    CHECK(plain.response->header.tc);
    CHECK(plain.response->answers.size() < 30);

    QueryBytes with_edns;
    with_edns.additionals.push_back(opt_record(1232, 0));
    const auto edns = handle(with_edns.build(), Transport::udp, 30);
    CHECK_FALSE(edns.response->header.tc);
    CHECK(edns.response->answers.size() == 30);

    const auto many_over_udp = handle(with_edns.build(), Transport::udp, 100);
    CHECK(many_over_udp.response->header.tc);
    const auto many_over_tcp = handle(QueryBytes{}.build(), Transport::tcp, 100);
    CHECK_FALSE(many_over_tcp.response->header.tc);
    CHECK(many_over_tcp.response->answers.size() == 100);
}

// Nine questions, the first with a 64-byte name, the others compressed against
// it: written out in full they would take more than 512 bytes.
std::vector<uint8_t> nine_compressed_questions(uint8_t opcode) {
    QueryBytes query;
    query.questions.clear();
    query.opcode = opcode;
    std::vector<uint8_t> bytes = query.build();
    bytes[5] = 9; // QDCOUNT
    const std::string first(60, 'x');
    bytes.push_back(static_cast<uint8_t>(first.size()));
    bytes.insert(bytes.end(), first.begin(), first.end());
    for (const uint8_t byte : std::initializer_list<uint8_t>{3, 'l', 'a', 'b', 0, 0, 12, 0, 1})
        bytes.push_back(byte);
    for (int i = 0; i < 8; ++i) {
        const std::string label(50, static_cast<char>('a' + i));
        bytes.push_back(static_cast<uint8_t>(label.size()));
        bytes.insert(bytes.end(), label.begin(), label.end());
        for (const uint8_t byte : std::initializer_list<uint8_t>{0xC0, 12, 0, 12, 0, 1})
            bytes.push_back(byte); // a pointer to the first name
    }
    return bytes;
}

TEST_CASE("found by the fuzzer: many compressed questions do not make the response overflow") {
    // Before the fix, writing the response threw MessageTooLarge: first for the
    // FORMERR of a standard query, then for the NOTIMP of a NOTIFY (opcode 4).
    for (const uint8_t opcode : {0, 4}) {
        const auto handled = handle(nine_compressed_questions(opcode));
        REQUIRE(handled.response);
        CHECK(handled.response->header.rcode == (opcode == 0 ? rcode_formerr : rcode_notimp));
        CHECK(handled.response->questions.empty());
    }
}

TEST_CASE("every type of question is looked up (stage 6), but zone transfers get NOTIMP") {
    for (const uint16_t type :
         {uint16_t{15}, uint16_t{28}, uint16_t{43}, uint16_t{255}, uint16_t{65534}}) {
        QueryBytes query;
        query.questions[0].type = type;
        const auto handled = handle(query.build());
        CHECK(handled.lookups == 1);
        CHECK(handled.response->header.rcode == rcode_noerror);
    }
    for (const uint16_t type : {uint16_t{251}, uint16_t{252}}) {
        QueryBytes transfer;
        transfer.questions[0].type = type;
        const auto handled = handle(transfer.build());
        CHECK(handled.lookups == 0);
        CHECK(handled.response->header.rcode == rcode_notimp);
    }
}

TEST_CASE("RD=0: answered from the cache, never looked up, else REFUSED") {
    QueryBytes query;
    query.recursion_desired = false;
    int lookups = 0;
    std::optional<Resolution> cached;
    std::ostringstream log;
    RequestHandler handler(
        [&](const Question&) {
            ++lookups;
            return ready(Resolution{rcode_noerror, {}, {}, 1});
        },
        log, false, [&](const Question&) { return cached; });
    EventLoop loop;
    const auto ask = [&] {
        const auto bytes =
            run_to_completion(loop, handler.handle(query.build(), Transport::udp, "a test"));
        REQUIRE(bytes);
        return parse_message(*bytes);
    };
    const Message refused = ask();
    CHECK(refused.header.rcode == rcode_refused);
    CHECK_FALSE(refused.header.rd);
    cached = Resolution{
        rcode_noerror,
        {ResourceRecord{
            DnsName::from_text("www.example.lab"), type_a, class_in, 300, {192, 0, 2, 80}}},
        {},
        0};
    const Message answered = ask();
    CHECK(answered.header.rcode == rcode_noerror);
    CHECK(answered.answers.size() == 1);
    CHECK(lookups == 0);
    // With RD=1 the same question is looked up.
    query.recursion_desired = true;
    CHECK(ask().header.rcode == rcode_noerror);
    CHECK(lookups == 1);
}

TEST_CASE("CD is copied from the query to the response (RFC 4035 section 3.2.2)") {
    QueryBytes query;
    query.checking_disabled = true;
    const auto with_cd = handle(query.build());
    REQUIRE(with_cd.response);
    CHECK(with_cd.response->header.cd);
    const auto without = handle(QueryBytes{}.build());
    REQUIRE(without.response);
    CHECK_FALSE(without.response->header.cd);
}
