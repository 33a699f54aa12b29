// The names of types and classes are checked against dig itself: dig prints the
// question of every query it sends (+qr), so one dig run with many queries gives
// its name for every number. The queries go to a port of 127.0.0.1 where nothing
// listens, so each one fails at once and nothing leaves the machine.

#include "../code_names.hpp"
#include "../dns_name.hpp"
#include "common/testing/child_process.hpp"
#include "common/udp_socket.hpp"

#include <doctest/doctest.h>
#include <map>
#include <sstream>

using namespace dns;
using namespace dns::testing;

namespace {

// A port on 127.0.0.1 with nothing listening: bind one, note it, close it.
std::string closed_port() {
    const auto socket = UdpSocket::bind(SocketAddress::parse("127.0.0.1:0"));
    return std::to_string(socket.local_address().port());
}

// Asks dig to print, for each number, the question "tNUMBER.x. CLASS TYPE" it sends,
// and returns the class or the type that dig printed for each number.
std::map<unsigned, std::string> dig_names(const std::vector<unsigned>& numbers, bool for_class) {
    std::vector<std::string> argv{"dig",        "+qr", "+tries=1",   "+noedns",
                                  "@127.0.0.1", "-p",  closed_port()};
    for (unsigned number : numbers) {
        argv.push_back("t" + std::to_string(number) + ".x");
        argv.push_back(for_class ? "-c" : "-t");
        argv.push_back((for_class ? "CLASS" : "TYPE") + std::to_string(number));
        if (for_class)
            argv.insert(argv.end(), {"-t", "A"});
    }
    const CommandResult dig = run_command(argv, 60s);
    std::map<unsigned, std::string> names;
    std::istringstream lines(dig.output);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.starts_with(";t"))
            continue;
        std::istringstream fields(line);
        std::string owner, klass, type;
        fields >> owner >> klass >> type;
        names[static_cast<unsigned>(std::stoul(owner.substr(2)))] = for_class ? klass : type;
    }
    return names;
}

} // namespace

TEST_CASE("every type number gets the name dig gives it") {
    std::vector<unsigned> numbers;
    for (unsigned type = 0; type <= 300; ++type)
        if (type != 251 && type != 252 && type != 255) // dig prints no question for
            numbers.push_back(type);                   // IXFR, AXFR and ANY here
    for (unsigned type : {32767u, 32768u, 32769u, 32770u, 65280u, 65534u, 65535u})
        numbers.push_back(type);
    const auto names = dig_names(numbers, false);
    CHECK(names.size() == numbers.size());
    for (unsigned type : numbers) {
        INFO("type " << type);
        REQUIRE(names.contains(type));
        CHECK(type_name(static_cast<uint16_t>(type)) == names.at(type));
    }
    CHECK(type_name(251) == "IXFR");
    CHECK(type_name(252) == "AXFR");
    CHECK(type_name(255) == "ANY");
}

TEST_CASE("every class number gets the name dig gives it") {
    std::vector<unsigned> numbers;
    for (unsigned klass = 0; klass <= 300; ++klass)
        numbers.push_back(klass);
    numbers.push_back(65535);
    const auto names = dig_names(numbers, true);
    CHECK(names.size() == numbers.size());
    for (unsigned klass : numbers) {
        INFO("class " << klass);
        REQUIRE(names.contains(klass));
        CHECK(class_name(static_cast<uint16_t>(klass)) == names.at(klass));
    }
}

TEST_CASE("opcodes and response codes have their registry names") {
    CHECK(opcode_name(0) == "QUERY");
    CHECK(opcode_name(4) == "NOTIFY");
    CHECK(opcode_name(5) == "UPDATE");
    CHECK(opcode_name(9) == "RESERVED9");
    CHECK(rcode_name(0) == "NOERROR");
    CHECK(rcode_name(2) == "SERVFAIL");
    CHECK(rcode_name(3) == "NXDOMAIN");
    CHECK(rcode_name(5) == "REFUSED");
}
