#include "privileges.hpp"

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace dns {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw PrivilegeError(what + ": " + std::strerror(errno));
}

} // namespace

std::string drop_privileges(const PrivilegeSettings& settings) {
    if (::geteuid() != 0) {
        if (!settings.chroot_directory.empty())
            throw PrivilegeError("--chroot needs root (or CAP_SYS_CHROOT)");
        return ""; // nothing to give up: started as an ordinary user, or with capabilities
    }
    if (settings.user == "root") {
        if (!settings.chroot_directory.empty() &&
            (::chroot(settings.chroot_directory.c_str()) != 0 || ::chdir("/") != 0))
            fail("cannot chroot to " + settings.chroot_directory);
        return "Running as root (--user root): root privileges kept";
    }
    // The user is looked up before the chroot: /etc/passwd is outside it.
    errno = 0;
    const passwd* account = ::getpwnam(settings.user.c_str());
    if (account == nullptr)
        throw PrivilegeError("--user " + settings.user + ": there is no such user on this machine");
    const uid_t uid = account->pw_uid;
    const gid_t gid = account->pw_gid;
    if (!settings.chroot_directory.empty() &&
        (::chroot(settings.chroot_directory.c_str()) != 0 || ::chdir("/") != 0))
        fail("cannot chroot to " + settings.chroot_directory);
    if (::setgroups(1, &gid) != 0)
        fail("cannot set the groups of " + settings.user);
    if (::setgid(gid) != 0)
        fail("cannot become group " + std::to_string(gid));
    if (::setuid(uid) != 0)
        fail("cannot become user " + settings.user);
    // For good: an ordinary user cannot become root again.
    if (uid != 0 && ::setuid(0) == 0)
        throw PrivilegeError("still able to become root after becoming " + settings.user);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    // A process that changed its user is not "dumpable": nothing may trace
    // it, not even the sanitizers' own helper that stops every thread to look
    // for leaks at exit. Only in a sanitizer build (a test build) is it
    // allowed again.
    ::prctl(PR_SET_DUMPABLE, 1);
#endif
    return "Dropped root: running as user " + settings.user + " (uid " + std::to_string(uid) +
           ", gid " + std::to_string(gid) + ")" +
           (settings.chroot_directory.empty() ? "" : ", shut into " + settings.chroot_directory);
}

} // namespace dns
