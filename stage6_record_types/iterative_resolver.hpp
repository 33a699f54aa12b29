// IterativeResolver: finds the answer to a question by walking down the tree of
// zones from the root, the way RFC 1034 section 5.3.3 describes:
//
//   1. start with the root servers;
//   2. ask one of the current servers the client's question (RD=0);
//   3. an answer, NXDOMAIN or NODATA ends the lookup; a referral names the servers
//      of a zone closer to the name: they become the current servers; go to 2.
//   4. an answer that is a CNAME whose target has no records in the same reply
//      starts the lookup again, from the root, for the target (RFC 1034
//      section 5.3.3, step 3): a chain of aliases may cross many zones.
//
// A server that does not reply in time, or replies with something unusable, is
// skipped for the next one. A referral without glue names servers whose addresses
// we do not know: they are looked up first, by a lookup nested in this one.
// Every loop is bounded by the Limits below; a lookup that cannot finish within
// them ends in SERVFAIL.
#pragma once

#include "message.hpp"
#include "reply_classification.hpp"
#include "root_hints.hpp"
#include "trace.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace dns {

struct Limits {
    // How long to wait for one server's reply before asking the next one.
    std::chrono::milliseconds upstream_timeout{1000};
    // How long one client's question may take in all, nested lookups included.
    // dig waits 5 seconds: the client hears SERVFAIL before it gives up.
    std::chrono::milliseconds deadline{4000};
    // Referrals followed from the root down. A name has at most 127 labels, but
    // real names are reached in a handful of referrals.
    int max_referrals = 16;
    // Server addresses tried for one zone before giving up on it.
    int max_servers_per_zone = 8;
    // Depth of lookups nested for a name server's address (a lookup for the
    // address of a server of a zone whose servers also lack glue, ...).
    int max_nesting = 3;
    // Queries sent upstream for one client question, nested lookups included.
    int max_upstream_queries = 40;
    // CNAMEs followed for one client question, across zones: a chain longer
    // than this is given up on (RFC 1034 section 5.3.3 asks for a bound; BIND
    // and Unbound stop after a dozen or so).
    int max_cname_chain = 12;
};

// The rcodes a resolution ends with (RFC 1035 section 4.1.1).
constexpr uint8_t rcode_noerror = 0;
constexpr uint8_t rcode_formerr = 1;
constexpr uint8_t rcode_servfail = 2;
constexpr uint8_t rcode_nxdomain = 3;
constexpr uint8_t rcode_notimp = 4;
constexpr uint8_t rcode_refused = 5;

struct Resolution {
    uint8_t rcode = rcode_servfail;
    std::vector<ResourceRecord> answers; // a CNAME chain first, if there is one
    // For NXDOMAIN and NODATA: the SOA of the zone that said so, for the
    // authority section of the response (RFC 2308 section 3).
    std::vector<ResourceRecord> authorities;
    int upstream_queries = 0;
};

class IterativeResolver {
  public:
    IterativeResolver(std::vector<NameServer> root_servers, uint16_t upstream_port, Limits limits,
                      const Trace& trace);

    // Never throws for a lookup that fails: that is a Resolution with SERVFAIL.
    Resolution resolve(const Question& question);

  private:
    struct Budget; // what is left of the limits for one client question

    Resolution follow_cname_chain(const Question& question, Budget& budget);
    Resolution resolve_iteratively(const Question& question, int depth, Budget& budget);
    ClassifiedReply ask_servers_of_zone(const DnsName& zone, const std::vector<NameServer>& servers,
                                        const Question& question, int depth, Budget& budget);
    std::optional<Message> ask_with_fallbacks(const DnsName& server_name,
                                              const SocketAddress& address,
                                              const Question& question, int depth, Budget& budget);
    std::vector<SocketAddress> look_up_address(const DnsName& server_name, int depth,
                                               Budget& budget);

    std::vector<NameServer> root_servers_;
    uint16_t upstream_port_;
    Limits limits_;
    const Trace& trace_;
};

} // namespace dns
