#include "options.hpp"

#include <charconv>

namespace dns {

namespace {

// A whole number from `lowest` to `highest`, or a UsageError that says so.
size_t number(std::string_view option, std::string_view text, size_t lowest, size_t highest) {
    size_t result = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        result < lowest || result > highest)
        throw UsageError(std::string(option) + " needs a number from " + std::to_string(lowest) +
                         " to " + std::to_string(highest) + ", not '" + std::string(text) + "'");
    return result;
}

// "on" or "off". A value that cannot be used is one line and exit status 2,
// as for the other flags of a resolver run for real (network_options.hpp).
bool on_or_off(std::string_view option, std::string_view text) {
    if (text == "on")
        return true;
    if (text == "off")
        return false;
    throw NetworkOptionError(std::string(option) + " needs on or off, not '" + std::string(text) +
                             "'");
}

} // namespace

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
            options.upstream_port = static_cast<uint16_t>(number(argument, value(), 1, 65535));
        } else if (argument == "--threads") {
            options.threads = static_cast<unsigned>(number(argument, value(), 1, 256));
        } else if (argument == "--cache-size") {
            options.cache_size_mib = number(argument, value(), 0, 1024 * 1024);
        } else if (argument == "--allow") {
            if (!options.allow_given)
                options.allowed_clients = AccessList(); // the default gives way
            options.allow_given = true;
            try {
                options.allowed_clients.allow(Network::parse(value()));
            } catch (const CidrError& error) {
                throw UsageError(std::string("--allow ") + error.what());
            }
        } else if (argument == "--allow-local-servers") {
            options.allow_local_servers = true;
        } else if (argument == "--qname-minimisation") {
            options.qname_minimisation = on_or_off(argument, value());
        } else if (argument == "--listen") {
            try {
                options.listen = SocketAddress::parse(value());
            } catch (const AddressError& error) {
                throw UsageError(std::string("--listen ") + error.what());
            }
        } else if (parse_network_option(argument, value, options.network)) {
            // --local-zone, --local-data, ...: network_options.cpp
        } else if (parse_dnssec_option(argument, value, options.dnssec)) {
            // --trust-anchor, --no-validation, ...: dnssec_options.cpp
        } else {
            throw UsageError("unknown option '" + std::string(argument) + "'");
        }
    }
    return options;
}

std::string usage_text(std::string_view program_name) {
    return "Usage: " + std::string(program_name) +
           " [--listen ADDRESS:PORT] [--root-hints FILE] [--upstream-port N]\n"
           "       [--threads N] [--cache-size MIB] [--allow CIDR]... [--allow-local-servers]\n"
           "       [--qname-minimisation on|off] [--trace] [--quiet] [--hexdump]\n"
           "       [--local-zone NAME=TYPE]... [--local-data 'RR']... [--forward ZONE=ADDR]...\n"
           "       [--serve-stale SECONDS] [--user NAME] [--chroot DIR]\n"
           "       [--trust-anchor FILE]... [--no-validation] [--negative-trust-anchor ZONE]...\n"
           "\n"
           "Stage 7 of the teaching DNS resolver: a recursive resolver for many clients at\n"
           "once, with a cache, limits, and answers only for the clients it is meant for.\n"
           "\n"
           "  --listen ADDRESS:PORT  where to listen for queries, UDP and TCP (default 0.0.0.0:0:\n"
           "                         every IPv4 address, a port the OS picks). IPv6: [::1]:5353\n"
           "  --root-hints FILE      the root servers, in named.root format (default: the\n"
           "                         IANA root servers, built in)\n"
           "  --upstream-port N      the port of the authoritative servers (default 53)\n"
           "  --threads N            worker threads (default: one per core)\n"
           "  --cache-size MIB       the most memory the cache may use (default 64; 0: none)\n"
           "  --allow CIDR           answer clients in this network, others get REFUSED; may\n"
           "                         be given many times (default: loopback only)\n"
           "  --allow-local-servers  ask servers at loopback addresses a delegation names\n"
           "                         (allowed anyway when the root hints are such addresses)\n"
           "  --qname-minimisation on|off  tell each server only as much of the name as it\n"
           "                         needs (RFC 9156; default on)\n"
           "  --trace                print every step of every lookup, whole when it ends\n"
           "  --quiet                print nothing per query\n"
           "  --hexdump              print the bytes of every query received\n" +
           network_options_usage() + dnssec_options_usage() +
           "  --help                 show this text\n";
}

} // namespace dns
