#include "reply_classification.hpp"

#include "code_names.hpp"
#include "dname.hpp"
#include "dnssec_records.hpp"
#include "edns.hpp"
#include "resolution.hpp" // the rcodes

#include <algorithm>
#include <optional>

namespace dns {

namespace {

// A reply may hold a chain of CNAMEs (RFC 1034 section 3.6.2); follow at most
// this many inside one reply.
constexpr int max_cnames_in_reply = 8;

// The records that answer `question` in the answer section: a chain of
// aliases that starts at the name asked, then the records of the type asked
// at its end. A question for ANY is answered by records of every type (RFC
// 1035 3.2.3). An alias is a CNAME of the name itself, or a DNAME of a name
// above it (RFC 6672), with the CNAME it implies made here (dname.hpp): a
// server may leave it out, or send one that does not match. Only names inside
// `zone_asked` are believed: a server may say that a name of its own zone is
// an alias for a name elsewhere, but it has no authority over what that other
// name holds (RFC 2181 section 5.4.1), so the chain stops there; an address it
// adds for www.bank.example would be a poisoning attempt.
struct AnswerChain {
    std::vector<ResourceRecord> records;
    // A DNAME made a name longer than 255 bytes: YXDOMAIN (RFC 6672 2.2).
    bool too_long = false;
};

AnswerChain find_answers(const Message& reply, const Question& question,
                         const DnsName& zone_asked) {
    AnswerChain chain;
    // The name whose records are looked for: the question's, then each
    // alias's target. Only the names the chain leads to are copies.
    const DnsName* current = &question.name;
    std::optional<DnsName> target;
    std::vector<DnsName> visited;
    for (int links = 0; links <= max_cnames_in_reply && current->is_in(zone_asked); ++links) {
        // A CNAME loop inside one reply: the chain so far ends at a name seen
        // before, and the resolver sees the loop there.
        for (const auto& name : visited)
            if (name == *current)
                return chain;
        const size_t found_from = chain.records.size();
        for (const auto& record : reply.answers)
            if (record.name == *current &&
                (record.type == question.type || question.type == type_any) &&
                record.klass == question.klass)
                chain.records.push_back(record);
        if (chain.records.size() > found_from)
            return chain;
        const ResourceRecord* dname = nullptr;
        for (const auto& record : reply.answers)
            if (record.type == type_dname && dname_applies(record, *current) &&
                record.name.is_in(zone_asked))
                dname = &record;
        if (dname != nullptr) {
            chain.records.push_back(*dname);
            auto substituted = substitute_dname(*dname, *current);
            if (!substituted) {
                chain.too_long = true;
                return chain;
            }
            chain.records.push_back(synthesized_cname(*dname, *current, *substituted));
            visited.push_back(*current);
            target = std::move(*substituted);
            current = &*target;
            continue;
        }
        const ResourceRecord* alias = nullptr;
        for (const auto& record : reply.answers)
            if (record.name == *current && record.type == type_cname)
                alias = &record;
        if (alias == nullptr)
            break;
        chain.records.push_back(*alias);
        visited.push_back(*current);
        target = rdata_as_name(*alias);
        current = &*target;
    }
    // A chain that ends in a CNAME whose target has no records here is passed on
    // as it is: the resolver follows it from the root (IterativeResolver::resolve).
    return chain;
}

// The SOA records of the authority section that a negative answer carries
// (RFC 2308 section 3), if they belong to the zone asked.
std::vector<ResourceRecord> find_negative_soa(const Message& reply, const DnsName& zone_asked) {
    std::vector<ResourceRecord> soa;
    for (const auto& record : reply.authorities)
        if (record.type == type_soa && record.name.is_in(zone_asked))
            soa.push_back(record);
    return soa;
}

// A server asked with DO=1 (RFC 4035 section 3.1) adds the RRSIG of each
// RRset it sends, and proves a negative answer (or a wildcard's) with NSEC or
// NSEC3 records in the authority section. What the validator needs of them is
// kept with the reply: the RRSIGs over the answer's records, and the
// authority section's DNSSEC records, all inside the zone asked. The rest is
// dropped here, as every record the classifier does not take. (An answer to
// ANY holds the RRSIGs among its records already.)
void keep_dnssec_records(const Message& reply, const Question& question, const DnsName& zone_asked,
                         ClassifiedReply& classified) {
    for (const auto& rrsig : reply.answers) {
        if (rrsig.type != type_rrsig || question.type == type_any || !rrsig.name.is_in(zone_asked))
            continue;
        for (const auto& record : classified.answers)
            if (rrsig_covers(rrsig, record)) {
                classified.answer_rrsigs.push_back(rrsig);
                break;
            }
    }
    for (const auto& record : reply.authorities)
        if ((record.type == type_nsec || record.type == type_nsec3 || record.type == type_rrsig) &&
            record.name.is_in(zone_asked))
            classified.authority_dnssec.push_back(record);
}

ClassifiedReply unusable(std::string why) {
    ClassifiedReply classified;
    classified.why = std::move(why);
    return classified;
}

ClassifiedReply classify(const Message& reply, const Question& question,
                         const DnsName& zone_asked) {
    const Header& header = reply.header;
    if (header.tc)
        return unusable("the reply is truncated (TC=1)");
    // With EDNS the rcode has 8 more bits, in the OPT record (RFC 6891 section
    // 6.1.3): a reply whose whole rcode is not the header's four bits says
    // something else than it seems (BADVERS, say), and is not an answer.
    try {
        if (const auto edns = find_edns(reply); edns && edns->extended_rcode != 0)
            return unusable(
                "the server answered " +
                rcode_name(static_cast<uint16_t>(edns->extended_rcode << 4 | header.rcode)));
    } catch (const EdnsError& error) {
        return unusable(std::string("malformed EDNS in the reply: ") + error.what());
    }
    // A DNAME that makes the name asked longer than a name may be: the server
    // answers YXDOMAIN (RFC 6672 section 2.2), and so do we, whatever rcode it
    // gave; the client gets the DNAME that did it.
    AnswerChain chain;
    if (header.rcode == rcode_yxdomain || header.rcode == rcode_noerror ||
        header.rcode == rcode_nxdomain) {
        chain = find_answers(reply, question, zone_asked);
        if (chain.too_long) {
            ClassifiedReply classified;
            classified.kind = ReplyKind::yxdomain;
            classified.answers = std::move(chain.records);
            return classified;
        }
    }
    if (header.rcode == rcode_nxdomain) {
        // "Meaningful only for responses from an authoritative name server"
        // (RFC 1035 section 4.1.1): anyone else may be wrong, or lying.
        if (!header.aa)
            return unusable("NXDOMAIN from a server that is not authoritative");
        // The name asked, or the end of the CNAME chain before it, does not
        // exist (RFC 6604 section 2): the chain is part of the answer.
        ClassifiedReply classified;
        classified.kind = ReplyKind::nxdomain;
        classified.answers = std::move(chain.records);
        // A chain that leaves the zone asked ends at a name this server has no
        // authority over: the NXDOMAIN is about that name (RFC 6604 section 2)
        // and is not believed. The chain is an answer, and its last alias is
        // asked of the servers of its own zone.
        if (!classified.answers.empty() && classified.answers.back().type == type_cname &&
            !rdata_as_name(classified.answers.back()).is_in(zone_asked)) {
            classified.kind = ReplyKind::answer;
            return classified;
        }
        classified.negative_soa = find_negative_soa(reply, zone_asked);
        return classified;
    }
    if (header.rcode != rcode_noerror)
        return unusable("the server answered " + rcode_name(header.rcode));

    ClassifiedReply classified;
    classified.answers = std::move(chain.records);
    if (!classified.answers.empty()) {
        classified.kind = ReplyKind::answer;
        return classified;
    }

    // A referral: NS records in the authority section for a zone below the one
    // asked, and above (or at) the name we look for. The zone's own NS set is
    // no referral: many authoritative servers add it to an answer or to a
    // NODATA, and it leads nowhere new.
    bool own_ns_set = false;
    for (const auto& record : reply.authorities) {
        if (record.type != type_ns)
            continue;
        const DnsName& child = record.name;
        if (child == zone_asked) {
            own_ns_set = true;
            continue;
        }
        // A DS record lives on the parent's side of a delegation (RFC 4035
        // section 3.1.4.1): for a DS question, a referral to the name's own
        // zone leads to the one server that cannot answer it.
        const bool ds_sent_to_child = question.type == type_ds && child == question.name;
        if (!child.is_in(zone_asked) || !question.name.is_in(child) || ds_sent_to_child)
            return unusable("a referral to " + child.to_string() +
                            ", which does not lead closer to " + question.name.to_string());
        classified.kind = ReplyKind::referral;
        classified.referral_zone = child;
        break;
    }
    if (classified.kind == ReplyKind::referral) {
        classified.referral_ttl = UINT32_MAX;
        for (const auto& record : reply.authorities) {
            if (record.type != type_ns || !(record.name == classified.referral_zone))
                continue;
            classified.referral_ttl = std::min(classified.referral_ttl, record.ttl);
            NameServer server{rdata_as_name(record), {}};
            // Glue: the addresses of the name servers, in the additional section.
            // Only addresses of names inside the zone asked are believed: the
            // server has no authority over other names (the bailiwick rule).
            // IPv4 addresses (A) first, then IPv6 (AAAA): on a machine without
            // IPv6, asking an IPv6 address fails at once and the next is tried.
            for (const auto type : {type_a, type_aaaa})
                for (const auto& extra : reply.additionals)
                    if (extra.type == type && extra.name == server.name &&
                        server.name.is_in(zone_asked) &&
                        extra.rdata.size() == (type == type_a ? 4u : 16u)) {
                        server.addresses.push_back(
                            SocketAddress::from_ip(rdata_to_text(extra), 53));
                        classified.referral_ttl = std::min(classified.referral_ttl, extra.ttl);
                    }
            classified.referral_servers.push_back(server);
        }
        return classified;
    }

    // No answer and no referral: the name exists, without records of the type
    // asked (NODATA, RFC 2308 section 2.2), when the server speaks for the
    // zone. It does when it says so (AA=1), with the zone's SOA, its own NS set
    // or nothing at all. Some authoritative servers leave AA clear; one that
    // offers no recursion (RA=0) can only be answering from its own zones, so
    // its empty reply is NODATA too, as Unbound, Knot Resolver and PowerDNS
    // Recursor take it (unless it hands back the zone's own NS set: that is a
    // referral to where we already are). A server that offers recursion (RA=1)
    // but is not authoritative is a resolver that does not serve the zone.
    // No server speaks for a name outside the zone it was asked about.
    if (!question.name.is_in(zone_asked))
        return unusable("no answer for " + question.name.to_string() + ", which is outside " +
                        zone_asked.to_string());
    if (header.aa || (!header.ra && !own_ns_set)) {
        classified.kind = ReplyKind::nodata;
        classified.negative_soa = find_negative_soa(reply, zone_asked);
        return classified;
    }
    if (own_ns_set)
        return unusable("a referral to " + zone_asked.to_string() +
                        ", the zone asked, and not authoritative (a lame server)");
    return unusable("no answer and no referral from a server that offers recursion and is "
                    "not authoritative (a lame server)");
}

} // namespace

// A record whose data should be a name and is not (a CNAME or NS record with
// a few stray bytes for RDATA) cannot be followed: the reply is unusable, and
// the next server is asked. (Found by the fuzzer: the exception went up through
// the whole lookup.)
ClassifiedReply classify_reply(const Message& reply, const Question& question,
                               const DnsName& zone_asked) {
    ClassifiedReply classified;
    try {
        classified = classify(reply, question, zone_asked);
    } catch (const ParseError& error) {
        return unusable(std::string("a record's data cannot be read: ") + error.what());
    }
    if (classified.kind != ReplyKind::unusable && classified.kind != ReplyKind::referral)
        keep_dnssec_records(reply, question, zone_asked, classified);
    return classified;
}

} // namespace dns
