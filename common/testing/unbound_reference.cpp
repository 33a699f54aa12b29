#include "common/testing/unbound_reference.hpp"
#include "common/testing/resolver_under_test.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

namespace dns::testing {

RunningUnbound::RunningUnbound(UnboundOptions options) : options_(std::move(options)) {
    char folder_template[] = "/tmp/unbound-reference-XXXXXX";
    if (mkdtemp(folder_template) == nullptr)
        throw std::runtime_error("cannot make a folder for Unbound in /tmp");
    folder_ = folder_template;
    std::mt19937 random(std::random_device{}());
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) {
        // Below the test bed's ports and the kernel's ephemeral ports
        // (32768 and up), where dig's own sockets might hold it.
        port_ = std::to_string(10000 + random() % 10000);
        write_config();
        process_.emplace(
            std::vector<std::string>{"unbound", "-d", "-c", folder_ + "/unbound.conf"});
        if (!process_->wait_for_output("start of service", 10s))
            process_.reset();
    }
    if (!process_) {
        std::filesystem::remove_all(folder_);
        throw std::runtime_error("Unbound did not start (is the unbound package installed?)");
    }
}

RunningUnbound::~RunningUnbound() {
    process_.reset();
    std::filesystem::remove_all(folder_);
}

std::string RunningUnbound::ask(const std::vector<std::string>& arguments) const {
    std::vector<std::string> argv{"dig", "@127.0.0.1", "-p", port_, "+tries=1", "+time=10"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_command(argv, 20s).output;
}

std::string RunningUnbound::log() {
    return process_->output();
}

void RunningUnbound::write_config() const {
    const bool validating = !options_.trust_anchor_file.empty();
    std::ofstream config(folder_ + "/unbound.conf");
    config << "server:\n"
           << "    interface: 127.0.0.1@" << port_ << "\n"
           << "    do-not-query-localhost: no\n" // the test bed is on 127.53.x.y
           // Unbound asks IPv6 addresses (the stub zones on ::1) only
           // with do-ip6; without ::1 there are none to ask.
           << "    do-ip6: " << (have_ipv6_loopback() ? "yes" : "no") << "\n"
           << "    username: \"\"\n"
           << "    chroot: \"\"\n"
           << "    directory: \"" << folder_ << "\"\n"
           << "    pidfile: \"" << folder_ << "/unbound.pid\"\n"
           << "    use-syslog: no\n"
           << "    logfile: \"\"\n"
           << "    num-threads: 1\n"
           << "    qname-minimisation: " << (options_.qname_minimisation ? "yes" : "no")
           << "\n"
           // Unbound picks its query ports itself: above the test ports.
           << "    outgoing-port-avoid: 0-32767\n"
           // test. is one of RFC 6761's special names, which Unbound
           // answers itself by default; here it is a real zone.
           << "    local-zone: \"test.\" nodefault\n";
    if (validating) {
        // DNSSEC validation from the test bed's own root: the trust anchor
        // is its root KSK's DS. Extended DNS errors (RFC 8914) are off in
        // Unbound by default; val-log-level 2 logs why each answer is bogus.
        config << "    module-config: \"validator iterator\"\n"
               << "    trust-anchor-file: \"" << options_.trust_anchor_file << "\"\n"
               << "    ede: yes\n"
               << "    val-log-level: 2\n";
    } else {
        // No validation: the iterator alone.
        config << "    module-config: \"iterator\"\n";
    }
    const std::string port = testbed_port();
    for (const auto& [zone, addresses] : options_.stub_zones) {
        config << "stub-zone:\n    name: \"" << zone << "\"\n";
        for (const auto& address : addresses)
            config << "    stub-addr: " << address << "@" << port << "\n";
    }
}

StubZones testbed_stub_zones() {
    StubZones zones = {
        {".", {"127.53.0.1", "127.53.0.2"}},
        {"test.", {"127.53.3.1"}},
        {"lab.", {"127.53.1.1", "127.53.1.2"}},
        {"learn.", {"127.53.2.1"}},
        {"example.lab.", {"127.53.10.1", "127.53.10.2"}},
        {"types.example.lab.", {"127.53.10.1", "127.53.10.2"}},
        {"school.learn.", {"127.53.11.1"}},
        {"dept.school.learn.", {"127.53.12.1"}},
        {"hosting.learn.", {"127.53.13.1"}},
        {"noglue.lab.", {"127.53.13.2"}},
        {"nsec3.lab.", {"127.53.14.1"}}, // signed by Knot (DNSSEC), NSEC3
        {"nsec.lab.", {"127.53.14.1"}},  // signed by Knot (DNSSEC), NSEC
        {"broken.lab.", {"127.53.15.1"}},
        {"victim.learn.", {"127.53.15.1"}},
    };
    if (have_ipv6_loopback())
        zones.push_back({"ipv6.lab.", {"::1"}});
    return zones;
}

} // namespace dns::testing
