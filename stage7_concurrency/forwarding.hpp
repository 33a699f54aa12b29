// Forwarding: the questions for some zones sent to another resolver.
//
// A home network's router often knows names no one else does (the machines
// it gave addresses to, under its own zone); a company's resolver knows the
// company's internal zones; some networks allow DNS only to their own
// resolver. For such zones the lookup does not walk down from the root: the
// question goes to that recursive resolver, with RD=1 ("recursion desired",
// RFC 1035 section 4.1.1), and its answer is the answer. `--forward
// ZONE=ADDRESS` names one (ZONE `.` sends every question there); for a name
// in several forwarded zones, the longest wins, as for delegations. Its replies
// pass the same checks as an authoritative server's (address, port, ID and
// question: upstream_query.hpp), and are cached as any other answers.
//
// What a recursive resolver answers differs from an authoritative server's
// reply: AA=0 (it is not the authority), the whole CNAME chain resolved, and
// its NXDOMAIN is believed (we asked it to recurse, and chose to trust it).
#pragma once

#include "common/socket_address.hpp"
#include "event_loop.hpp"
#include "message.hpp"
#include "resolution.hpp"
#include "trace.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dns {

// A --forward that cannot be used, in words for its user.
class ForwardError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Forwarder {
    DnsName zone;
    SocketAddress address; // port 53 unless the flag said otherwise
};

// "ZONE=ADDRESS", ADDRESS IPv4[:PORT] or [IPv6][:PORT] (or a bare IPv6
// address). Throws ForwardError.
Forwarder parse_forward(std::string_view text);

class Forwarders {
  public:
    // A later --forward for the same zone replaces the earlier one.
    void add(const Forwarder& forwarder);
    // The forwarder of the longest zone `name` is in; null if none.
    const Forwarder* find(const DnsName& name) const;
    bool empty() const { return forwarders_.empty(); }

  private:
    std::vector<Forwarder> forwarders_;
};

// The resolution a forwarder's `reply` to `question` gives, or nothing if it
// gives none (SERVFAIL, REFUSED, ...), with the reason in `why`.
std::optional<Resolution> read_forwarded_reply(const Message& reply, const Question& question,
                                               std::string& why);

struct Forwarded {
    std::optional<Resolution> resolution;
    std::string why; // when there is no resolution: why, for the trace and the EDE
};

// Asks `forwarder` the question, RD=1, over UDP (again over TCP after TC=1,
// again without EDNS after FORMERR), at most three times within `time_left`.
// `spend_query` is called before each query: the lookup's budget, which may
// end it by throwing.
Task<Forwarded> ask_forwarder(EventLoop& loop, const Forwarder& forwarder, const Question& question,
                              std::chrono::milliseconds time_left,
                              const std::function<void()>& spend_query, Trace& trace, int depth);

} // namespace dns
