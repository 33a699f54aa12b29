// Trust anchors: where the chain of trust starts. A validator believes a
// signature only if a chain of DS and DNSKEY records leads to it from a key
// it was given in advance (RFC 4033 section 5): for the Internet, the root
// zone's key signing keys, which IANA publishes as DS records. Debian ships
// them in /usr/share/dns/root.ds (package dns-root-data); a file of one's own
// may add anchors for any zone.
//
// A trust-anchor file holds DS or DNSKEY records in zone-file presentation
// format (RFC 1035 section 5.1, RFC 4034 sections 2.2 and 5.3):
//
//   .  IN  DS  20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
//   example.  3600  DNSKEY  257 3 ECDSAP256SHA256 ( GojIhhXUN/u4v54ZQqGSnyhWJwaubCvT
//                                                   meexv7bR6edbkrSqQpF64cYbcB7wNcP+
//                                                   e+MAnLr+Wi9xMWyQLc8NAA== ) ; KSK
//
// The TTL and the class (IN) may be left out; the algorithm is a number or
// its mnemonic; the digest or key may be split by blanks, and by lines inside
// parentheses; ";" starts a comment. A line that starts with a blank has the
// owner of the record before it.
#pragma once

#include "resource_record.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dns {

// A trust-anchor file that cannot be used; the message names the line.
class TrustAnchorError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Debian's copy of IANA's root anchors (package dns-root-data).
constexpr std::string_view debian_root_anchors_path = "/usr/share/dns/root.ds";

// The DS and DNSKEY records of a trust-anchor file's text, in file order.
// Throws TrustAnchorError, its message starting with `source` (a file name)
// if one is given.
std::vector<ResourceRecord> parse_trust_anchors(std::string_view text,
                                                std::string_view source = {});
// The mnemonic of a DNSSEC algorithm number (ED25519 for 15), or the number
// itself if it has none.
std::string algorithm_name(uint8_t number);

// Reads a trust-anchor file. Throws TrustAnchorError.
std::vector<ResourceRecord> load_trust_anchors(const std::string& path);
// IANA's root anchors, built in: the DS records of KSK-2017 (key tag 20326)
// and KSK-2024 (key tag 38696).
std::vector<ResourceRecord> builtin_root_trust_anchors();
// The anchors of `path` if that file can be read, the built-in ones if not.
// A file that can be read but is not a trust-anchor file is an error
// (TrustAnchorError), not a reason to quietly use something else.
std::vector<ResourceRecord>
default_trust_anchors(const std::string& path = std::string(debian_root_anchors_path));

} // namespace dns
