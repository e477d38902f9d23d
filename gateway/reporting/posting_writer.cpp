// The posting files (docs/postings.md, "Crash safety" has the steps and their recovery).
#include "gateway/reporting/posting_writer.hpp"

#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/hash.hpp"

#include <cstdio>
#include <system_error>

namespace dcagw::reporting {

namespace {

std::string six_digits(std::int64_t number)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%06lld", static_cast<long long>(number));
    return buffer;
}

// The file already under the final name, when one is there (a run killed after its
// rename and before its mark): it must be this very content, or it is not ours to touch.
base::Result<bool> already_in_place(std::filesystem::path const& path, std::string const& content)
{
    std::error_code error;
    if (!std::filesystem::exists(std::filesystem::symlink_status(path, error)))
        return false;
    auto const found = base::read_file_limited(path, content.size() + 1);
    if (found.is_error() || found.value() != content)
        return base::make_error(base::ErrorCode::AlreadyExists, "posting file " + path.string()
            + " is already there with other content; it is not replaced (move it away only if it was never given to the housing system)");
    return true;
}

base::Result<WrittenPostingFile> publish(store::Ledger& ledger, store::Postings& postings, store::PostingFile const& file,
    std::filesystem::path const& output, bool recovered)
{
    auto const lines = TRY(postings.lines_of(file));
    auto const content = posting_csv(file, lines);
    WrittenPostingFile written { file.agency, file.sequence, file.file_name, output / file.file_name,
        crypto::digest_hex(crypto::Sha256::digest(content)), static_cast<std::int64_t>(lines.size()), 0, 0, 0, 0, 0, recovered };
    for (auto const& line : lines) {
        bool const refund = line.source == store::PostingSource::Refund;
        (refund ? written.refunds : written.payments) += 1;
        (refund ? written.refunds_pence : written.payments_pence) += line.amount_pence;
        written.total_pence += line.amount_pence;
    }
    if (!TRY(already_in_place(written.path, content))) {
        auto sink = TRY(base::AtomicFile::create(written.path));
        TRY(sink.write(content));
        TRY(sink.commit());
    }
    TRY(ledger.transaction([&] { return postings.mark_published(file, lines, written.sha256, written.total_pence); }));
    return written;
}

} // namespace

std::string posting_file_name(std::string_view agency, std::int64_t sequence)
{
    return "postings-" + std::string(agency) + "-" + six_digits(sequence) + ".csv";
}

std::string posting_csv(store::PostingFile const& file, std::vector<store::PostingLine> const& lines)
{
    std::string out = posting_header;
    out += '\n';
    std::int64_t number = 0;
    for (auto const& line : lines) {
        base::append_csv_field(out, file.agency + "-" + six_digits(file.sequence) + "-" + six_digits(++number));
        for (auto const& field : { file.agency, line.account_ref, line.kind, std::to_string(line.amount_pence), line.date, line.money_id, line.payment_id }) {
            out += ',';
            base::append_csv_field(out, field);
        }
        out += '\n';
    }
    return out;
}

std::int64_t PostingSummary::lines() const
{
    std::int64_t count = 0;
    for (auto const& file : files)
        count += file.lines;
    return count;
}

std::int64_t PostingSummary::total_pence() const
{
    std::int64_t total = 0;
    for (auto const& file : files)
        total += file.total_pence;
    return total;
}

base::Result<PostingSummary> write_postings(store::Ledger& ledger, model::GatewayConfig const& config, PostingOptions const& options)
{
    PostingSummary summary;
    summary.output = options.output.value_or(config.state_directory / "postings");
    TRY(base::ensure_private_directory(summary.output));
    store::Postings postings(ledger);
    for (auto const& agency : config.agencies) {
        if (options.agency && *options.agency != agency.id)
            continue;
        // A file an interrupted run claimed goes first: its lines are its own.
        if (auto const pending = TRY(postings.pending_file(agency.id)))
            summary.files.push_back(TRY(publish(ledger, postings, *pending, summary.output, true)));
        auto const name_of = [&](std::int64_t sequence) { return posting_file_name(agency.id, sequence); };
        if (auto const claimed = TRY(postings.claim_file(agency.id, name_of)))
            summary.files.push_back(TRY(publish(ledger, postings, *claimed, summary.output, false)));
    }
    return summary;
}

std::string PostingSummary::to_json() const
{
    std::string out = "{\"output\": ";
    base::append_json_string(out, output.string());
    out += ", \"files_written\": " + std::to_string(files.size()) + ", \"lines\": " + std::to_string(lines()) + ", \"total_pence\": "
        + std::to_string(total_pence()) + ", \"files\": [";
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto const& file = files[i];
        out += i > 0 ? ", {\"agency\": " : "{\"agency\": ";
        base::append_json_string(out, file.agency);
        out += ", \"sequence\": " + std::to_string(file.sequence) + ", \"file_name\": ";
        base::append_json_string(out, file.file_name);
        out += ", \"path\": ";
        base::append_json_string(out, file.path.string());
        out += ", \"sha256\": \"" + file.sha256 + "\", \"lines\": " + std::to_string(file.lines) + ", \"payments\": " + std::to_string(file.payments)
            + ", \"refunds\": " + std::to_string(file.refunds) + ", \"payments_pence\": " + std::to_string(file.payments_pence)
            + ", \"refunds_pence\": " + std::to_string(file.refunds_pence) + ", \"total_pence\": " + std::to_string(file.total_pence)
            + ", \"recovered\": " + (file.recovered ? "true" : "false") + "}";
    }
    out += "]}";
    return out;
}

} // namespace dcagw::reporting
