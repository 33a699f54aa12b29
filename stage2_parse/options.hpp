// The command line of this stage's resolver.
#pragma once

#include "common/socket_address.hpp"

#include <span>
#include <stdexcept>
#include <string>

namespace dns {

// The command line could not be understood. main() prints it with a hint to use --help.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Options {
    // 0.0.0.0:0 as in the article: every IPv4 address of this machine, and port 0,
    // which asks the OS to choose any free port.
    SocketAddress listen = SocketAddress::from_ip("0.0.0.0", 0);
    bool show_help = false;
};

// Reads argv (argv[0] is the program's name). Throws UsageError.
Options parse_options(std::span<char*> arguments);

// What --help prints.
std::string usage_text(std::string_view program_name);

} // namespace dns
