// The key and envelope commands: keys generate, encrypt, decrypt, sign, verify.
#include "gateway/cli/command.hpp"
#include "gateway/cli/commands.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/key_file.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/crypto/signature.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace dcagw::cli {

namespace {

constexpr std::size_t max_recipients_file_bytes = 1 << 20;

// Where a command's output goes: a file published only on success (-o), or stdout.
class OutputTarget {
public:
    static base::Result<OutputTarget> open(std::optional<std::string> const& path)
    {
        OutputTarget target;
        if (path && *path != "-")
            target.m_file = std::make_unique<base::AtomicFile>(TRY(base::AtomicFile::create(*path)));
        else
            target.m_stdout = std::make_unique<base::DescriptorSink>(STDOUT_FILENO);
        return target;
    }
    base::ByteSink& sink() { return m_file ? static_cast<base::ByteSink&>(*m_file) : *m_stdout; }
    // The sink has been finished by its producer; publish the file if there is one.
    base::Result<void> commit() { return m_file ? m_file->commit() : base::Result<void>(); }

private:
    std::unique_ptr<base::AtomicFile> m_file;
    std::unique_ptr<base::DescriptorSink> m_stdout;
};

base::Result<void> feed_input(Arguments const& arguments, base::ByteSink& sink)
{
    if (arguments.positional().empty() || arguments.positional().front() == "-")
        return base::copy_descriptor_to(STDIN_FILENO, sink, "standard input");
    return base::copy_file_to(arguments.positional().front(), sink);
}

// age also encrypts to SSH keys; this tool does not. Such a recipient is named for what it is (`unsupported recipient type`, docs/cli.md), not
// called an invalid age1 recipient.
base::Result<crypto::AgeRecipient> parse_recipient(std::string_view text)
{
    for (std::string_view const prefix : { "ssh-ed25519 ", "ssh-rsa ", "ecdsa-sha2-", "sk-ssh-" })
        if (text.starts_with(prefix))
            return base::make_error(base::ErrorCode::UnsupportedRecipient, "an SSH public key is not an age recipient here")
                .with_hint("give the agency's X25519 recipient (age1...; `age-keygen -y` or `dcagw keys generate --type age` prints one)");
    return crypto::AgeRecipient::parse(text);
}

base::Result<std::vector<crypto::AgeRecipient>> collect_recipients(Arguments const& arguments)
{
    std::vector<crypto::AgeRecipient> recipients;
    for (auto const& text : arguments.values("recipient"))
        recipients.push_back(TRY_CONTEXT(parse_recipient(text), "-r " + text));
    for (auto const& path : arguments.values("recipients-file")) {
        auto const text = TRY(base::read_file_limited(path, max_recipients_file_bytes));
        std::size_t line_number = 0;
        for (auto line : base::split(text, '\n')) {
            ++line_number;
            line = base::trim(line);
            if (line.empty() || line.front() == '#')
                continue;
            recipients.push_back(TRY_CONTEXT(parse_recipient(line), path + ": line " + std::to_string(line_number)));
        }
    }
    if (recipients.empty())
        return base::make_error(base::ErrorCode::Usage, "no recipients: give -r RECIPIENT or -R FILE");
    return recipients;
}

Outcome run_encrypt(Arguments const& arguments)
{
    auto const recipients = TRY(collect_recipients(arguments));
    auto target = TRY(OutputTarget::open(arguments.value("output")));
    auto const armor = arguments.has("armor") ? crypto::Armor::Yes : crypto::Armor::No;
    auto encryptor = TRY(crypto::AgeEncryptor::create(recipients, target.sink(), armor));
    TRY(feed_input(arguments, *encryptor));
    TRY(encryptor->finish());
    TRY(target.commit());
    return ExitCode::Ok;
}

Outcome run_decrypt(Arguments const& arguments)
{
    std::vector<crypto::AgeIdentity> identities;
    for (auto const& path : arguments.values("identity"))
        for (auto& identity : TRY_CONTEXT(crypto::AgeIdentity::load_file(path), "-i " + path))
            identities.push_back(std::move(identity));
    if (identities.empty())
        return usage_error("no identities: give -i IDENTITY_FILE");
    auto target = TRY(OutputTarget::open(arguments.value("output")));
    auto decryptor = TRY(crypto::AgeDecryptor::create(identities, target.sink()));
    // With -o the plaintext reaches its name only after the final chunk authenticates:
    // on any failure the temporary file is removed and nothing appears.
    TRY(feed_input(arguments, *decryptor));
    TRY(decryptor->finish());
    TRY(target.commit());
    return ExitCode::Ok;
}

} // namespace

