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

base::Result<std::vector<crypto::AgeRecipient>> collect_recipients(Arguments const& arguments)
{
    std::vector<crypto::AgeRecipient> recipients;
    for (auto const& text : arguments.values("recipient"))
        recipients.push_back(TRY_CONTEXT(crypto::AgeRecipient::parse(text), "-r " + text));
    for (auto const& path : arguments.values("recipients-file")) {
        auto const text = TRY(base::read_file_limited(path, max_recipients_file_bytes));
        std::size_t line_number = 0;
        for (auto line : base::split(text, '\n')) {
            ++line_number;
            line = base::trim(line);
            if (line.empty() || line.front() == '#')
                continue;
            recipients.push_back(TRY_CONTEXT(crypto::AgeRecipient::parse(line), path + ": line " + std::to_string(line_number)));
        }
    }
    if (recipients.empty())
        return base::make_error(base::ErrorCode::Usage, "no recipients: give -r RECIPIENT or -R FILE");
    return recipients;
}

int run_encrypt(Arguments const& arguments)
{
    auto recipients = collect_recipients(arguments);
    if (recipients.is_error())
        return report_error(recipients.error());
    auto target = OutputTarget::open(arguments.value("output"));
    if (target.is_error())
        return report_error(target.error());
    auto const armor = arguments.has("armor") ? crypto::Armor::Yes : crypto::Armor::No;
    auto encryptor = crypto::AgeEncryptor::create(recipients.value(), target.value().sink(), armor);
    if (encryptor.is_error())
        return report_error(encryptor.error());
    if (auto fed = feed_input(arguments, *encryptor.value()); fed.is_error())
        return report_error(fed.error());
    if (auto finished = encryptor.value()->finish(); finished.is_error())
        return report_error(finished.error());
    if (auto committed = target.value().commit(); committed.is_error())
        return report_error(committed.error());
    return exit_ok;
}

int run_decrypt(Arguments const& arguments)
{
    std::vector<crypto::AgeIdentity> identities;
    for (auto const& path : arguments.values("identity")) {
        auto loaded = crypto::AgeIdentity::load_file(path);
        if (loaded.is_error())
            return report_error(loaded.release_error().with_context("-i " + path));
        for (auto& identity : loaded.value())
            identities.push_back(std::move(identity));
    }
    if (identities.empty()) {
        print_error("no identities: give -i IDENTITY_FILE");
        return exit_usage;
    }
    auto target = OutputTarget::open(arguments.value("output"));
    if (target.is_error())
        return report_error(target.error());
    auto decryptor = crypto::AgeDecryptor::create(identities, target.value().sink());
    if (decryptor.is_error())
        return report_error(decryptor.error());
    // With -o the plaintext reaches its name only after the final chunk authenticates:
    // on any failure the temporary file is removed and nothing appears.
    if (auto fed = feed_input(arguments, *decryptor.value()); fed.is_error())
        return report_error(fed.error());
    if (auto finished = decryptor.value()->finish(); finished.is_error())
        return report_error(finished.error());
    if (auto committed = target.value().commit(); committed.is_error())
        return report_error(committed.error());
    return exit_ok;
}

} // namespace

int command_encrypt(Arguments const& arguments)
{
    if (arguments.has("pgp-recipient"))
        return command_pgp_encrypt(arguments);
    return run_encrypt(arguments);
}

int command_decrypt(Arguments const& arguments)
{
    if (arguments.has("pgp-identity"))
        return command_pgp_decrypt(arguments);
    return run_decrypt(arguments);
}

namespace {

// With --config, the new key goes into the audit log (docs/audit.md: kind `key`).
int record_generated_key(Arguments const& arguments, std::string_view type, std::string const& path, std::string_view public_part)
{
    if (!arguments.has("config"))
        return exit_ok;
    auto config = load_configuration(arguments);
    if (config.is_error())
        return report_error(config.error());
    auto ledger = store::Ledger::open(config.value().state_directory);
    if (ledger.is_error())
        return report_error(ledger.error());
    auto const recorded_path = audit::recorded_key_path(config.value(), path);
    auto recorded = audit::Journal(*ledger.value(), audit::current_actor()).record_key("generated", type, public_part, recorded_path);
    if (recorded.is_error())
        return report_error(recorded.error());
    std::fprintf(stderr, "dcagw: recorded as audit entry %lld\n", static_cast<long long>(recorded.value()));
    return exit_ok;
}

} // namespace

int command_keys_generate(Arguments const& arguments)
{
    auto const type = arguments.value("type");
    auto const out = arguments.value("out");
    if (!type || !out) {
        print_error("--type and --out are required");
        print_hint("dcagw keys generate --type age|ed25519|pseudonym --out FILE");
        return exit_usage;
    }
    if (*type == "age") {
        auto const key = crypto::generate_age_identity_file_text();
        auto file = base::AtomicFile::create(*out);
        if (file.is_error())
            return report_error(file.error());
        if (auto written = file.value().write(std::string_view(key.identity_file_text)); written.is_error())
            return report_error(written.error());
        if (auto committed = file.value().commit(); committed.is_error())
            return report_error(committed.error());
        std::printf("%s\n", key.recipient.c_str());
        return record_generated_key(arguments, "age", *out, key.recipient);
    }
    if (*type == "ed25519") {
        if (auto generated = crypto::generate_secret_key_file(*out, crypto::SecretKeyType::Ed25519); generated.is_error())
            return report_error(generated.error());
        auto key = crypto::Ed25519SigningKey::load(*out);
        if (key.is_error())
            return report_error(key.error());
        std::printf("%s\n", key.value().public_key().to_text().c_str());
        return record_generated_key(arguments, "ed25519", *out, key.value().public_key().to_text());
    }
    if (*type == "pseudonym") {
        if (auto generated = crypto::generate_secret_key_file(*out, crypto::SecretKeyType::Pseudonym); generated.is_error())
            return report_error(generated.error());
        auto key = crypto::PseudonymKey::load(*out);
        if (key.is_error())
            return report_error(key.error());
        std::fprintf(stderr, "dcagw: pseudonym key written to %s (mode 0600; it has no public part, its id is %s)\n", out->c_str(), key.value().key_id().c_str());
        return record_generated_key(arguments, "pseudonym", *out, key.value().key_id());
    }
    print_error("unknown key type '" + *type + "'");
    print_hint("use age, ed25519 or pseudonym");
    return exit_usage;
}

int command_sign(Arguments const& arguments)
{
    auto const key = arguments.value("key");
    if (!key || arguments.positional().size() != 1) {
        print_error("usage: dcagw sign --key FILE IN");
        return exit_usage;
    }
    auto const& input = arguments.positional().front();
    auto const signature = input + ".sig";
    if (auto signed_file = crypto::sign_file_to(*key, input, signature); signed_file.is_error())
        return report_error(signed_file.error());
    std::printf("%s\n", signature.c_str());
    return exit_ok;
}

int command_verify(Arguments const& arguments)
{
    auto const key = arguments.value("pub");
    if (!key || arguments.positional().empty()) {
        print_error("usage: dcagw verify --pub FILE IN [SIG]");
        return exit_usage;
    }
    auto const& input = arguments.positional().front();
    auto const signature = arguments.positional().size() > 1 ? arguments.positional()[1] : input + ".sig";
    if (auto verified = crypto::verify_file_from(*key, input, signature); verified.is_error())
        return report_error(verified.error());
    std::printf("%s: signature good\n", input.c_str());
    return exit_ok;
}

} // namespace dcagw::cli
