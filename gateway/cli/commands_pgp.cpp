// OpenPGP variants of encrypt and decrypt (--pgp-recipient / --pgp-identity).
#include "gateway/cli/command.hpp"
#include "gateway/cli/commands.hpp"

#include "gateway/base/file.hpp"
#include "gateway/crypto/pgp.hpp"

#include <cstdio>
#include <unistd.h>

namespace dcagw::cli {

Outcome command_pgp_encrypt(Arguments const& arguments)
{
    if (arguments.positional().empty() || !arguments.value("output"))
        return usage_error("OpenPGP encryption works on files: give IN and -o OUT");
    crypto::PgpEncryptOptions options;
    options.recipient_public_key = *arguments.value("pgp-recipient");
    if (auto const signer = arguments.value("pgp-signer"))
        options.signing_secret_key = *signer;
    options.armor = arguments.has("armor") ? crypto::PgpArmor::Armored : crypto::PgpArmor::Binary;
    std::filesystem::path const input = arguments.positional().front();
    options.literal_file_name = input.filename().string();
    TRY(crypto::pgp_encrypt_file(options, input, *arguments.value("output")));
    return ExitCode::Ok;
}

Outcome command_pgp_decrypt(Arguments const& arguments)
{
    if (arguments.positional().empty() || !arguments.value("output"))
        return usage_error("OpenPGP decryption works on files: give IN and -o OUT");
    crypto::PgpDecryptOptions options;
    options.secret_key = *arguments.value("pgp-identity");
    if (auto const signer = arguments.value("pgp-signer")) {
        options.sender_public_key = *signer;
        options.require_signature = crypto::RequireSignature::Yes;
    } else {
        options.require_signature = crypto::RequireSignature::No;
    }
    auto const report = TRY(crypto::pgp_decrypt_file(options, arguments.positional().front(), *arguments.value("output")));
    switch (report.signature) {
    case crypto::PgpSignatureStatus::Valid:
        print_note("good signature by " + report.signer_fingerprint);
        break;
    case crypto::PgpSignatureStatus::Missing:
        print_warning("the message is not signed (give --pgp-signer KEYFILE to require a signature)");
        break;
    case crypto::PgpSignatureStatus::NotVerified:
        print_warning("the message is signed, but not verified (give --pgp-signer KEYFILE)");
        break;
    }
    return ExitCode::Ok;
}

} // namespace dcagw::cli
