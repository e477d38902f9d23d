#include "gateway/inbound/inbound.hpp"

#include "gateway/crypto/hash.hpp"
#include "gateway/crypto/pgp.hpp"

#include <initializer_list>
#include <algorithm>
#include <system_error>

namespace dcagw::inbound {

namespace {

namespace fs = std::filesystem;

// Removes the plaintext when the read is over, however it ended. A file collected with
// no envelope is the collected file itself and is left alone.
class PlaintextGuard {
public:
    explicit PlaintextGuard(fs::path path) : m_path(std::move(path)) {}
    ~PlaintextGuard()
    {
        if (!m_path.empty()) {
            std::error_code ignored;
            fs::remove(m_path, ignored);
        }
    }
    PlaintextGuard(PlaintextGuard const&) = delete;
    PlaintextGuard& operator=(PlaintextGuard const&) = delete;

private:
    fs::path m_path;
};

struct Opened {
    fs::path plaintext;
    bool signature_verified { false };
    std::string signer;
};

base::Result<void> prepare_work_directory(fs::path const& folder)
{
    std::error_code error;
    fs::create_directories(folder, error);
    if (error)
        return base::make_error(base::ErrorCode::FileWriteFailed, folder.string() + ": cannot create the work folder (" + error.message() + ")");
    fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, error);
    if (error)
        return base::make_error(base::ErrorCode::FileWriteFailed, folder.string() + ": cannot make the work folder owner-only (" + error.message() + ")");
    return {};
}

base::Result<Opened> open_pgp(model::ReturnsProfile const& returns, InboundFile const& file, fs::path const& plaintext)
{
    crypto::PgpDecryptOptions options;
    options.secret_key = *returns.decryption_key;
    options.passphrase_file = returns.decryption_passphrase_file;
    options.require_signature = returns.require_signature ? crypto::RequireSignature::Yes : crypto::RequireSignature::No;
    options.max_plaintext_bytes = file.limits.max_file_bytes;
    if (returns.require_signature && returns.signature_keys.empty())
        return base::make_error(base::ErrorCode::ConfigInvalid, "returns.require_signature is set but returns.signature_keys names no key");
    // One key normally; during a key rotation the agency may sign with either, so each is
    // tried in turn (the file is decrypted again only when a signature does not verify).
    std::size_t const attempts = std::max<std::size_t>(1, returns.signature_keys.size());
    for (std::size_t index = 0; index < attempts; ++index) {
        options.sender_public_key = returns.signature_keys.empty() ? std::nullopt : std::optional(returns.signature_keys[index]);
        auto report = crypto::pgp_decrypt_file(options, file.collected_path, plaintext);
        if (report.is_error()) {
            bool const another_key = report.error().code() == base::ErrorCode::SignatureInvalid && index + 1 < attempts;
            if (another_key)
                continue;
            return report.release_error();
        }
        bool const verified = report.value().signature == crypto::PgpSignatureStatus::Valid;
        return Opened { plaintext, verified, verified ? report.value().signer_fingerprint : std::string() };
    }
    return base::make_error(base::ErrorCode::Internal, "no signature key was tried");
}

base::Result<Opened> open_envelope(model::ReturnsProfile const& returns, InboundKeys const& keys, InboundFile const& file, fs::path const& plaintext)
{
    switch (returns.encryption) {
    case model::ReturnEncryption::None:
        return Opened { file.collected_path, false, {} };
    case model::ReturnEncryption::Age:
        TRY(crypto::decrypt_file_to(file.collected_path, keys.age_identities(), plaintext));
        return Opened { plaintext, false, {} };
    case model::ReturnEncryption::OpenPgp:
        return open_pgp(returns, file, plaintext);
    }
    return base::make_error(base::ErrorCode::Internal, "unknown return encryption");
}

} // namespace

