// OpenPGP variants of encrypt and decrypt (--pgp-recipient / --pgp-identity).
#include "gateway/cli/command.hpp"
#include "gateway/cli/commands.hpp"

namespace dcagw::cli {

int command_pgp_encrypt(Arguments const&)
{
    print_error("OpenPGP is not wired into the CLI yet");
    return exit_runtime;
}

int command_pgp_decrypt(Arguments const&)
{
    print_error("OpenPGP is not wired into the CLI yet");
    return exit_runtime;
}

} // namespace dcagw::cli
