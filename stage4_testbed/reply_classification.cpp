#include "reply_classification.hpp"

#include "code_names.hpp"

namespace dns {

namespace {

constexpr uint8_t rcode_noerror = 0;
constexpr uint8_t rcode_nxdomain = 3;
// A reply may hold a chain of CNAMEs (RFC 1034 section 3.6.2); follow at most
// this many inside one reply.
constexpr int max_cnames_in_reply = 8;

// The records that answer `question` in the answer section: a CNAME chain that
// starts at the name asked, then the records of the type asked at its end.
// Only names inside `zone_asked` are believed: a server may say that a name of
// its own zone is an alias for a name elsewhere, but it has no authority over
// what that other name holds (RFC 2181 section 5.4.1), so the chain stops
// there; an address it adds for www.bank.example would be a poisoning attempt.
std::vector<ResourceRecord> find_answers(const Message& reply, const Question& question,
                                         const DnsName& zone_asked) {
    std::vector<ResourceRecord> chain;
    DnsName current = question.name;
    for (int links = 0; links <= max_cnames_in_reply && current.is_in(zone_asked); ++links) {
        std::vector<ResourceRecord> found;
        for (const auto& record : reply.answers)
            if (record.name == current && record.type == question.type &&
                record.klass == question.klass)
                found.push_back(record);
        if (!found.empty()) {
            chain.insert(chain.end(), found.begin(), found.end());
            return chain;
        }
        const ResourceRecord* alias = nullptr;
        for (const auto& record : reply.answers)
            if (record.name == current && record.type == type_cname)
                alias = &record;
        if (alias == nullptr)
            break;
        chain.push_back(*alias);
        current = rdata_as_name(*alias);
    }
    // A chain that ends in a CNAME whose target has no records here is passed on
    // as it is: following it into another zone is a later lesson.
    return chain;
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
    if (header.rcode == rcode_nxdomain) {
        // "Meaningful only for responses from an authoritative name server"
        // (RFC 1035 section 4.1.1): anyone else may be wrong, or lying.
        if (!header.aa)
            return unusable("NXDOMAIN from a server that is not authoritative");
        // The name that does not exist is the last one of a CNAME chain in the
        // reply, if there is one (RFC 6604 section 3): the chain goes to the client.
        ClassifiedReply classified;
        classified.kind = ReplyKind::nxdomain;
        classified.answers = find_answers(reply, question, zone_asked);
        return classified;
    }
    if (header.rcode != rcode_noerror)
        return unusable("the server answered " + rcode_name(header.rcode));

    ClassifiedReply classified;
    classified.answers = find_answers(reply, question, zone_asked);
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
        if (!child.is_in(zone_asked) || !question.name.is_in(child))
            return unusable("a referral to " + child.to_string() +
                            ", which does not lead closer to " + question.name.to_string());
        classified.kind = ReplyKind::referral;
        classified.referral_zone = child;
        break;
    }
    if (classified.kind == ReplyKind::referral) {
        for (const auto& record : reply.authorities) {
            if (record.type != type_ns || !(record.name == classified.referral_zone))
                continue;
            NameServer server{rdata_as_name(record), {}};
            // Glue: the addresses of the name servers, in the additional section.
            // Only addresses of names inside the zone asked are believed: the
            // server has no authority over other names (the bailiwick rule).
            for (const auto& extra : reply.additionals)
                if (extra.type == type_a && extra.rdata.size() == 4 && extra.name == server.name &&
                    server.name.is_in(zone_asked))
                    server.addresses.push_back(SocketAddress::from_ip(rdata_to_text(extra), 53));
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
    try {
        return classify(reply, question, zone_asked);
    } catch (const ParseError& error) {
        return unusable(std::string("a record's data cannot be read: ") + error.what());
    }
}

} // namespace dns
