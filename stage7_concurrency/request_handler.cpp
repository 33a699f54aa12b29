#include "request_handler.hpp"

#include "code_names.hpp"
#include "common/hex_dump.hpp"
#include "dig_format.hpp"
#include "dnssec_records.hpp"
#include "edns.hpp"
#include "extended_errors.hpp"
#include "header.hpp"
#include "outgoing_messages.hpp"
#include "trace.hpp"

#include <chrono>
#include <sstream>

namespace dns {

namespace {

using Clock = std::chrono::steady_clock;

// The most a response may hold: over TCP, a whole DNS message; over UDP, 512
// bytes (RFC 1035 section 4.2.1) unless the client's EDNS offers more, and then
// no more than we offer ourselves, to stay clear of IP fragmentation.
size_t response_size_limit(Transport transport, const std::optional<Edns>& edns) {
    if (transport == Transport::tcp)
        return max_tcp_message_size;
    if (!edns)
        return max_udp_message_size;
    return std::min<size_t>(edns->udp_payload_size, our_udp_payload_size);
}

// The records of a section as a client that asked for DNSSEC's records
// (DO=1) gets them: each RRset followed by its RRSIGs, as authoritative
// servers send them (RFC 4035 section 3.1.1), then the rest (NSEC, NSEC3).
std::vector<ResourceRecord> with_dnssec_records(const std::vector<ResourceRecord>& records,
                                                const std::vector<ResourceRecord>& dnssec) {
    std::vector<ResourceRecord> section;
    std::vector<bool> placed(dnssec.size(), false);
    for (size_t i = 0; i < records.size(); ++i) {
        section.push_back(records[i]);
        const bool rrset_ends = i + 1 == records.size() || records[i + 1].type != records[i].type ||
                                !(records[i + 1].name == records[i].name);
        if (!rrset_ends)
            continue;
        for (size_t j = 0; j < dnssec.size(); ++j)
            if (!placed[j] && rrsig_covers(dnssec[j], records[i])) {
                section.push_back(dnssec[j]);
                placed[j] = true;
            }
    }
    // The NSEC and NSEC3 records, each followed by its RRSIGs.
    for (size_t j = 0; j < dnssec.size(); ++j) {
        if (placed[j] || dnssec[j].type == type_rrsig)
            continue;
        section.push_back(dnssec[j]);
        for (size_t k = 0; k < dnssec.size(); ++k)
            if (!placed[k] && rrsig_covers(dnssec[k], dnssec[j])) {
                section.push_back(dnssec[k]);
                placed[k] = true;
            }
    }
    for (size_t j = 0; j < dnssec.size(); ++j)
        if (!placed[j] && dnssec[j].type == type_rrsig)
            section.push_back(dnssec[j]);
    return section;
}

} // namespace

// Stage 6 answers every type of question, but not these: AXFR and IXFR copy
// a whole zone from its own servers (RFC 5936, RFC 1995), not through a
// resolver; MAILB and MAILA, question types of RFC 1035 section 3.2.3, were
// never taken up and no server answers them.
bool is_zone_transfer_or_obsolete(uint16_t type) {
    return type == 251 || type == 252 || type == 253 || type == 254;
}

Task<std::optional<std::vector<uint8_t>>> RequestHandler::handle(std::span<const uint8_t> request,
                                                                 Transport transport,
                                                                 std::string client,
                                                                 int* upstream_queries) {
    // With --quiet the log is a stream that drops everything: nothing to collect.
    if (!log_)
        co_return co_await respond_to(request, transport, client, log_, upstream_queries);
    std::ostringstream log;
    log << "Received " << request.size() << " bytes"
        << (transport == Transport::tcp ? " over TCP" : "") << " from " << client << "\n";
    if (hexdump_)
        log << format_hex_dump(request);
    auto response = co_await respond_to(request, transport, client, log, upstream_queries);
    print_whole(log_, log.str() + "\n");
    co_return response;
}

Task<std::optional<std::vector<uint8_t>>>
RequestHandler::respond_to(std::span<const uint8_t> request, Transport transport,
                           const std::string& client, std::ostream& log, int* upstream_queries) {
    // Without a whole header there is no ID to answer to: say nothing.
    Header header;
    try {
        MessageReader reader(request);
        header = parse_header(reader);
    } catch (const ParseError&) {
        log << "Cannot parse the message from " << client << ": " << request.size()
            << " bytes are too few for a DNS header; not answered\n";
        co_return std::nullopt;
    }
    // Answering a response could bounce traffic between two servers forever, or
    // let a forged sender address aim our answers at a victim: never answer one.
    if (header.qr) {
        log << "Not answered: the message from " << client << " is a response (QR=1)\n";
        co_return std::nullopt;
    }

    // From here on every request gets an answer, with an rcode that says why
    // when it is not served. A query whose header is all that can be read gets
    // FORMERR and no question back.
    Message query;
    query.header = header;
    // What the response says beyond its rcode: AA for a local zone's answer,
    // and why it is a SERVFAIL or REFUSED (RFC 8914), to a client with EDNS.
    bool authoritative = false;
    bool authenticated = false; // AD: DNSSEC validated the answer
    std::optional<ExtendedError> extended_error;
    const auto respond = [&](uint16_t rcode, const std::vector<ResourceRecord>& answers,
                             const std::optional<Edns>& edns,
                             const std::vector<ResourceRecord>& authorities = {}) {
        // The question is echoed back only when there is exactly one, and the
        // query could be read: the fuzzer found queries (a FORMERR one, then a
        // NOTIFY) with many compressed questions that, written out in full, do
        // not fit in 512 bytes.
        if (rcode == rcode_formerr || query.questions.size() != 1)
            query.questions.clear();
        std::optional<ResourceRecord> opt =
            edns ? std::optional(make_opt_record(rcode, edns->dnssec_ok)) : std::nullopt;
        if (opt && extended_error)
            add_extended_error(*opt, *extended_error);
        if (log) // with --quiet, nothing to write (and no text to build)
            log << "Answered " << rcode_name(rcode) << " with " << answers.size() << " record(s)";
        auto response = build_response(query, rcode, answers, response_size_limit(transport, edns),
                                       opt, authorities);
        if (authoritative)
            response[2] |= 0x04; // AA (RFC 1035 section 4.1.1)
        if (authenticated)       // AD (RFC 4035 section 3.2.3)
            response[3] |= header_flags::in_byte_3(header_flags::ad);
        return response;
    };

    const auto formerr = [&] {
        auto response = respond(rcode_formerr, {}, std::nullopt);
        log << "\n";
        return response;
    };

    try {
        query = parse_message(request);
    } catch (const ParseError& error) {
        log << "Cannot parse the message from " << client << ": " << error.what()
            << "; answering FORMERR\n";
        co_return formerr();
    }
    // With --quiet the log drops everything: do not build the text at all.
    if (log)
        log << format_like_dig(query);

    std::optional<Edns> edns;
    try {
        edns = find_edns(query);
    } catch (const EdnsError& error) {
        log << "Malformed EDNS in the message from " << client << ": " << error.what()
            << "; answering FORMERR\n";
        co_return formerr();
    }

    uint16_t rcode = rcode_noerror;
    Resolution resolution;
    const auto started = Clock::now();
    if (edns && edns->version != 0) {
        rcode = rcode_badvers; // we speak EDNS version 0 only (RFC 6891 section 6.1.3)
    } else if (header.opcode != 0) {
        rcode = rcode_notimp; // NOTIFY, UPDATE, ...: not a resolver's job
    } else if (query.questions.size() != 1) {
        rcode = rcode_formerr; // a query asks one question (RFC 9619)
    } else if (query.questions[0].klass != class_in) {
        rcode = rcode_refused; // CH, HS: other namespaces, not served here
        extended_error = ExtendedError{ede::not_supported,
                                       "refused: class " + class_name(query.questions[0].klass) +
                                           " is not served here"};
    } else if (is_zone_transfer_or_obsolete(query.questions[0].type)) {
        rcode = rcode_notimp; // a zone transfer is asked of the zone's servers
    } else if (auto local =
                   local_zones_ ? local_zones_->answer(query.questions[0]) : std::nullopt) {
        resolution = std::move(*local); // a local zone: nobody is asked
        rcode = resolution.rcode;
    } else if (!header.rd) {
        // RD=0: the client asks what this server knows, not for a lookup
        // (RFC 1034 section 4.3.1: recursion only when it is asked for). It
        // gets what the cache holds, or REFUSED: never a lookup on its
        // behalf. (Unbound refuses such queries altogether unless the client
        // may "snoop"; the clients here are the access list's, whom we trust
        // to see what the cache holds, as a stub resolver's RD=0 checks do.)
        auto cached = from_cache_ ? from_cache_(query.questions[0]) : std::nullopt;
        if (cached)
            resolution = std::move(*cached);
        rcode = cached ? resolution.rcode : rcode_refused;
        if (!cached)
            extended_error =
                ExtendedError{ede::not_authoritative, "refused: RD=0, and the cache has no answer"};
    } else {
        // 3. Perform the lookup.
        resolution = co_await lookup_(query.questions[0]);
        rcode = resolution.rcode;
    }
    authoritative = resolution.authoritative;
    // DNSSEC (dnssec_validator.hpp). A bogus answer is not given: SERVFAIL,
    // and the EDE says which link broke (RFC 4035 section 5.5, RFC 8914),
    // unless the client checks signatures itself and said so with CD=1
    // (RFC 4035 section 3.2.2): it gets the data as it is, to judge.
    if (resolution.security == Security::bogus) {
        if (header.cd) {
            resolution.extended_error.reset();
        } else {
            rcode = rcode_servfail;
            resolution.answers.clear();
            resolution.authorities.clear();
            resolution.answer_rrsigs.clear();
            resolution.authority_dnssec.clear();
        }
    }
    extended_error = extended_error ? extended_error : resolution.extended_error;
    if (!extended_error && rcode == rcode_servfail)
        extended_error = ExtendedError{ede::other, "the lookup failed"};
    // 4. The response. A client that asks for DNSSEC's records (DO=1) gets
    // the RRSIGs and proofs (RFC 4035 section 3.2.1); AD says that every
    // record was validated, to a client that sets DO or AD (RFC 6840
    // section 5.8): an older client, which sets neither, may not expect it.
    const bool dnssec_ok = edns && edns->dnssec_ok;
    authenticated = resolution.security == Security::secure && (dnssec_ok || header.ad);
    auto response =
        dnssec_ok
            ? respond(rcode, with_dnssec_records(resolution.answers, resolution.answer_rrsigs),
                      edns,
                      with_dnssec_records(resolution.authorities, resolution.authority_dnssec))
            : respond(rcode, resolution.answers, edns, resolution.authorities);
    if (upstream_queries != nullptr)
        *upstream_queries = resolution.upstream_queries;
    if (log) {
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        log << " after " << resolution.upstream_queries << " upstream queries in "
            << elapsed.count() << " ms" << (transport == Transport::tcp ? " (over TCP)" : "")
            << "\n";
    }
    co_return response;
}

} // namespace dns
