// The end-to-end tests of stage N also run against every later stage, so that no
// lesson quietly loses what an earlier one taught. The test program does not know
// which stage it is talking to until run time: the runner (common/tools/run_tests.sh)
// names the binary and its stage number in the environment.
//
//   RESOLVER_BIN=build/stage2_parse/resolver RESOLVER_STAGE=2 build/stage1_receive/e2e_tests
#pragma once

#include "common/socket_address.hpp"
#include "common/testing/child_process.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dns::testing {

// The stage number of the resolver under test (1 to 7), from RESOLVER_STAGE.
int stage_under_test();

// Where the captured real-world messages are (../shared/corpus, or CORPUS_DIR).
std::string corpus_directory();

// The command that starts the resolver under test with these arguments (and,
// from stage 3 on, pointed at the local test bed: see RunningResolver).
std::vector<std::string> resolver_command(const std::vector<std::string>& arguments);

// The resolver under test, running on a free port of 127.0.0.1 (or `listen`),
// stopped when this object goes away. An empty `listen` starts it without
// --listen, at its default address. From stage 3 on a resolver looks names up,
// so it is always pointed at the local test bed (TESTBED_ROOT_HINTS, TESTBED_PORT):
// a test never sends a query to a server outside this machine.
class RunningResolver {
  public:
    explicit RunningResolver(const std::vector<std::string>& extra_arguments = {},
                             const std::string& listen = "127.0.0.1:0");

    ChildProcess& process() { return process_; }
    const SocketAddress& address() const { return address_; }
    std::string port() const { return std::to_string(address_.port()); }

    // Waits for `needle` in what the resolver printed after byte `from`.
    bool printed(std::string_view needle, std::chrono::milliseconds timeout = 5s, size_t from = 0) {
        return process_.wait_for_output(needle, timeout, from);
    }
    // How much has been printed so far: pass it as `from` to look only at what comes next.
    size_t mark() { return process_.output().size(); }

  private:
    ChildProcess process_;
    SocketAddress address_;
};

// The arguments of a dig command that asks the resolver under test, e.g.
// dig_command(resolver, {"example.com", "MX"}). One try, short timeout.
std::vector<std::string> dig_command(const RunningResolver& resolver,
                                     const std::vector<std::string>& arguments);
// What dig printed for that query. Throws std::runtime_error, with dig's
// output, if dig got no answer at all: the test fails there.
std::string ask(RunningResolver& resolver, const std::vector<std::string>& arguments);

// The test bed's port and a dig command that asks one of its authoritative
// servers directly (RD=0), for the reference answer.
std::string testbed_port();
std::vector<std::string> dig_authoritative(const std::string& server_address,
                                           const std::vector<std::string>& arguments);

// True if this machine has the IPv6 loopback address: a socket binds to [::1].
// The test bed starts its IPv6 server (ns.ipv6.lab on ::1) only then.
bool have_ipv6_loopback();

// Sends one raw datagram to `destination` from a fresh socket.
void send_datagram(const SocketAddress& destination, std::span<const uint8_t> datagram);

// Reads a whole file as bytes.
std::vector<uint8_t> read_file_bytes(const std::string& path);

} // namespace dns::testing
