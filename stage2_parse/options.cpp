#include "options.hpp"

namespace dns {

Options parse_options(std::span<char*> arguments) {
    Options options;
    for (size_t i = 1; i < arguments.size(); ++i) {
        const std::string_view argument = arguments[i];
        // Every option but --help takes a value: the next argument.
        auto value = [&]() -> std::string_view {
            if (i + 1 >= arguments.size())
                throw UsageError(std::string(argument) + " needs a value");
            return arguments[++i];
        };
        if (argument == "--help" || argument == "-h") {
            options.show_help = true;
        } else if (argument == "--listen") {
            try {
                options.listen = SocketAddress::parse(value());
            } catch (const AddressError& error) {
                throw UsageError(std::string("--listen ") + error.what());
            }
        } else {
            throw UsageError("unknown option '" + std::string(argument) + "'");
        }
    }
    return options;
}

std::string usage_text(std::string_view program_name) {
    return "Usage: " + std::string(program_name) +
           " [--listen ADDRESS:PORT]\n"
           "\n"
           "Stage 2 of the teaching DNS resolver: receive DNS queries, parse them, show them.\n"
           "\n"
           "  --listen ADDRESS:PORT  where to listen for queries (default 0.0.0.0:0: every\n"
           "                         IPv4 address, a port the OS picks). IPv6: [::1]:5353\n"
           "  --help                 show this text\n";
}

} // namespace dns
