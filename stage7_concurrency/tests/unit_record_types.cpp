// The record types: reading, writing (with compression) and printing, driven by
// one description per type; checked against real traffic (the corpus) and
// against dig's own printing of the same records (the test bed's Knot).

#include "../code_names.hpp"
#include "../edns.hpp"
#include "../event_loop.hpp"
#include "../message.hpp"
#include "../outgoing_messages.hpp"
#include "../record_types.hpp"
#include "../tcp_messages.hpp"
#include "../upstream_query.hpp"
#include "common/tcp_socket.hpp"
#include "common/testing/child_process.hpp"
#include "common/testing/corpus.hpp"
#include "common/testing/dig_output.hpp"

#include <algorithm>
#include <cstdlib>
#include <doctest/doctest.h>
#include <optional>
#include <set>
#include <sstream>

using namespace dns;
using namespace dns::testing;

namespace {

ResourceRecord record_from(const char* owner, uint16_t type, std::vector<uint8_t> rdata) {
    return ResourceRecord{DnsName::from_text(owner), type, class_in, 3600, std::move(rdata)};
}

std::vector<uint8_t> name_bytes(const char* text) {
    MessageWriter writer(DnsName::max_wire_length);
    writer.write_name(DnsName::from_text(text));
    return writer.bytes();
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> bytes;
    for (const auto& part : parts)
        bytes.insert(bytes.end(), part.begin(), part.end());
    return bytes;
}

// The number of a type named as dig names it ("MX", "TYPE65534").
uint16_t type_from_name(const std::string& text) {
    for (uint16_t candidate = 1; candidate != 0; ++candidate)
        if (type_name(candidate) == text)
            return candidate;
    FAIL("no type is named " << text);
    return 0;
}

// Asks `server` (over TCP) with the DO bit set in the OPT record, "DNSSEC OK"
// (RFC 3225 section 3): only then does a server add the signatures (RRSIG)
// and the proofs that a name or type does not exist (NSEC, NSEC3) to its
// reply (RFC 4035 section 3.1). The resolver's own queries never set it, so
// this builds the query itself; the reply is read by our reader.
Message ask_with_dnssec_ok(const SocketAddress& server, const std::string& name, uint16_t type) {
    Message query;
    query.header.id = random_query_id();
    query.questions.push_back(Question{DnsName::from_text(name), type, class_in});
    query.additionals.push_back(make_opt_record(0, true));
    const auto connection = TcpConnection::connect(server, 2000ms);
    connection.send_all(frame_tcp_message(build_message(query)), 2000ms);
    uint8_t length[2];
    REQUIRE(connection.receive_exactly(length, 2000ms));
    std::vector<uint8_t> reply(static_cast<size_t>(length[0] << 8 | length[1]));
    REQUIRE(connection.receive_exactly(reply, 2000ms));
    return parse_message(reply);
}

// A record as a line of text that holds all of it but its TTL, for comparing.
std::string describe(const ResourceRecord& record) {
    return record.name.to_string() + " " + class_name(record.klass) + " " + type_name(record.type) +
           " " + rdata_to_text(record);
}

} // namespace

