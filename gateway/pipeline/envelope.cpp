#include "gateway/pipeline/envelope.hpp"

#include "gateway/base/text.hpp"
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/crypto/pgp.hpp"

namespace dcagw::pipeline {

using base::ErrorCode;
using base::make_error;

struct Envelope::Chain {
    std::unique_ptr<base::AtomicFile> file;
    std::unique_ptr<crypto::HashingSink> hash;
    std::unique_ptr<base::ByteSink> encryptor;
    std::vector<crypto::AgeRecipient> age_recipients;
};

std::vector<EnvelopeKind> envelope_kinds(model::EncryptionKind kind)
{
    switch (kind) {
    case model::EncryptionKind::Age: return { EnvelopeKind::Age };
    case model::EncryptionKind::OpenPgp: return { EnvelopeKind::OpenPgp };
    case model::EncryptionKind::Both: return { EnvelopeKind::Age, EnvelopeKind::OpenPgp };
    }
    return {};
}

std::string envelope_extension(EnvelopeKind kind, model::EncryptionProfile const& profile)
{
    if (kind == EnvelopeKind::Age)
        return ".age";
    return profile.pgp_armor ? ".asc" : ".pgp";
}

base::Result<std::vector<std::string>> age_recipients_for(model::GatewayConfig const& config, model::AgencyConfig const& agency)
{
    std::vector<std::string> recipients = agency.encryption.age_recipients;
    for (auto const& path : agency.encryption.age_recipient_files) {
        auto const text = TRY(base::read_file_limited(path, 64 * 1024));
        for (auto line : base::split(text, '\n')) {
            line = base::trim(line);
            if (!line.empty() && line.front() != '#')
                recipients.emplace_back(line);
        }
    }
    recipients.insert(recipients.end(), config.archive_recipients.begin(), config.archive_recipients.end());
    if (recipients.empty())
        return make_error(ErrorCode::ConfigInvalid, "agency " + agency.id + " has no age recipient");
    return recipients;
}

namespace {

// The recipients as the audit entry names them; for age, also parsed into `parsed`.
base::Result<std::vector<std::string>> recipients_of(model::GatewayConfig const& config, model::AgencyConfig const& agency, EnvelopeKind kind,
    std::vector<crypto::AgeRecipient>& parsed)
{
    std::vector<std::string> names;
    if (kind == EnvelopeKind::Age) {
        for (auto const& text : TRY(age_recipients_for(config, agency))) {
            parsed.push_back(TRY_CONTEXT(crypto::AgeRecipient::parse(text), "recipient of agency " + agency.id));
            names.push_back(text);
        }
        return names;
    }
    if (!agency.encryption.pgp_public_key)
        return make_error(ErrorCode::ConfigInvalid, "agency " + agency.id + " asks for OpenPGP but names no pgp_public_key");
    names.push_back(TRY_CONTEXT(crypto::pgp_public_key_fingerprint(*agency.encryption.pgp_public_key), "agency " + agency.id));
    return names;
}

} // namespace

base::Result<void> check_envelope_keys(model::GatewayConfig const& config, model::AgencyConfig const& agency, EnvelopeKind kind)
{
    std::vector<crypto::AgeRecipient> parsed;
    TRY(recipients_of(config, agency, kind, parsed));
    return {};
}

base::Result<std::unique_ptr<Envelope>> Envelope::open_encrypted(model::GatewayConfig const& config, model::AgencyConfig const& agency,
    EnvelopeKind kind, std::filesystem::path final_path)
{
    auto envelope = std::unique_ptr<Envelope>(new Envelope());
    envelope->m_final_path = std::move(final_path);
    envelope->m_chain = std::make_unique<Chain>();
    auto& chain = *envelope->m_chain;
    envelope->encryption = kind == EnvelopeKind::Age ? "age" : "openpgp";
    envelope->recipients = TRY(recipients_of(config, agency, kind, chain.age_recipients));
    chain.file = std::make_unique<base::AtomicFile>(TRY(base::AtomicFile::create(envelope->m_final_path)));
    chain.hash = std::make_unique<crypto::HashingSink>(*chain.file);
    if (kind == EnvelopeKind::Age) {
        chain.encryptor = TRY(crypto::AgeEncryptor::create(chain.age_recipients, *chain.hash, crypto::Armor::No));
    } else {
        crypto::PgpEncryptOptions options;
        options.recipient_public_key = *agency.encryption.pgp_public_key;
        options.signing_secret_key = config.pgp_signing_key;
        options.passphrase_file = config.pgp_passphrase_file;
        options.armor = agency.encryption.pgp_armor ? crypto::PgpArmor::Armored : crypto::PgpArmor::Binary;
        // The name inside the message is the plaintext file's name, as agencies expect.
        options.literal_file_name = envelope->m_final_path.stem().string();
        chain.encryptor = TRY(crypto::PgpEncryptor::create(options, *chain.hash));
    }
    return envelope;
}

base::Result<std::unique_ptr<Envelope>> Envelope::open_plaintext(std::filesystem::path final_path)
{
    auto envelope = std::unique_ptr<Envelope>(new Envelope());
    envelope->m_final_path = std::move(final_path);
    envelope->m_chain = std::make_unique<Chain>();
    envelope->m_chain->file = std::make_unique<base::AtomicFile>(TRY(base::AtomicFile::create(envelope->m_final_path)));
    envelope->m_chain->hash = std::make_unique<crypto::HashingSink>(*envelope->m_chain->file);
    return envelope;
}

Envelope::~Envelope() = default;

base::ByteSink& Envelope::head()
{
    if (m_chain->encryptor)
        return *m_chain->encryptor;
    return *m_chain->hash;
}

std::filesystem::path Envelope::temporary_path() const
{
    return m_chain->file->temporary_path();
}

std::uint64_t Envelope::size_bytes() const
{
    return m_chain->hash->byte_count();
}

std::string Envelope::sha256_hex() const
{
    return crypto::digest_hex(m_chain->hash->digest());
}

base::Result<void> Envelope::publish()
{
    return m_chain->file->commit();
}

void Envelope::discard()
{
    m_chain->file->abandon();
}

} // namespace dcagw::pipeline
