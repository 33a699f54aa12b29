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
        } else if (argument == "--trace") {
            options.trace = true;
        } else if (argument == "--quiet") {
            options.quiet = true;
        } else if (argument == "--hexdump") {
            options.hexdump = true;
        } else if (argument == "--root-hints") {
            options.root_hints_file = value();
        } else if (argument == "--upstream-port") {
            const std::string text(value());
            if (text.empty() || text.size() > 5 ||
                text.find_first_not_of("0123456789") != std::string::npos ||
                std::stoul(text) == 0 || std::stoul(text) > 65535)
                throw UsageError("--upstream-port needs a port from 1 to 65535, not '" + text +
                                 "'");
            options.upstream_port = static_cast<uint16_t>(std::stoul(text));
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
           " [--listen ADDRESS:PORT] [--root-hints FILE] [--upstream-port N]\n"
           "       [--trace] [--quiet] [--hexdump]\n"
           "\n"
           "Stage 6 of the teaching DNS resolver: records of every type looked up from the\n"
           "root servers; any request answered or safely ignored, with EDNS, over UDP and TCP.\n"
           "\n"
           "  --listen ADDRESS:PORT  where to listen for queries, UDP and TCP (default 0.0.0.0:0:\n"
           "                         every IPv4 address, a port the OS picks). IPv6: [::1]:5353\n"
           "  --root-hints FILE      the root servers, in named.root format (default: the\n"
           "                         IANA root servers, built in)\n"
           "  --upstream-port N      the port of the authoritative servers (default 53)\n"
           "  --trace                print every step of every lookup\n"
           "  --quiet                print nothing per query\n"
           "  --hexdump              print the bytes of every query received\n"
           "  --help                 show this text\n";
}

} // namespace dns