Outcome command_encrypt(Arguments const& arguments)
{
    if (arguments.has("pgp-recipient"))
        return command_pgp_encrypt(arguments);
    return run_encrypt(arguments);
}

Outcome command_decrypt(Arguments const& arguments)
{
    if (arguments.has("pgp-identity"))
        return command_pgp_decrypt(arguments);
    return run_decrypt(arguments);
}

namespace {

// With --config, the new key goes into the audit log (docs/audit.md: kind `key`).
base::Result<void> record_generated_key(Arguments const& arguments, std::string_view type, std::string const& path, std::string_view public_part)
{
    if (!arguments.has("config"))
        return {};
    auto const config = TRY(load_configuration(arguments));
    auto const ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));
    auto const recorded_path = audit::recorded_key_path(config, path);
    auto const recorded = TRY(audit::Journal(*ledger, audit::current_actor()).record_key("generated", type, public_part, recorded_path));
    print_note("recorded as audit entry " + std::to_string(recorded));
    return {};
}

// Writes the new key to `out` and returns its public part (a pseudonym key's id).
base::Result<std::string> generate_key(std::string const& type, std::string const& out)
{
    if (type == "age") {
        auto const key = crypto::generate_age_identity_file_text();
        auto file = TRY(base::AtomicFile::create(out));
        TRY(file.write(std::string_view(key.identity_file_text)));
        TRY(file.commit());
        std::printf("%s\n", key.recipient.c_str());
        return key.recipient;
    }
    if (type == "ed25519") {
        TRY(crypto::generate_secret_key_file(out, crypto::SecretKeyType::Ed25519));
        auto const public_key = TRY(crypto::Ed25519SigningKey::load(out)).public_key().to_text();
        std::printf("%s\n", public_key.c_str());
        return public_key;
    }
    if (type == "pseudonym") {
        TRY(crypto::generate_secret_key_file(out, crypto::SecretKeyType::Pseudonym));
        auto const key_id = TRY(crypto::PseudonymKey::load(out)).key_id();
        print_note("pseudonym key written to " + out + " (mode 0600; it has no public part, its id is " + key_id + ")");
        return key_id;
    }
    return usage_error("unknown key type '" + type + "'").with_hint("use age, ed25519 or pseudonym");
}

} // namespace

Outcome command_keys_generate(Arguments const& arguments)
{
    auto const type = arguments.value("type");
    auto const out = arguments.value("out");
    if (!type || !out)
        return usage_error("--type and --out are required").with_hint("dcagw keys generate --type age|ed25519|pseudonym --out FILE");
    auto const public_part = TRY(generate_key(*type, *out));
    TRY(record_generated_key(arguments, *type, *out, public_part));
    return ExitCode::Ok;
}

Outcome command_sign(Arguments const& arguments)
{
    auto const key = arguments.value("key");
    if (!key || arguments.positional().size() != 1)
        return usage_error("usage: dcagw sign --key FILE IN");
    auto const& input = arguments.positional().front();
    auto const signature = input + ".sig";
    TRY(crypto::sign_file_to(*key, input, signature));
    std::printf("%s\n", signature.c_str());
    return ExitCode::Ok;
}

Outcome command_verify(Arguments const& arguments)
{
    auto const key = arguments.value("pub");
    if (!key || arguments.positional().empty())
        return usage_error("usage: dcagw verify --pub FILE IN [SIG]");
    auto const& input = arguments.positional().front();
    auto const signature = arguments.positional().size() > 1 ? arguments.positional()[1] : input + ".sig";
    TRY(crypto::verify_file_from(*key, input, signature));
    std::printf("%s: signature good\n", input.c_str());
    return ExitCode::Ok;
}

} // namespace dcagw::cli
