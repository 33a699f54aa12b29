// Reading what dig printed: the status of the reply, its flags, and its records.
// Tests compare the resolver's answers (dig @resolver) with the authoritative
// servers' own (dig +norec @server) through these.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace dns::testing {

struct DigRecord {
    std::string name;
    unsigned long ttl = 0;
    std::string klass;
    std::string type;
    std::string data;

    // Records are compared without their TTLs, which a resolver counts down.
    auto key() const { return name + " " + klass + " " + type + " " + data; }
};

// "NOERROR", "NXDOMAIN", ... from ";; ->>HEADER<<- opcode: QUERY, status: X, id: N";
// empty if dig got no reply.
std::string dig_status(const std::string& output);
// The flags of the reply: "qr rd ra".
std::string dig_flags(const std::string& output);
// The records of one section ("ANSWER", "AUTHORITY", "ADDITIONAL").
std::vector<DigRecord> dig_section(const std::string& output, const std::string& section);
// The keys (records without TTL) of a section, as a set: order does not matter.
std::set<std::string> record_keys(const std::vector<DigRecord>& records);
// `text` in lower case (ASCII): names compare without case.
std::string lower(std::string text);

// The answer records as two resolvers' answers are compared: without TTLs, in
// lower case (a resolver may pass on the case of the question or of the
// authority's data), in any order; an RRSIG without its times and signature
// (a zone with two servers, such as the test bed's root, lab. and
// example.lab., is signed by each on its own, with the same keys, so which
// server was asked changes those and nothing else).
std::set<std::string> answer_keys(const std::string& output);

// The records of one type in a section, each as "NAME DATA".
std::vector<std::string> data_of(const std::string& output, const std::string& section,
                                 const std::string& type);

} // namespace dns::testing
