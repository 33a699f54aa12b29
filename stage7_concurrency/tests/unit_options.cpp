#include "../options.hpp"

#include <doctest/doctest.h>
#include <string>
#include <string_view>
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

TEST_CASE("--threads and --cache-size take numbers within their bounds") {
    const Options defaults = parse({});
    CHECK(defaults.threads == 0); // one per core
    CHECK(defaults.cache_size_mib == 64);
    CHECK(parse({"--threads", "4"}).threads == 4);
    CHECK(parse({"--threads", "1"}).threads == 1);
    CHECK(parse({"--threads", "256"}).threads == 256);
    CHECK(parse({"--cache-size", "512"}).cache_size_mib == 512);
    CHECK(parse({"--cache-size", "0"}).cache_size_mib == 0); // no cache at all
}

TEST_CASE("bad numbers are usage errors that name the option and the range") {
    CHECK_THROWS_WITH_AS(parse({"--threads", "0"}),
                         "--threads needs a number from 1 to 256, not '0'", UsageError);
    CHECK_THROWS_WITH_AS(parse({"--threads", "257"}), doctest::Contains("'257'"), UsageError);
    CHECK_THROWS_WITH_AS(parse({"--threads", "-1"}), doctest::Contains("--threads"), UsageError);
    CHECK_THROWS_WITH_AS(parse({"--threads", "4x"}), doctest::Contains("'4x'"), UsageError);
    CHECK_THROWS_WITH_AS(parse({"--threads", ""}), doctest::Contains("--threads"), UsageError);
    CHECK_THROWS_WITH_AS(parse({"--threads", "99999999999999999999999"}),
                         doctest::Contains("--threads"), UsageError);
    CHECK_THROWS_WITH_AS(parse({"--threads"}), "--threads needs a value", UsageError);
    CHECK_THROWS_WITH_AS(parse({"--cache-size", "lots"}), doctest::Contains("--cache-size"),
                         UsageError);
    CHECK_THROWS_WITH_AS(parse({"--cache-size", "1048577"}), doctest::Contains("0 to 1048576"),
                         UsageError);
    CHECK_THROWS_WITH_AS(parse({"--cache-size"}), "--cache-size needs a value", UsageError);
}

TEST_CASE("by default only loopback clients are answered") {
    const Options options = parse({});
    CHECK_FALSE(options.allow_given);
    CHECK(options.allowed_clients.allows(SocketAddress::from_ip("127.0.0.1", 5353)));
    CHECK(options.allowed_clients.allows(SocketAddress::from_ip("::1", 5353)));
    CHECK_FALSE(options.allowed_clients.allows(SocketAddress::from_ip("192.168.1.5", 5353)));
}

TEST_CASE("--allow names the networks to serve instead of loopback, as many as given") {
    const Options one = parse({"--allow", "192.168.1.0/24"});
    CHECK(one.allow_given);
    CHECK(one.allowed_clients.allows(SocketAddress::from_ip("192.168.1.5", 5353)));
    CHECK_FALSE(one.allowed_clients.allows(SocketAddress::from_ip("192.168.2.5", 5353)));
    // The default gives way: loopback must be named to be served too.
    CHECK_FALSE(one.allowed_clients.allows(SocketAddress::from_ip("127.0.0.1", 5353)));
    CHECK_FALSE(one.allowed_clients.allows(SocketAddress::from_ip("::1", 5353)));

    const Options many =
        parse({"--allow", "127.0.0.1", "--allow", "192.168.1.0/24", "--allow", "2001:db8::/32"});
    CHECK(many.allowed_clients.allows(SocketAddress::from_ip("127.0.0.1", 5353)));
    CHECK_FALSE(many.allowed_clients.allows(SocketAddress::from_ip("127.0.0.2", 5353)));
    CHECK(many.allowed_clients.allows(SocketAddress::from_ip("192.168.1.200", 5353)));
    CHECK(many.allowed_clients.allows(SocketAddress::from_ip("2001:db8::53", 5353)));
    CHECK_FALSE(many.allowed_clients.allows(SocketAddress::from_ip("2001:db9::53", 5353)));
}

TEST_CASE("--allow with something that is not a network is a usage error") {
    CHECK_THROWS_WITH_AS(parse({"--allow", "192.168.1.0/33"}), doctest::Contains("--allow"),
                         UsageError);
    CHECK_THROWS_WITH_AS(parse({"--allow", "my-laptop"}), doctest::Contains("my-laptop"),
                         UsageError);
    CHECK_THROWS_WITH_AS(parse({"--allow", "10.0.0.0/8x"}), doctest::Contains("--allow"),
                         UsageError);
    CHECK_THROWS_WITH_AS(parse({"--allow"}), "--allow needs a value", UsageError);
}

TEST_CASE("--allow-local-servers is off unless given") {
    CHECK_FALSE(parse({}).allow_local_servers);
    CHECK(parse({"--allow-local-servers"}).allow_local_servers);
    // It takes no value: the next word is an option of its own.
    const Options options = parse({"--allow-local-servers", "--threads", "2"});
    CHECK(options.allow_local_servers);
    CHECK(options.threads == 2);
}

TEST_CASE("--qname-minimisation is on unless turned off, and takes on or off alone") {
    CHECK(parse({}).qname_minimisation);
    CHECK(parse({"--qname-minimisation", "on"}).qname_minimisation);
    CHECK_FALSE(parse({"--qname-minimisation", "off"}).qname_minimisation);
    // A value that cannot be used: exit status 2, as the network flags' (main.cpp).
    CHECK_THROWS_WITH_AS(parse({"--qname-minimisation", "yes"}),
                         "--qname-minimisation needs on or off, not 'yes'", NetworkOptionError);
    CHECK_THROWS_WITH_AS(parse({"--qname-minimisation"}), "--qname-minimisation needs a value",
                         UsageError);
}

TEST_CASE("--help names the stage 7 options") {
    const std::string text = usage_text("resolver");
    for (const char* option : {"--threads N", "--cache-size MIB", "--allow CIDR",
                               "--allow-local-servers", "--qname-minimisation on|off"})
        CHECK(text.find(option) != std::string::npos);
}

TEST_CASE("--help's synopsis names every option the text below it describes") {
    // The first lines (up to the first empty one) are the synopsis; the
    // described options are the lines that begin "  --".
    const std::string text = usage_text("resolver");
    const size_t synopsis_end = text.find("\n\n");
    REQUIRE(synopsis_end != std::string::npos);
    const std::string_view synopsis = std::string_view(text).substr(0, synopsis_end);
    int described = 0;
    for (size_t at = text.find("\n  --", synopsis_end); at != std::string::npos;
         at = text.find("\n  --", at + 1)) {
        const size_t start = at + 3;
        const size_t end = text.find_first_of(" \n", start);
        const std::string option = text.substr(start, end - start);
        ++described;
        if (option == "--help")
            continue; // not an option one runs the resolver with
        CAPTURE(option);
        // The whole option: "[--allow-local-servers" is not "[--allow".
        const bool named = synopsis.find("[" + option + " ") != std::string_view::npos ||
                           synopsis.find("[" + option + "]") != std::string_view::npos;
        CHECK(named);
    }
    CHECK(described >= 20);
}