TEST_CASE("the presentation text of each type, as dig prints it") {
    CHECK(rdata_to_text(record_from("x.", 1, {192, 0, 2, 1})) == "192.0.2.1");
    CHECK(rdata_to_text(record_from("x.", 15, concat({{0, 10}, name_bytes("mail.example.")}))) ==
          "10 mail.example.");
    CHECK(rdata_to_text(
              record_from("x.", 16, {5, 'p', 'l', 'a', 'i', 'n', 4, '"', '\\', 9, 255, 0})) ==
          R"("plain" "\"\\\009\255" "")");
    CHECK(rdata_to_text(record_from(
              "x.", 28, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1})) ==
          "2001:db8:0:1::1");
    CHECK(rdata_to_text(record_from("x.", 43, {0x30, 0x39, 13, 2, 0xAB, 0xCD})) ==
          "12345 13 2 ABCD");
    CHECK(rdata_to_text(record_from("x.", 48, {1, 1, 3, 8, 'a', 'b', 'c', 'd'})) ==
          "257 3 8 YWJjZA==");
    // NSEC: the next name, then types A (1), MX (15) and RRSIG (46) in window 0.
    CHECK(rdata_to_text(record_from(
              "x.", 47, concat({name_bytes("a.example."), {0, 6, 0x40, 0x01, 0, 0, 0, 0x02}}))) ==
          "a.example. A MX RRSIG");
    // NSEC3: SHA-1, opt-out, 12 iterations, salt AABB, a 5-byte hash, type A.
    CHECK(rdata_to_text(record_from(
              "x.", 50, {1, 1, 0, 12, 2, 0xAA, 0xBB, 5, 0x16, 0x80, 0x0, 0x0, 0x0, 0, 1, 0x40})) ==
          "1 1 12 AABB 2Q000000 A");
    CHECK(rdata_to_text(record_from("x.", 50, {1, 0, 0, 0, 0, 1, 0xFF, 0, 1, 0x40})) ==
          "1 0 0 - VS A");
    // NSEC3PARAM: the apex's copy of NSEC3's hash parameters (RFC 5155 section 4.2).
    CHECK(rdata_to_text(record_from("x.", 51, {1, 0, 0, 0, 4, 0xE6, 0xA6, 0x1C, 0x90})) ==
          "1 0 0 E6A61C90");
    CHECK(rdata_to_text(record_from("x.", 51, {1, 0, 0, 12, 0})) == "1 0 12 -");
    // TLSA: usage, selector, matching type, then the certificate data in hex.
    CHECK(rdata_to_text(record_from("x.", 52, {3, 1, 1, 0xA9, 0xCD})) == "3 1 1 A9CD");
    CHECK(rdata_to_text(record_from("x.", 257, {0, 5, 'i', 's', 's', 'u', 'e', 'c', 'a'})) ==
          "0 issue \"ca\"");
    // HTTPS 1 . alpn="h2,h3" port=8443
    CHECK(rdata_to_text(record_from(
              "x.", 65, {0, 1, 0, 0, 1, 0, 6, 2, 'h', '2', 2, 'h', '3', 0, 3, 0, 2, 0x20, 0xFB})) ==
          "1 . alpn=\"h2,h3\" port=8443");
    // RRSIG's times are printed as dates (RFC 4034 section 3.2).
    CHECK(rdata_to_text(record_from("x.", 46,
                                    concat({{0, 1, 13, 2, 0, 0, 0x0E, 0x10, 0x5E, 0x0B, 0xE1, 0x00,
                                             0x5E, 0x0B, 0xE1, 0x00, 0x08, 0x5F},
                                            name_bytes("example."),
                                            {'a', 'b', 'c'}}))) ==
          "A 13 2 3600 20200101000000 20200101000000 2143 example. YWJj");
}

TEST_CASE("a type without a description is kept as bytes and printed as RFC 3597 says") {
    CHECK(record_fields(65534).empty());
    CHECK(rdata_to_text(record_from("x.", 65534, {0xAB, 0xCD, 0xEF})) == "\\# 3 ABCDEF");
    CHECK(rdata_to_text(record_from("x.", 65534, {})) == "\\# 0");
    // dig breaks long hex into pieces of 56 digits.
    std::vector<uint8_t> forty(40, 0x11);
    CHECK(rdata_to_text(record_from("x.", 65534, forty)) ==
          "\\# 40 " + std::string(56, '1') + " " + std::string(24, '1'));
}