namespace {

// The name a layout's pattern is matched against: an encrypted file's name without the
// envelope's own suffix ("20261207-payments.csv.gpg" is a "????????-payments.csv"), so one
// mapping serves whichever envelope the agency's profile declares.
std::string name_inside_envelope(model::ReturnEncryption encryption, std::string const& name)
{
    auto const without = [&](std::initializer_list<std::string_view> suffixes) {
        for (auto const suffix : suffixes)
            if (name.size() > suffix.size() && name.ends_with(suffix))
                return name.substr(0, name.size() - suffix.size());
        return name;
    };
    switch (encryption) {
    case model::ReturnEncryption::OpenPgp:
        return without({ ".gpg", ".pgp", ".asc" });
    case model::ReturnEncryption::Age:
        return without({ ".age" });
    case model::ReturnEncryption::None:
        break;
    }
    return name;
}

} // namespace

base::Result<ReturnFileFacts> read_return_file(model::AgencyConfig const& agency, InboundKeys const& keys, InboundFile const& file, ReturnFileSink& sink)
{
    if (!agency.returns)
        return base::make_error(base::ErrorCode::ConfigInvalid, "agency " + agency.id + " has no 'returns' section: its return files cannot be opened (docs/configuration.md)");
    auto const& returns = *agency.returns;
    std::string const where = "return file " + file.file_name + " of agency " + agency.id;

    std::error_code error;
    auto const size = fs::file_size(file.collected_path, error);
    if (error)
        return base::make_error(base::ErrorCode::FileUnreadable, where + ": " + file.collected_path.string() + ": " + error.message());
    if (size > file.limits.max_file_bytes)
        return base::make_error(base::ErrorCode::InputTooLarge, where + ": " + std::to_string(size) + " bytes, over the limit of " + std::to_string(file.limits.max_file_bytes) + " (limits.max_file_bytes)");

    ReturnFileFacts facts;
    facts.sha256_of_collected = crypto::digest_hex(TRY_CONTEXT(crypto::sha256_of_file(file.collected_path), where));

    fs::path plaintext;
    if (returns.encryption != model::ReturnEncryption::None) {
        TRY_CONTEXT(prepare_work_directory(file.work_directory), where);
        // Named by content, never by the agency's file name (which is not ours to trust).
        plaintext = file.work_directory / (".return-" + facts.sha256_of_collected.substr(0, 32) + ".plain");
        fs::remove(plaintext, error); // a leftover of a crashed run; ours to remove
    }
    PlaintextGuard guard(plaintext);
    auto const opened = TRY_CONTEXT(open_envelope(returns, keys, file, plaintext), where);
    facts.signature_verified = opened.signature_verified;
    facts.signer = opened.signer;

    auto const* layout = TRY(layouts::select_return_layout(agency.mapping, name_inside_envelope(returns.encryption, file.file_name), file.remote_folder,
        opened.plaintext, file.limits));
    facts.kind = layout->kind;
    facts.layout = layout->name;
    if (TRY(sink.start(facts)) == ReadOn::Stop)
        return facts;
    layouts::ReturnReadOptions options { file.limits, file.today, file.file_name };
    auto const counts = TRY(layouts::read_return_file(*layout, opened.plaintext, options, sink));
    facts.lines_accepted = counts.lines_accepted;
    facts.lines_rejected = counts.lines_rejected;
    return facts;
}

namespace {

class EveryFile final : public ReturnFileSink {
public:
    explicit EveryFile(ReturnSink& lines) : m_lines(lines) {}
    base::Result<ReadOn> start(ReturnFileFacts const&) override { return ReadOn::Lines; }
    base::Result<void> accept(model::ReturnLine const& line) override { return m_lines.accept(line); }
    base::Result<void> reject(model::Rejection const& rejection) override { return m_lines.reject(rejection); }

private:
    ReturnSink& m_lines;
};

} // namespace

base::Result<ReturnFileFacts> read_return_file(model::AgencyConfig const& agency, InboundKeys const& keys, InboundFile const& file, ReturnSink& sink)
{
    EveryFile every(sink);
    return read_return_file(agency, keys, file, static_cast<ReturnFileSink&>(every));
}

} // namespace dcagw::inbound
