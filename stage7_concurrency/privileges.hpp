// Dropping root: a resolver on port 53 is started as root only to bind it.
//
// Binding a port under 1024 takes root (or the capability CAP_NET_BIND_SERVICE).
// Everything after it (reading what strangers send, parsing what servers all
// over the Internet answer) is exactly where a bug is found by someone else
// first; run as root, such a bug hands them the machine. So, as Unbound and
// BIND do, the resolver binds its sockets, reads its files, raises its limits
// (the open-files limit, in main.cpp), and only then becomes an ordinary user,
// for good: the group list, the group and the user, in that order (the user
// last: once it is not root, it could not change the others any more).
// Optionally it first shuts itself into a directory (chroot), so that even
// the files of the machine are out of reach.
#pragma once

#include <stdexcept>
#include <string>

namespace dns {

class PrivilegeError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct PrivilegeSettings {
    // The user to become when started as root; "root" keeps root.
    std::string user = "nobody";
    // The directory to shut the process into; none if empty.
    std::string chroot_directory;
};

// Gives up root as `settings` say, if the process is root; returns the line
// to print about it (empty when it was not root and was asked for nothing).
// Throws PrivilegeError if it cannot: no such user, a chroot that fails, or a
// process that could still become root again afterwards.
std::string drop_privileges(const PrivilegeSettings& settings);

} // namespace dns