TEST_CASE("RDATA that does not match its type's fields is an error when read") {
    // An A record of 3 bytes and one of 5, an AAAA record of 17 (RDATA of
    // fixed-size fields is checked by its length alone), an MX record with
    // bytes after its name.
    for (const auto& [type, rdata] : std::vector<std::pair<uint16_t, std::vector<uint8_t>>>{
             {1, {192, 0, 2}},
             {1, {192, 0, 2, 1, 9}},
             {28, std::vector<uint8_t>(17, 0x20)},
             {15, concat({{0, 10}, name_bytes("mx."), {0}})},
             {16, {5, 'a'}},
             {47, concat({name_bytes("a."), {0, 33}})}}) {
        INFO("type " << type);
        MessageReader reader(rdata);
        CHECK_THROWS_AS(read_rdata(reader, type, static_cast<uint16_t>(rdata.size())), ParseError);
    }
}

TEST_CASE("names are compressed in the RDATA of RFC 1035 types, and never in the others") {
    Message message;
    message.header.qr = true;
    message.questions.push_back({DnsName::from_text("example.lab"), 15, class_in});
    message.answers.push_back(
        record_from("example.lab", 15, concat({{0, 10}, name_bytes("mail.example.lab")})));
    message.answers.push_back(record_from(
        "_sip._udp.example.lab", 33, concat({{0, 1, 0, 2, 0, 3}, name_bytes("sip.example.lab")})));
    const auto bytes = build_message(message);
    // Header 12, question 13 + 4. MX: owner a pointer (2), 10, preference 2,
    // mail + pointer (7): 21. SRV: _sip._udp + pointer (2 + 10 + 2 = ... ) and its
    // target written in full (17 bytes).
    const std::string wire(bytes.begin(), bytes.end());
    CHECK(wire.find(std::string("\x04mail\xC0\x0C", 7)) != std::string::npos);
    CHECK(wire.find(std::string("\x03sip\x07"
                                "example\x03lab\x00",
                                17)) != std::string::npos);
    const Message read = parse_message(bytes);
    REQUIRE(read.answers.size() == 2);
    CHECK(rdata_to_text(read.answers[0]) == "10 mail.example.lab.");
    CHECK(rdata_to_text(read.answers[1]) == "1 2 3 sip.example.lab.");
}

TEST_CASE("a record rolled back takes its names with it: no pointer into removed bytes") {
    MessageWriter writer(100);
    writer.write_compressed_name(DnsName::from_text("example.lab"));
    const size_t mark = writer.mark();
    writer.write_compressed_name(DnsName::from_text("www.other.test"));
    writer.rollback_to(mark);
    writer.write_compressed_name(DnsName::from_text("ftp.other.test"));
    // other.test must be written again, not pointed at where it used to be.
    CHECK(writer.size() == 13 + 16);
    writer.write_compressed_name(DnsName::from_text("www.example.lab"));
    CHECK(writer.size() == 13 + 16 + 4 + 2); // www + a pointer
    // A name in other case is not the same bytes: written out, so its case stays.
    writer.write_compressed_name(DnsName::from_text("EXAMPLE.LAB"));
    CHECK(writer.size() == 13 + 16 + 4 + 2 + 13);
}

TEST_CASE("every well-formed message in the corpus reads, writes and reads back the same") {
    size_t checked = 0;
    std::set<std::string> types_seen;
    for (const CorpusEntry& entry : corpus_entries()) {
        if (entry.malformed)
            continue;
        INFO(entry.file << " (" << entry.origin << ")");
        const auto bytes = entry.bytes();
        const Message first = parse_message(bytes);
        Message second;
        REQUIRE_NOTHROW(second = parse_message(build_message(first)));
        CHECK(second.questions.size() == first.questions.size());
        for (const auto& [a, b] : {std::pair{&first.answers, &second.answers},
                                   std::pair{&first.authorities, &second.authorities},
                                   std::pair{&first.additionals, &second.additionals}}) {
            REQUIRE(a->size() == b->size());
            for (size_t i = 0; i < a->size(); ++i) {
                CHECK(describe((*a)[i]) == describe((*b)[i]));
                CHECK((*a)[i].rdata == (*b)[i].rdata);
                CHECK((*a)[i].ttl == (*b)[i].ttl);
                types_seen.insert(type_name((*a)[i].type));
            }
        }
        ++checked;
    }
    CHECK(checked > 1900);
    std::string seen;
    for (const auto& type : types_seen)
        seen += type + " ";
    MESSAGE("corpus round trip: " << checked << " messages; types: " << seen);
}

