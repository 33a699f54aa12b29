// The tests' way to parse a command line: the words after the program's name.
#pragma once

#include "../options.hpp"

#include <string>
#include <vector>

namespace dns::testing {

inline Options parse_command_line(std::vector<std::string> words) {
    words.insert(words.begin(), "resolver");
    std::vector<char*> argv;
    for (auto& word : words)
        argv.push_back(word.data());
    return parse_options(argv);
}

} // namespace dns::testing
