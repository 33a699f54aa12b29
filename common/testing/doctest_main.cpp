// The entry point of every test program: doctest's own main, which runs every
// TEST_CASE linked into the program and accepts doctest's command-line options.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