// The records of every type in the test bed (zones/example.lab.zone, under
// types.example.lab), read from Knot by our reader and printed by our printer,
// against what dig prints for the same records.
TEST_CASE("every type prints the way dig prints it (Knot in the test bed)") {
    const char* port = std::getenv("TESTBED_PORT");
    if (port == nullptr) {
        MESSAGE("TESTBED_PORT is not set: the comparison with dig is skipped");
        return;
    }
    const std::vector<std::pair<std::string, std::string>> questions = {
        {"a.types", "A"},         {"example.lab", "NS"},    {"cname.types", "CNAME"},
        {"example.lab", "SOA"},   {"ptr.types", "PTR"},     {"mx.types", "MX"},
        {"txt.types", "TXT"},     {"aaaa.types", "AAAA"},   {"srv.types", "SRV"},
        {"naptr.types", "NAPTR"}, {"ds.types", "DS"},       {"dnskey.types", "DNSKEY"},
        {"rrsig.types", "RRSIG"}, {"nsec.types", "NSEC"},   {"caa.types", "CAA"},
        {"svcb.types", "SVCB"},   {"https.types", "HTTPS"}, {"unknown.types", "TYPE65534"},
        {"hinfo.types", "HINFO"}, {"tlsa.types", "TLSA"},   {"big", "TXT"},
        {"example.lab", "MX"},
    };
    Trace quiet(false);
    EventLoop loop;
    for (const auto& [relative, type_text] : questions) {
        const std::string name =
            relative == "example.lab" ? "example.lab." : relative + ".example.lab.";
        INFO(name << " " << type_text);
        const auto dig = run_command({"dig", "@127.53.10.1", "-p", port, "+norecurse", "+tcp",
                                      "+nocookie", name, type_text});
        std::set<std::string> expected;
        for (const auto& record : dig_section(dig.output, "ANSWER"))
            expected.insert(record.type + " " + record.data);
        REQUIRE(!expected.empty());

        const uint16_t type = type_from_name(type_text);
        const auto server =
            SocketAddress::from_ip("127.53.10.1", static_cast<uint16_t>(std::stoi(port)));
        const Question question{DnsName::from_text(name), type, class_in};
        // DO=0, as dig asks: example.lab is signed, and with DO=1 Knot would
        // add the RRSIGs that dig's answer does not have.
        QueryOptions options{Transport::tcp, true};
        options.dnssec_ok = false;
        const auto reply =
            run_to_completion(loop, ask_server(loop, server, question, options, 2000ms, quiet, 0))
                .message;
        REQUIRE(reply.has_value());
        std::set<std::string> printed;
        for (const auto& record : reply->answers)
            printed.insert(type_name(record.type) + " " + rdata_to_text(record));
        CHECK(printed == expected);
    }
}

