// dcagw: the command-line tool. All behaviour lives in the library modules; this file
// hardens the process and hands the arguments to the CLI module.
#include "gateway/cli/command.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace {

// Before anything else, and so before any secret key is loaded: no core file may ever
// hold a key or a plaintext row, and a non-dumpable process also refuses ptrace attach
// and /proc/<pid>/mem to other users. Lowering a limit and clearing the flag do not fail
// on Linux for an unprivileged process either, so the results are not checked.
void disable_core_dumps()
{
    struct rlimit const none { 0, 0 };
    (void)::setrlimit(RLIMIT_CORE, &none);
    (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

} // namespace

int main(int argc, char** argv)
{
    disable_core_dumps();
    return dcagw::cli::run(argc, argv);
}
