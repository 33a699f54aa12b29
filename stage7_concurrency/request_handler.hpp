// RequestHandler: everything between the bytes a client sent and the bytes it
// gets back: steps 2, 3 and 4 of the run loop, without the sockets.
//
// Keeping it apart from the network lets the same code serve UDP and TCP, and
// lets a fuzzer feed it any bytes at all with the lookup replaced by a stand-in.
//
// In stage 7 it is a coroutine, as the lookup it awaits; what it logs of one
// request, from "Received" on, is written in one piece at the end, so that the
// requests that many workers serve at once do not mix their lines.
#pragma once

#include "local_zones.hpp"
#include "message.hpp"
#include "resolution.hpp"
#include "task.hpp"
#include "upstream_query.hpp"

#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace dns {

// AXFR, IXFR, MAILB, MAILA: question types that are refused, never looked up
// (the fast path leaves them to the handler too).
bool is_zone_transfer_or_obsolete(uint16_t type);

class RequestHandler {
  public:
    // Performs the lookup for a question the handler decided to serve.
    using Lookup = std::function<Task<Resolution>(const Question&)>;
    // What the cache holds for a question, without a lookup: for queries that
    // do not ask for recursion (RD=0).
    using CacheLookup = std::function<std::optional<Resolution>(const Question&)>;

    // With `hexdump`, the log shows the bytes of every request. Without
    // `from_cache`, every query with RD=0 is refused.
    RequestHandler(Lookup lookup, std::ostream& log, bool hexdump = false,
                   CacheLookup from_cache = {})
        : lookup_(std::move(lookup)), from_cache_(std::move(from_cache)), log_(log),
          hexdump_(hexdump) {}

    // Questions for names in `zones` are answered from them, before any lookup
    // (local_zones.hpp). `zones` must outlive the handler.
    void answer_locally_from(const LocalZones& zones) { local_zones_ = &zones; }

    // The response to send back, or nothing when nothing may be sent: the
    // request is too short to have a header to answer, or is itself a response.
    // `client` names the sender in what is logged. Never throws for anything in
    // `request`. The bytes of `request` must stay until the task has finished.
    // If `upstream_queries` is given, it is set to the number of queries the
    // lookup sent upstream (0 for an answer from the cache, or no lookup).
    Task<std::optional<std::vector<uint8_t>>> handle(std::span<const uint8_t> request,
                                                     Transport transport, std::string client,
                                                     int* upstream_queries = nullptr);
    // Whether anything is logged (not with --quiet): if not, `client` may be "".
    bool logs() const { return static_cast<bool>(log_); }

  private:
    Task<std::optional<std::vector<uint8_t>>> respond_to(std::span<const uint8_t> request,
                                                         Transport transport,
                                                         const std::string& client,
                                                         std::ostream& log, int* upstream_queries);

    Lookup lookup_;
    CacheLookup from_cache_;
    std::ostream& log_;
    bool hexdump_;
    const LocalZones* local_zones_ = nullptr;
};

} // namespace dns
