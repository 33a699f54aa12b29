// Unbound as the reference resolver of the differential tests: run by the test
// in a folder of its own, on a free port of 127.0.0.1, resolving in the local
// test bed, and stopped when the object goes away. By default a plain
// iterative resolver (module-config "iterator": no DNSSEC validation), as stage
// 6 compares plain lookups; with a trust anchor, a validating one ("validator
// iterator"), as stage 7 compares validation.
#pragma once

#include "common/testing/child_process.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dns::testing {

// Zones and the addresses of their servers. Unbound cannot be told the test
// bed's port for the servers it finds in referrals, so each zone it must reach
// is a stub zone with its servers' addresses at that port (the SERVERS table
// of stage4_testbed/testbed/testbed.sh).
using StubZones = std::vector<std::pair<std::string, std::vector<std::string>>>;

// The zones of the test bed that Knot serves correctly, and their servers:
// Unbound cannot be told the test bed's port for the servers it finds in
// referrals, so each zone is a stub zone with its addresses at that port (the
// SERVERS table of stage4_testbed/testbed/testbed.sh). ipv6.lab. on ::1 only
// where the machine has it; ipv6-noglue.lab. is left out: Unbound, told of it
// as a stub zone on ::1, answers SERVFAIL at its apex (NS, TXT) on this test
// bed, where our resolver and Knot agree. broken.lab.'s server is given at
// its right address, where a resolver finds it through lab.'s glue (the
// zone's own data names a dead one). The bogus zones of the signed world are
// not among them (signed_world's test adds them).
StubZones testbed_stub_zones();

struct UnboundOptions {
    StubZones stub_zones;
    // QNAME minimisation (RFC 9156), in Unbound's default relaxed mode.
    bool qname_minimisation = false;
    // Empty: no validation. Otherwise a file of DS or DNSKEY records
    // (trust-anchor-file), e.g. the test bed's RUNDIR/root-anchor.ds: Unbound
    // validates (RFC 4035 section 5), answers with AD and EDE (RFC 8914), and
    // logs each validation failure (val-log-level 2): see log().
    std::string trust_anchor_file;
};

class RunningUnbound {
  public:
    // Throws std::runtime_error if Unbound does not start.
    explicit RunningUnbound(UnboundOptions options);
    ~RunningUnbound();
    RunningUnbound(const RunningUnbound&) = delete;
    RunningUnbound& operator=(const RunningUnbound&) = delete;

    // What dig printed for a query to Unbound with these arguments.
    std::string ask(const std::vector<std::string>& arguments) const;
    std::string port() const { return port_; }
    // What Unbound has printed so far (its log: with a trust anchor, one
    // line per validation failure).
    std::string log();

  private:
    void write_config() const;

    UnboundOptions options_;
    std::string folder_;
    std::string port_;
    std::optional<ChildProcess> process_;
};

} // namespace dns::testing
