// dcagw: the command-line tool. All behaviour lives in the library modules; this file
// only hands the arguments to the CLI module.
#include "gateway/cli/command.hpp"

int main(int argc, char** argv)
{
    return dcagw::cli::run(argc, argv);
}
