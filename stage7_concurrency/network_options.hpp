// The command line of a resolver run for a real network (stage 7's last
// part): local zones and local data. Parsed by options.cpp, in a file of its
// own so that these flags can be read, and grown, apart from the others.
#pragma once

#include "forwarding.hpp"
#include "local_zones.hpp"
#include "privileges.hpp"

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace dns {

// A value of one of these flags that cannot be used: main() says so in one
// line and exits with status 2 (a command line's mistake in the older flags,
// a UsageError, keeps the status 1 of every stage).
class NetworkOptionError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct NetworkOptions {
    // --local-zone NAME=TYPE, in the order given.
    std::vector<LocalZoneSetting> local_zones;
    // --local-data 'NAME TTL CLASS TYPE RDATA', in the order given.
    std::vector<ResourceRecord> local_data;
    // --user NAME, --chroot DIR: what to become once the sockets are bound.
    PrivilegeSettings privileges;
    // --forward ZONE=ADDRESS, in the order given.
    std::vector<Forwarder> forwarders;
    // --serve-stale SECONDS: how long after expiry an answer may be served
    // when every server fails (RFC 8767); 0, the default, serves none.
    std::chrono::seconds serve_stale{0};
};

// If `argument` is one of these flags, reads its value with `value` into
// `options` and returns true. Throws NetworkOptionError for a value that
// cannot be used.
bool parse_network_option(std::string_view argument, const std::function<std::string_view()>& value,
                          NetworkOptions& options);

// The lines of --help for these flags.
std::string network_options_usage();

} // namespace dns
