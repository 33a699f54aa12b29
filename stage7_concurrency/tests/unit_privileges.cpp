// Dropping root (privileges.hpp), and the flags that say how. The drop itself
// is tried in a child process, so that the tests go on as they started.

#include "../privileges.hpp"
#include "command_line.hpp"

#include <doctest/doctest.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace dns;

namespace {

const auto parse = testing::parse_command_line;

// The exit status of a child that runs `check` (0 if it returns true).
template <typename Check>
int in_child(Check check) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        bool passed = false;
        try {
            passed = check();
        } catch (...) {
        }
        ::_exit(passed ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST_CASE("--user (default nobody) and --chroot") {
    CHECK(parse({}).network.privileges.user == "nobody");
    CHECK(parse({}).network.privileges.chroot_directory.empty());
    const Options options = parse({"--user", "unbound", "--chroot", "/var/lib/resolver"});
    CHECK(options.network.privileges.user == "unbound");
    CHECK(options.network.privileges.chroot_directory == "/var/lib/resolver");
    CHECK_THROWS_AS(parse({"--user"}), UsageError);
    const std::string help = usage_text("resolver");
    CHECK(help.find("--user NAME") != std::string::npos);
    CHECK(help.find("--chroot DIR") != std::string::npos);
}

TEST_CASE("as root: the user, its group and no other groups, for good") {
    if (::geteuid() != 0) {
        MESSAGE("not run as root: the drop is not tried");
        CHECK(drop_privileges({}).empty());
        CHECK_THROWS_AS(drop_privileges({"nobody", "/tmp"}), PrivilegeError);
        return;
    }
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody != nullptr);
    const uid_t uid = nobody->pw_uid;
    const gid_t gid = nobody->pw_gid;
    CHECK(in_child([&] {
              const std::string said = drop_privileges({});
              gid_t groups[4];
              const int group_count = ::getgroups(4, groups);
              return said.starts_with("Dropped root: running as user nobody") &&
                     ::getuid() == uid && ::geteuid() == uid && ::getgid() == gid &&
                     group_count == 1 && groups[0] == gid && ::setuid(0) != 0;
          }) == 0);
    CHECK(in_child([] {
              return drop_privileges({"root", ""}).find("root privileges kept") !=
                         std::string::npos &&
                     ::geteuid() == 0;
          }) == 0);
    CHECK(in_child([] {
              try {
                  drop_privileges({"no-such-user-here", ""});
              } catch (const PrivilegeError&) {
                  return ::geteuid() == 0; // nothing changed
              }
              return false;
          }) == 0);
}