// The records that DNSSEC adds, as Knot makes them itself: it signs nsec3.lab
// (NSEC3, RFC 5155) and nsec.lab (NSEC, RFC 4034 section 4) as it loads them,
// with keys made at every start of the test bed (zones/nsec3.lab.zone). Asked
// with DO=1, the answer and authority sections of each reply, owner names
// included (NSEC3's are hashes), printed by our printer against dig's text.
TEST_CASE("DNSSEC records signed by Knot print the way dig prints them (nsec3.lab, nsec.lab)") {
    const char* port = std::getenv("TESTBED_PORT");
    if (port == nullptr) {
        MESSAGE("TESTBED_PORT is not set: the comparison with dig is skipped");
        return;
    }
    struct Asked {
        std::string server; // ns.signed.lab, or lab.'s server for the DS
        std::string name;
        std::string type;
        std::string shows; // a type that the reply must hold, so that it is compared
    };
    const std::vector<Asked> questions = {
        {"127.53.14.1", "nsec3.lab.", "DNSKEY", "DNSKEY"},
        {"127.53.14.1", "nsec3.lab.", "NSEC3PARAM", "NSEC3PARAM"},
        {"127.53.14.1", "www.nsec3.lab.", "A", "RRSIG"},
        // NXDOMAIN: NSEC3 records for the closest encloser and the name that
        // would be next to it (RFC 5155 section 7.2.2), with their RRSIGs.
        {"127.53.14.1", "does-not-exist.nsec3.lab.", "A", "NSEC3"},
        // NODATA: the NSEC3 of www's hash, whose type bitmap has no TXT.
        {"127.53.14.1", "www.nsec3.lab.", "TXT", "NSEC3"},
        {"127.53.14.1", "nsec.lab.", "DNSKEY", "DNSKEY"},
        {"127.53.14.1", "www.nsec.lab.", "NSEC", "NSEC"},
        {"127.53.14.1", "does-not-exist.nsec.lab.", "A", "NSEC"},
        // The DS is the parent's: lab. has it (written by testbed.sh at start).
        {"127.53.1.1", "nsec3.lab.", "DS", "DS"},
    };
    const uint16_t port_number = static_cast<uint16_t>(std::stoi(port));
    size_t compared = 0;
    std::set<std::string> types_compared;
    std::optional<std::string> nsec3_owner;
    const auto compare_with_dig = [&](const Asked& asked) {
        INFO(asked.name << " " << asked.type << " at " << asked.server);
        const auto dig = run_command({"dig", "@" + asked.server, "-p", port, "+norecurse", "+tcp",
                                      "+nocookie", "+dnssec", asked.name, asked.type});
        INFO("dig printed:\n" << dig.output);
        std::set<std::string> expected;
        for (const char* section : {"ANSWER", "AUTHORITY"})
            for (const auto& record : dig_section(dig.output, section))
                expected.insert(std::string(section) + " " + record.name + " " + record.type + " " +
                                record.data);
        const bool shows_type =
            std::any_of(expected.begin(), expected.end(), [&](const std::string& line) {
                return line.find(" " + asked.shows + " ") != std::string::npos;
            });
        REQUIRE_MESSAGE(shows_type, "dig shows no " << asked.shows << " record");

        const Message reply = ask_with_dnssec_ok(SocketAddress::from_ip(asked.server, port_number),
                                                 asked.name, type_from_name(asked.type));
        std::set<std::string> printed;
        for (const auto& [section, records] :
             {std::pair{"ANSWER", &reply.answers}, std::pair{"AUTHORITY", &reply.authorities}})
            for (const auto& record : *records) {
                printed.insert(std::string(section) + " " + record.name.to_string() + " " +
                               type_name(record.type) + " " + rdata_to_text(record));
                types_compared.insert(type_name(record.type));
                if (type_name(record.type) == "NSEC3" && !nsec3_owner)
                    nsec3_owner = record.name.to_string();
            }
        std::string ours;
        for (const auto& line : printed)
            ours += line + "\n";
        INFO("our printer:\n" << ours);
        CHECK(printed == expected);
        compared += printed.size();
    };
    for (const Asked& asked : questions)
        compare_with_dig(asked);
    // The owners of NSEC3 records are hashes (with a salt that is new at every
    // start): ask for one by its name, type NSEC3. It is not a name of the
    // zone's tree (RFC 5155 section 7.2.8), so Knot answers NXDOMAIN, with
    // more NSEC3 records.
    REQUIRE(nsec3_owner.has_value());
    compare_with_dig({"127.53.14.1", *nsec3_owner, "NSEC3", "NSEC3"});
    std::string types;
    for (const auto& type : types_compared)
        types += type + " ";
    MESSAGE("DNSSEC presentation: " << compared << " records compared with dig; types: " << types);
    CHECK(types_compared == std::set<std::string>{"A", "DNSKEY", "DS", "NSEC", "NSEC3",
                                                  "NSEC3PARAM", "RRSIG", "SOA"});
}
