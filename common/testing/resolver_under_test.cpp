#include "common/testing/resolver_under_test.hpp"
#include "common/testing/dig_output.hpp"

#include "common/udp_socket.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace dns::testing {

namespace {

std::string required_environment(const char* name, const char* why) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        throw std::runtime_error(std::string(name) + " is not set: " + why +
                                 " (run the tests with 'make test')");
    return value;
}

} // namespace

int stage_under_test() {
    return std::stoi(required_environment("RESOLVER_STAGE", "which stage is under test?"));
}

std::string corpus_directory() {
    const char* configured = std::getenv("CORPUS_DIR");
    return configured != nullptr ? configured : "../shared/corpus";
}

std::vector<std::string> resolver_command(const std::vector<std::string>& arguments) {
    std::vector<std::string> argv{
        required_environment("RESOLVER_BIN", "which resolver is under test?")};
    if (stage_under_test() >= 3) {
        argv.push_back("--root-hints");
        argv.push_back(required_environment("TESTBED_ROOT_HINTS",
                                            "stage 3 on resolves names: start the test bed"));
        argv.push_back("--upstream-port");
        argv.push_back(testbed_port());
    }
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return argv;
}

RunningResolver::RunningResolver(const std::vector<std::string>& extra_arguments,
                                 const std::string& listen)
    : process_([&] {
          std::vector<std::string> arguments;
          if (!listen.empty())
              arguments = {"--listen", listen};
          arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
          return resolver_command(arguments);
      }()) {
    // Every stage announces its real address in a line "Bound to ADDRESS:PORT".
    const std::string announcement = "Bound to ";
    if (!process_.wait_for_output(announcement, 10s) ||
        !process_.wait_for_output("\n", 2s, process_.output().find(announcement)))
        throw std::runtime_error("the resolver did not say 'Bound to': " + process_.output());
    const auto& output = process_.output();
    const auto start = output.find(announcement) + announcement.size();
    const auto end = output.find_first_of(" \n", start);
    address_ = SocketAddress::parse(output.substr(start, end - start));
    if (address_.is_unspecified())
        address_ =
            SocketAddress::from_ip(address_.is_ipv6() ? "::1" : "127.0.0.1", address_.port());
}

std::vector<std::string> dig_command(const RunningResolver& resolver,
                                     const std::vector<std::string>& arguments) {
    std::vector<std::string> argv{
        "dig", "@" + resolver.address().ip_string(), "-p", resolver.port(), "+tries=1", "+time=2"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return argv;
}

std::string testbed_port() {
    return required_environment("TESTBED_PORT", "the test bed's port");
}

std::vector<std::string> dig_authoritative(const std::string& server_address,
                                           const std::vector<std::string>& arguments) {
    std::vector<std::string> argv{"dig",        "@" + server_address, "-p",     testbed_port(),
                                  "+norecurse", "+tries=2",           "+time=2"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return argv;
}

bool have_ipv6_loopback() {
    try {
        (void)UdpSocket::bind(SocketAddress::from_ip("::1", 0));
        return true;
    } catch (const SocketError&) {
        return false;
    }
}

void send_datagram(const SocketAddress& destination, std::span<const uint8_t> datagram) {
    const auto any = SocketAddress::from_ip(destination.is_ipv6() ? "::" : "0.0.0.0", 0);
    UdpSocket::bind(any).send_to(datagram, destination);
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::string ask(RunningResolver& resolver, const std::vector<std::string>& arguments) {
    using namespace std::chrono_literals;
    const CommandResult dig = run_command(dig_command(resolver, arguments), 20s);
    if (dig_status(dig.output).empty()) // the test fails with what dig printed
        throw std::runtime_error("dig got no answer; it printed:\n" + dig.output);
    return dig.output;
}

} // namespace dns::testing
