#include "gateway/pipeline/agency_output.hpp"

#include "gateway/pipeline/envelope.hpp"

#include <cstdio>

namespace dcagw::pipeline {

using base::ErrorCode;
using base::make_error;

std::string expand_file_name(std::string_view pattern, std::string_view agency, base::Date date, std::int64_t sequence)
{
    char date_text[16];
    std::snprintf(date_text, sizeof date_text, "%04d%02d%02d", date.year, date.month, date.day);
    std::string out;
    bool used_sequence = false;
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] != '{') {
            out.push_back(pattern[i++]);
            continue;
        }
        auto const close = pattern.find('}', i);
        if (close == std::string_view::npos) {
            out.append(pattern.substr(i));
            break;
        }
        auto const token = pattern.substr(i + 1, close - i - 1);
        if (token == "agency") {
            out.append(agency);
        } else if (token == "date") {
            out.append(date_text);
        } else if (token == "sequence") {
            out.append(std::to_string(sequence));
            used_sequence = true;
        } else if (token.starts_with("sequence:")) {
            auto const width = std::max(1, std::min(9, std::atoi(std::string(token.substr(9)).c_str())));
            char number[32];
            std::snprintf(number, sizeof number, "%0*lld", width, static_cast<long long>(sequence));
            out.append(number);
            used_sequence = true;
        } else {
            out.append(pattern.substr(i, close - i + 1)); // config check refuses unknown tokens
        }
        i = close + 1;
    }
    if (!used_sequence && sequence > 1) {
        auto const dot = out.find('.');
        auto const suffix = "-" + std::to_string(sequence);
        if (dot == std::string::npos)
            out.append(suffix);
        else
            out.insert(dot, suffix);
    }
    return out;
}

std::filesystem::path spool_folder(model::GatewayConfig const& config, std::string_view agency)
{
    return config.state_directory / "spool" / std::string(agency);
}

AgencyOutput::~AgencyOutput() = default;

base::Result<void> AgencyOutput::attach_writer(model::Mapping const& mapping)
{
    std::vector<base::ByteSink*> heads;
    for (auto& envelope : m_envelopes)
        heads.push_back(&envelope->head());
    // The audit log records the plaintext's hash too (a disclosure is the plaintext; the
    // ciphertext differs per envelope).
    m_plaintext_hash = std::make_unique<crypto::HashingSink>();
    heads.push_back(m_plaintext_hash.get());
    m_fanout = std::make_unique<FanoutSink>(std::move(heads));
    m_writer = TRY(layouts::make_agency_writer(mapping, *m_fanout));
    return {};
}

base::Result<std::unique_ptr<AgencyOutput>> AgencyOutput::open_real(model::GatewayConfig const& config, model::AgencyConfig const& agency,
    store::Ledger& ledger, std::int64_t run, base::Date date)
{
    auto output = std::unique_ptr<AgencyOutput>(new AgencyOutput());
    auto const folder = spool_folder(config, agency.id);
    TRY(base::ensure_private_directory(folder));
    char date_text[16];
    std::snprintf(date_text, sizeof date_text, "%04d%02d%02d", date.year, date.month, date.day);
    auto const sequence = TRY(ledger.next_sequence(agency.id, date_text));
    auto const plain_name = expand_file_name(agency.mapping.file_name_pattern, agency.id, date, sequence);
    auto kinds = envelope_kinds(agency.encryption.kind);
    for (auto const kind : kinds) {
        auto envelope = TRY_CONTEXT(Envelope::open_encrypted(config, agency, kind, folder / (plain_name + envelope_extension(kind, agency.encryption))),
            "agency " + agency.id);
        store::Batch batch;
        batch.run = run;
        batch.agency = agency.id;
        batch.file_name = envelope->file_name();
        batch.temporary_path = envelope->temporary_path().string();
        batch.final_path = envelope->final_path().string();
        batch.status = store::BatchStatus::Writing;
        envelope->batch = TRY(ledger.create_batch(batch));
        output->m_envelopes.push_back(std::move(envelope));
    }
    TRY(output->attach_writer(agency.mapping));
    return output;
}

base::Result<std::unique_ptr<AgencyOutput>> AgencyOutput::open_dry_run(model::AgencyConfig const& agency, std::filesystem::path const& folder,
    store::Ledger& ledger, base::Date date)
{
    auto output = std::unique_ptr<AgencyOutput>(new AgencyOutput());
    output->m_dry_run = true;
    TRY(base::ensure_private_directory(folder));
    char date_text[16];
    std::snprintf(date_text, sizeof date_text, "%04d%02d%02d", date.year, date.month, date.day);
    auto const sequence = TRY(ledger.next_sequence(agency.id, date_text));
    auto const name = expand_file_name(agency.mapping.file_name_pattern, agency.id, date, sequence);
    output->m_envelopes.push_back(TRY(Envelope::open_plaintext(folder / name)));
    TRY(output->attach_writer(agency.mapping));
    return output;
}

std::int64_t AgencyOutput::primary_batch() const
{
    return m_envelopes.front()->batch;
}

base::Result<void> AgencyOutput::write_row(std::span<std::string const> values)
{
    ++m_rows;
    return m_writer->write_row(values);
}

base::Result<void> AgencyOutput::seal(store::Ledger& ledger)
{
    TRY(m_writer->finish()); // finishes the fan-out, every encryptor and every file
    if (m_dry_run)
        return {};
    for (auto& envelope : m_envelopes)
        TRY(ledger.update_batch(envelope->batch, store::BatchStatus::Sealed, m_rows, static_cast<std::int64_t>(envelope->size_bytes()), envelope->sha256_hex()));
    return {};
}

std::vector<OutputFile> AgencyOutput::files() const
{
    std::vector<OutputFile> files;
    for (auto const& envelope : m_envelopes)
        files.push_back({ envelope->batch, envelope->file_name(), static_cast<std::int64_t>(envelope->size_bytes()), envelope->sha256_hex(),
            envelope->encryption, envelope->recipients });
    return files;
}

std::string AgencyOutput::plaintext_sha256_hex() const
{
    return crypto::digest_hex(m_plaintext_hash->digest());
}

base::Result<std::vector<std::filesystem::path>> AgencyOutput::publish(store::Ledger& ledger)
{
    std::vector<std::filesystem::path> published;
    for (auto& envelope : m_envelopes) {
        TRY(envelope->publish());
        if (!m_dry_run)
            TRY(ledger.update_batch(envelope->batch, store::BatchStatus::Spooled, m_rows, static_cast<std::int64_t>(envelope->size_bytes()), envelope->sha256_hex()));
        published.push_back(envelope->final_path());
    }
    return published;
}

base::Result<void> AgencyOutput::abandon(store::Ledger& ledger)
{
    for (auto& envelope : m_envelopes) {
        envelope->discard();
        if (!m_dry_run)
            TRY(ledger.update_batch(envelope->batch, store::BatchStatus::Abandoned, 0, 0, ""));
    }
    return {};
}

} // namespace dcagw::pipeline
