// format_like_dig: a parsed message printed the way dig prints one, so that what
// the resolver received can be read side by side with `dig +qr`.
//
//   ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 23584
//   ;; flags: rd ad; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1
//
//   ;; QUESTION SECTION:
//   ;example.com.			IN	MX
#pragma once

#include "message.hpp"

#include <string>

namespace dns {

std::string format_like_dig(const Message& message);

} // namespace dns
