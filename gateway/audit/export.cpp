#include "gateway/audit/export.hpp"

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/entry.hpp"
#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/base64.hpp"
#include "gateway/store/audit_log.hpp"

namespace dcagw::audit {

using base::ErrorCode;
using base::make_error;

namespace {

constexpr std::size_t max_export_bytes = 4ull << 30;

std::string b64(std::string_view bytes)
{
    return crypto::encode_base64(std::span(reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size()), crypto::Base64Padding::Yes);
}

std::optional<std::string> unb64(std::string_view text)
{
    auto const bytes = crypto::decode_base64(text, crypto::Base64Padding::Yes);
    if (!bytes)
        return std::nullopt;
    return std::string(bytes->begin(), bytes->end());
}

base::Result<void> write_text(std::filesystem::path const& path, std::string_view text)
{
    auto file = TRY(base::AtomicFile::create(path));
    TRY(file.write(text));
    return file.commit();
}

} // namespace

base::Result<ExportSummary> export_period(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor, std::string_view from,
    std::string_view to, std::filesystem::path const& folder)
{
    if (!config.signing_key)
        return make_error(ErrorCode::ConfigInvalid, "an audit export is signed: the configuration names no signing_key");
    auto const key = TRY(load_signing_key(ledger, config, actor));
    auto& log = ledger.audit();
    ExportSummary summary;
    TRY(log.for_each_entry_between(std::string(from) + "T00:00:00Z", std::string(to) + "T~", [&](store::AuditEntryRow const& row) {
        if (summary.first == 0)
            summary.first = row.sequence;
        summary.last = row.sequence;
        return true;
    }));
    if (summary.first == 0)
        return make_error(ErrorCode::NotFound, "no audit entries recorded from " + std::string(from) + " to " + std::string(to));

    // The export ends at a checkpoint covering its last entry; sign one now if none does.
    auto covering = [&]() -> base::Result<std::optional<std::int64_t>> {
        for (auto const& row : TRY(log.checkpoints()))
            if (row.entry_count >= summary.last)
                return std::optional(row.entry_count);
        return std::optional<std::int64_t> {};
    };
    auto end = TRY(covering());
    if (!end) {
        (void)TRY(write_checkpoint(ledger, key, config.audit.checkpoint_file, actor));
        end = TRY(covering());
    }
    summary.last = *end;

    Hash previous = genesis_hash;
    if (summary.first > 1)
        TRY(log.entries_from(summary.first - 1, summary.first - 1, [&](store::AuditEntryRow const& row) {
            previous = hash_from_bytes(row.entry_hash).value_or(genesis_hash);
            return false;
        }));
    std::string text = std::string(export_magic) + "\n";
    text += "period " + std::string(from) + " " + std::string(to) + "\n";
    text += "previous " + hash_hex(previous) + "\n";
    std::vector<std::int64_t> lists;
    std::optional<base::Error> failure;
    TRY(log.entries_from(summary.first, summary.last, [&](store::AuditEntryRow const& row) {
        auto const hash = hash_from_bytes(row.entry_hash).value_or(genesis_hash);
        text += "entry " + std::to_string(row.sequence) + " " + hash_hex(hash) + " " + b64(row.body) + "\n";
        if (row.subject_list) {
            auto listed = log.subjects_of_list(*row.subject_list, [&](store::AuditSubjectRow const& subject) {
                ++summary.subjects;
                text += "subject " + std::to_string(subject.list) + " " + b64(subject.account_ref) + " " + b64(subject.person_ref) + " "
                    + b64(subject.pseudonym) + "\n";
                return true;
            });
            if (listed.is_error()) {
                failure = listed.release_error();
                return false;
            }
        }
        return true;
    }));
    if (failure)
        return *failure;
    for (auto& [id, checkpoint] : TRY(stored_checkpoints(ledger))) {
        if (checkpoint.is_error() || checkpoint.value().count < summary.first - 1 || checkpoint.value().count > summary.last)
            continue;
        text += "checkpoint " + checkpoint.value().line() + "\n";
        ++summary.checkpoints;
    }

    TRY(base::ensure_private_directory(folder));
    auto const file = folder / export_file_name;
    TRY(write_text(file, text));
    auto const signature = TRY(crypto::sign_file(key, file));
    TRY(write_text(folder / export_signature_name, signature));
    TRY(write_text(folder / export_public_key_name, key.public_key().to_text() + "\n"));
    return summary;
}

base::Result<VerifyReport> verify_export(std::filesystem::path const& folder, std::optional<crypto::Ed25519PublicKey> const& expected_key)
{
    VerifyReport report;
    auto const file = folder / export_file_name;
    auto const included = TRY(crypto::Ed25519PublicKey::load(folder / export_public_key_name));
    auto const key = expected_key.value_or(included);
    if (!expected_key)
        report.notes.push_back("checked against the export's own public key " + included.to_text()
            + ": compare it with the creditor's published key, or pass --public-key");
    auto const signature = TRY(base::read_file_limited(folder / export_signature_name, crypto::max_signature_text_bytes));
    if (auto verified = crypto::verify_file(key, file, signature); verified.is_error()) {
        report.problems.push_back(file.string() + ": " + verified.error().message());
        return report;
    }
    auto const text = TRY(base::read_file_limited(file, max_export_bytes));
    auto lines = base::split(text, '\n');
    if (lines.size() < 3 || lines[0] != export_magic || !lines[2].starts_with("previous ")) {
        report.problems.push_back(file.string() + ": not a " + std::string(export_magic) + " file");
        return report;
    }
    auto const previous = hash_from_hex(lines[2].substr(9));
    if (!previous) {
        report.problems.push_back(file.string() + ": the previous hash is not 64 hex digits");
        return report;
    }
    // First pass: the checkpoints (the chain checker needs them before the entries).
    std::vector<CheckpointFileLine> checkpoint_lines;
    std::int64_t first = 0;
    for (std::size_t i = 3; i < lines.size(); ++i) {
        if (lines[i].starts_with("checkpoint "))
            checkpoint_lines.push_back({ i + 1, parse_checkpoint_line(lines[i].substr(11)) });
        else if (first == 0 && lines[i].starts_with("entry "))
            first = base::parse_int64(base::split(lines[i], ' ')[1]).value_or(0);
    }
    auto claims = checked_claims(checkpoint_lines, file.string(), key, report);
    std::int64_t covered = -1;
    for (auto const& claim : claims)
        covered = std::max(covered, claim.checkpoint.count);
    ChainChecker chain(*previous, first, std::move(claims), report);
    std::optional<ChainChecker::DisclosureClaim> open_list;
    SubjectDigest digest;
    auto close_list = [&] {
        if (!open_list)
            return;
        auto const count = digest.count();
        auto const hex = hash_hex(digest.finish());
        if (count != open_list->count || hex != open_list->digest_hex)
            report.problems.push_back("entry " + std::to_string(open_list->sequence) + ": its subjects in the export do not match its subject digest");
        open_list.reset();
    };
    std::string body, kind, time, agency, file_name;
    std::int64_t last = 0;
    for (std::size_t i = 3; i < lines.size(); ++i) {
        auto const line = lines[i];
        auto const parts = base::split(line, ' ');
        if (line.starts_with("entry ") && parts.size() == 4) {
            close_list();
            auto const decoded = unb64(parts[3]);
            auto const hash = hash_from_hex(parts[2]);
            if (!decoded || !hash) {
                report.problems.push_back(file.string() + " line " + std::to_string(i + 1) + ": malformed entry line");
                continue;
            }
            body = *decoded;
            store::AuditEntryRow row;
            row.sequence = base::parse_int64(parts[1]).value_or(0);
            last = row.sequence;
            row.body = body;
            row.entry_hash = hash_bytes(*hash);
            // The columns are the database's copy of the body; an export carries only the body.
            if (auto entry = decode(body); entry.ok()) {
                kind = to_string(entry.value().kind);
                time = entry.value().time;
                agency = entry.value().text("agency");
                file_name = entry.value().text("file_name");
                row.kind = kind;
                row.recorded_at = time;
                row.agency = agency;
                row.file_name = file_name;
                if (carries_subjects(entry.value().kind))
                    row.subject_list = entry.value().number("subject_list");
            }
            chain.entry(row);
            open_list = chain.last_disclosure;
        } else if (line.starts_with("subject ") && parts.size() == 5 && open_list) {
            auto const account = unb64(parts[2]);
            auto const person = unb64(parts[3]);
            auto const pseudonym = unb64(parts[4]);
            if (account && person && pseudonym) {
                digest.add(*account, *person, *pseudonym);
                ++report.subjects;
            }
        } else if (!line.empty() && !line.starts_with("checkpoint ") && !line.starts_with("subject ")) {
            report.problems.push_back(file.string() + " line " + std::to_string(i + 1) + ": unrecognised line");
        }
    }
    close_list();
    chain.finish();
    if (last == 0 || covered != last)
        report.problems.push_back(file.string() + ": no signed checkpoint covers the last exported entry (" + std::to_string(last) + ")");
    return report;
}

} // namespace dcagw::audit
