// pipeline/envelope: one output file of an agency: its encryption and its publication.
//
// Owns: the sink chain encryptor -> SHA-256 -> AtomicFile for a spooled file (age or
// OpenPGP), or plaintext -> AtomicFile for a dry run; the recipients an agency's file is
// encrypted to (the agency's, plus the creditor's archive key for age).
// Must never: create a spool file that receives plaintext.
#pragma once

#include "gateway/base/file.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace dcagw::pipeline {

enum class EnvelopeKind { Age, OpenPgp };

std::vector<EnvelopeKind> envelope_kinds(model::EncryptionKind kind);
// ".age", or ".asc" / ".pgp" for armored / binary OpenPGP.
std::string envelope_extension(EnvelopeKind kind, model::EncryptionProfile const& profile);

// Loads and checks every key an envelope of this kind would encrypt to (the agency's age
// recipients and the creditor's archive recipients, or the agency's OpenPGP public key),
// without creating anything: the run's check before anything is disclosed.
base::Result<void> check_envelope_keys(model::GatewayConfig const& config, model::AgencyConfig const& agency, EnvelopeKind kind);

class Envelope {
public:
    static base::Result<std::unique_ptr<Envelope>> open_encrypted(model::GatewayConfig const& config, model::AgencyConfig const& agency,
        EnvelopeKind kind, std::filesystem::path final_path);
    static base::Result<std::unique_ptr<Envelope>> open_plaintext(std::filesystem::path final_path);
    ~Envelope();

    // Where the agency's layout writer sends its bytes.
    base::ByteSink& head();

    std::string file_name() const { return m_final_path.filename().string(); }
    std::filesystem::path const& final_path() const { return m_final_path; }
    std::filesystem::path temporary_path() const;
    std::uint64_t size_bytes() const;
    std::string sha256_hex() const;

    base::Result<void> publish();
    void discard();

    std::int64_t batch { 0 };
    // For the audit log: "age" or "openpgp", and the age recipients or the OpenPGP key's
    // fingerprint the file is encrypted to.
    std::string encryption;
    std::vector<std::string> recipients;

    struct Chain;

private:
    Envelope() = default;
    std::filesystem::path m_final_path;
    std::unique_ptr<Chain> m_chain;
};

// Writes every byte to each sink: the plaintext is produced once however many
// encryptions an agency asks for (and hashed once for the audit log).
class FanoutSink final : public base::ByteSink {
public:
    explicit FanoutSink(std::vector<base::ByteSink*> sinks) : m_sinks(std::move(sinks)) {}
    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override
    {
        for (auto* sink : m_sinks)
            TRY(sink->write(bytes));
        return {};
    }
    base::Result<void> finish() override
    {
        for (auto* sink : m_sinks)
            TRY(sink->finish());
        return {};
    }

private:
    std::vector<base::ByteSink*> m_sinks;
};

// Every age recipient of an agency's files: its inline recipients, those in its recipient
// files, and the creditor's archive recipients.
base::Result<std::vector<std::string>> age_recipients_for(model::GatewayConfig const& config, model::AgencyConfig const& agency);

} // namespace dcagw::pipeline
