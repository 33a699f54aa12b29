// AccessList: which clients the resolver answers.
//
// An open resolver, one that answers anybody on the Internet, is a weapon:
// an attacker forges the victim's address as the sender of small queries, and
// the resolver sends the victim large answers (an amplification attack, RFC 5358).
// So by default only this machine's own clients (loopback) are served; every
// other client hears REFUSED (RFC 1035 section 4.1.1: "for policy reasons").
// `--allow CIDR` names the networks to serve instead, as many as needed:
// --allow 127.0.0.1 --allow 192.168.1.0/24 --allow 2001:db8::/32.
#pragma once

#include "common/socket_address.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace dns {

// A network in CIDR notation that cannot be understood.
class CidrError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A network: an address and how many of its leading bits every member shares.
struct Network {
    int family = 0;                  // AF_INET or AF_INET6
    std::array<uint8_t, 16> bytes{}; // 4 used for IPv4
    int prefix_length = 0;

    // "192.168.1.0/24", "2001:db8::/32"; an address alone is a network of one.
    static Network parse(std::string_view cidr);
    bool contains(const SocketAddress& address) const;
};

class AccessList {
  public:
    // 127.0.0.0/8 and ::1: this machine only.
    static AccessList loopback_only();

    void allow(const Network& network) { networks_.push_back(network); }
    bool allows(const SocketAddress& client) const;

  private:
    std::vector<Network> networks_;
};

} // namespace dns
