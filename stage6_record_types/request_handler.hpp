// RequestHandler: everything between the bytes a client sent and the bytes it
// gets back: steps 2, 3 and 4 of the run loop, without the sockets.
//
// Keeping it apart from the network lets the same code serve UDP and TCP, and
// lets a fuzzer feed it any bytes at all with the lookup replaced by a stand-in.
#pragma once

#include "iterative_resolver.hpp"
#include "message.hpp"
#include "upstream_query.hpp"

#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace dns {

class RequestHandler {
  public:
    // Performs the lookup for a question the handler decided to serve.
    using Lookup = std::function<Resolution(const Question&)>;

    RequestHandler(Lookup lookup, std::ostream& log) : lookup_(std::move(lookup)), log_(log) {}

    // The response to send back, or nothing when nothing may be sent: the
    // request is too short to have a header to answer, or is itself a response.
    // `client` names the sender in what is logged. Never throws for anything in
    // `request`.
    std::optional<std::vector<uint8_t>> handle(std::span<const uint8_t> request,
                                               Transport transport, const std::string& client);

  private:
    Lookup lookup_;
    std::ostream& log_;
};

} // namespace dns
