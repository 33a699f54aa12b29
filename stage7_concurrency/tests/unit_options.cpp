#include "../options.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace dns;

namespace {

Options parse(std::vector<std::string> words) {
    words.insert(words.begin(), "resolver");
    std::vector<char*> argv;
    for (auto& word : words)
        argv.push_back(word.data());
    return parse_options(argv);
}

} // namespace

TEST_CASE("by default it listens on 0.0.0.0 and lets the OS pick the port") {
    const Options options = parse({});
    CHECK(options.listen.to_string() == "0.0.0.0:0");
    CHECK_FALSE(options.show_help);
}

TEST_CASE("--listen chooses the address and port, IPv4 or IPv6") {
    CHECK(parse({"--listen", "127.0.0.1:5353"}).listen.to_string() == "127.0.0.1:5353");
    CHECK(parse({"--listen", "[::1]:5353"}).listen.to_string() == "[::1]:5353");
}

TEST_CASE("mistakes on the command line are usage errors that say what is wrong") {
    CHECK_THROWS_WITH_AS(parse({"--listen"}), "--listen needs a value", UsageError);
    CHECK_THROWS_WITH_AS(parse({"--listen", "localhost"}), doctest::Contains("ADDRESS:PORT"),
                         UsageError);
    CHECK_THROWS_WITH_AS(parse({"--bogus"}), "unknown option '--bogus'", UsageError);
}

TEST_CASE("--help shows every option") {
    CHECK(parse({"--help"}).show_help);
    CHECK(usage_text("resolver").find("--listen ADDRESS:PORT") != std::string::npos);
}
