// QNAME minimisation (RFC 9156): each server is told only as much of the name
// as it needs to know.
//
// To find www.dept.school.learn, stages 3 to 6 ask every server on the way the
// whole name: the root servers learn which host in which department of which
// school this client wants, though all they can say is "ask learn.'s servers".
// A minimising resolver asks the root for learn. alone, learn.'s servers for
// school.learn., and so on: each server sees one label more than the zone it
// serves (RFC 9156 section 2), and only the last one sees the whole question.
//
// The walk down (RFC 9156 section 3, the algorithm):
//   - start below the closest zone cut known (the root, or a cached delegation);
//   - ask the zone's servers for one label more of the name, type A;
//   - a referral moves the cut down: go on below it;
//   - NODATA, or records of that name (a name that exists without a zone cut
//     of its own, an empty non-terminal among them): the same servers are
//     asked one more label; these are facts about that name, never the
//     client's answer;
//   - when one label is left, the client's own question is asked.
// And what some real servers need (section 2.3's fallbacks, "relaxed" as in
// Unbound's default, qname-minimisation-strict: no):
//   - an NXDOMAIN for a name on the way: RFC 8020 says nothing exists below
//     it, but some servers answer NXDOMAIN for an empty non-terminal wrongly;
//     Unbound then asks the whole name again (unless DNSSEC proves the
//     NXDOMAIN, which this resolver does not check), and so do we, of the
//     server that said it;
//   - no reply, or an error (REFUSED, SERVFAIL, FORMERR, an unusable reply)
//     to a minimised query: the next server of the zone is asked the whole
//     question, as Unbound does, in case the server mishandles minimised
//     queries. Below the next zone cut, the names are minimised again.
// Every step asks a longer name or goes down a zone cut, and the steps are
// counted (max_minimise_count): the walk cannot loop.
#pragma once

#include "cache.hpp"
#include "reply_classification.hpp"
#include "trace.hpp"

#include <cstdint>
#include <optional>

namespace dns {

// RFC 9156 section 2.3: a name of many labels (a reverse IPv6 name has 34)
// would cost a query per label. At most this many names are asked on the way
// down for one lookup (MAX_MINIMISE_COUNT; the RFC recommends 10) ...
constexpr int max_minimise_count = 10;
// ... the first this many of them one label longer each (MINIMISE_ONE_LAB,
// "a good value is 4"); after them, the labels left are spread over the steps
// left, so that the last one is the whole name.
constexpr int minimise_one_label = 4;

// The type of the queries for the names on the way down. RFC 9156 section
// 2.1 leaves the choice open. NS would make a zone cut answer with the NS
// set itself, but some servers and middleboxes answer NS queries badly or not
// at all, and a query for NS stands out as the query of a minimising resolver.
// A is the most common query there is, and any authoritative server answers
// it: with a referral at a zone cut, NODATA or an address elsewhere. Unbound
// uses A; so do we.
constexpr uint16_t minimised_query_type = type_a;

// The name asked at step `step` of a lookup (1 for its first minimised
// query): `known` (the zone cut, or the longest name found to exist below it)
// and one or more labels of `name` more. `known` is `name` or an ancestor of it.
DnsName minimised_name(const DnsName& name, const DnsName& known, int step);

// The questions one walk down asks, from the closest zone cut to the client's
// question.
class MinimisedWalk {
  public:
    // `question`: the client's (or a nested lookup's) question; `zone`: the
    // closest zone cut whose servers are known. With `enabled` false
    // (--qname-minimisation off), every server is asked `question`, as in
    // stages 3 to 6. The cache tells which names on the way exist already.
    // The walk keeps a reference to `question`, which outlives it (the
    // lookup's own), and copies no name of its own while minimisation is
    // off.
    MinimisedWalk(const Question& question, const DnsName& zone, bool enabled, Cache& cache,
                  Trace& trace, int depth);

    // What the servers of the current zone are asked now.
    const Question& question() const { return minimised_ ? *minimised_ : question_; }
    // True while that is not the client's question.
    bool minimising() const { return minimised_.has_value(); }

    // A referral to `zone`: its servers are asked from one label below it.
    void referred_to(const DnsName& zone);
    // The reply to a name on the way, if it is one: NODATA or records of that
    // name (cached like any other answer for it): the same servers are asked
    // one more label, and the result is true. False for a referral, or a
    // reply to the client's question: the walk handles those as before.
    bool took_intermediate_reply(ClassifiedReply& reply);
    // A server did not reply to a minimised question, or failed it: the next
    // server of the zone is asked the whole question.
    void server_failed();
    // NXDOMAIN for a name on the way: true if the server is to be asked the
    // whole question again (relaxed mode: it may deny an empty non-terminal).
    bool ask_again_after_denial(const ClassifiedReply& reply);

  private:
    // Asks the next name below `known_`, skipping the names the cache knows
    // to exist (RFC 9156 section 3).
    void go_deeper();
    void ask_whole_question();

    const Question& question_;
    std::optional<Question> minimised_; // the name on the way asked now, if any
    // The zone cut, or the longest name below it known to exist (kept only
    // while minimising: nothing else reads it).
    DnsName known_;
    int steps_ = 0; // minimised names chosen so far
    bool enabled_;
    Cache& cache_;
    Trace& trace_;
    int depth_;
};

} // namespace dns
