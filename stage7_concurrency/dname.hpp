// DNAME (RFC 6672): an alias for a whole subtree of names.
//
// A CNAME makes one name an alias; a DNAME at old.example makes every name
// below it one: www.old.example is www.new.example, a.b.old.example is
// a.b.new.example, for every type. The DNAME's owner itself is not redirected
// (section 2.3). A server that finds a DNAME on the way to the name asked
// answers with the DNAME and the CNAME it implies for that name (section 3.1),
// and a resolver that gets only the DNAME makes that CNAME itself (section
// 3.4): the client is given both, so that a resolver that knows nothing of
// DNAME still follows the chain.
#pragma once

#include "resource_record.hpp"

#include <optional>

namespace dns {

// True if `dname` (a DNAME record) redirects `name`: `name` lies strictly
// below the DNAME's owner.
bool dname_applies(const ResourceRecord& dname, const DnsName& name);

// `name` with the DNAME's owner at its end replaced by the DNAME's target
// (section 2.2): www.old.example with old.example DNAME new.example gives
// www.new.example. Nothing if the new name would be longer than a name may
// be (255 bytes): the answer is then YXDOMAIN (section 2.2).
std::optional<DnsName> substitute_dname(const ResourceRecord& dname, const DnsName& name);

// The CNAME from `name` to `target` that the DNAME implies, with the DNAME's
// TTL (section 3.4: it is only as good as the DNAME it came from).
ResourceRecord synthesized_cname(const ResourceRecord& dname, const DnsName& name,
                                 const DnsName& target);

} // namespace dns
