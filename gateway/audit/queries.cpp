#include "gateway/audit/queries.hpp"

#include "gateway/audit/entry.hpp"
#include "gateway/crypto/short_hash.hpp"
#include "gateway/store/audit_log.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace dcagw::audit {

namespace {

// Copies an entry's fields by name into their places: read_fields(entry, "agency", agency, ...).
void read_field(Entry const& entry, std::string_view name, std::string& field) { field = entry.text(name); }
void read_field(Entry const& entry, std::string_view name, std::int64_t& field) { field = entry.number(name); }
void read_field(Entry const& entry, std::string_view name, std::vector<std::string>& field) { field = entry.list(name); }

template<typename Field, typename... Rest>
void read_fields(Entry const& entry, std::string_view name, Field& field, Rest&... rest)
{
    read_field(entry, name, field);
    if constexpr (sizeof...(rest) > 0)
        read_fields(entry, rest...);
}

FileShare file_share(Entry const& entry)
{
    FileShare share;
    share.sequence = entry.sequence;
    share.time = entry.time;
    share.actor = entry.actor;
    read_fields(entry, "agency", share.agency, "action", share.action, "file_name", share.file_name, "purpose", share.purpose,
        "lawful_basis", share.lawful_basis, "agreement_reference", share.agreement_reference,
        "agreement_version", share.agreement_version, "fields", share.fields, "record_count", share.record_count,
        "encryption", share.encryption, "recipients", share.recipients, "plaintext_sha256", share.plaintext_sha256,
        "ciphertext_sha256", share.ciphertext_sha256);
    if (entry.kind == EntryKind::Inbound) {
        // Received, not sent: the fields are those the agency sent us about the subject.
        share.direction = "inbound";
        read_fields(entry, "return_kind", share.action, "line", share.line, "sha256", share.plaintext_sha256);
        auto const signer = entry.text("signer");
        share.detail = entry.text("detail");
        share.detail += (share.detail.empty() ? "" : "; ") + std::string("layout ") + entry.text("layout")
            + (signer.empty() ? std::string(", unsigned") : ", signed by " + signer);
    }
    return share;
}

// Deliveries and acknowledgements name the file (and agency) they are about. An
// acknowledgement naming accounts (an agency's rejection of one account) is shown with
// those accounts only, when `account_ref` is given.
base::Result<void> add_file_events(store::AuditLog& log, FileShare& share, std::optional<std::string_view> account_ref = std::nullopt)
{
    if (share.direction != "outbound")
        return {};
    std::optional<base::Error> failure;
    TRY(log.entries_of_file(share.file_name, [&](store::AuditEntryRow const& row) {
        if (row.agency != share.agency || (row.kind != "delivery" && row.kind != "acknowledgement"))
            return true;
        auto decoded = decode(row.body);
        if (decoded.is_error()) {
            failure = decoded.release_error();
            return false;
        }
        auto const& entry = decoded.value();
        FileEvent event;
        event.sequence = entry.sequence;
        event.time = entry.time;
        event.kind = std::string(row.kind);
        if (entry.kind == EntryKind::Delivery) {
            event.detail = entry.text("transport") + " to " + entry.text("destination");
            if (auto const receipt = entry.text("receipt"); !receipt.empty())
                event.detail += ", receipt " + receipt;
            share.deliveries.push_back(std::move(event));
        } else {
            auto const accounts = entry.list("account_refs");
            if (account_ref && !accounts.empty() && std::find(accounts.begin(), accounts.end(), *account_ref) == accounts.end())
                return true;
            event.detail = entry.text("acknowledgement");
            if (auto const reference = entry.text("reference"); !reference.empty())
                event.detail += " (" + reference + ")";
            share.acknowledgements.push_back(std::move(event));
        }
        return true;
    }));
    if (failure)
        return *failure;
    return {};
}

} // namespace

base::Result<std::vector<SubjectShare>> subject_shares(store::Ledger& ledger, std::string_view reference)
{
    auto& log = ledger.audit();
    auto const key_bytes = TRY(log.subject_index_key());
    auto const key = TRY(crypto::ShortHashKey::from_bytes(key_bytes));
    struct Match {
        std::int64_t list;
        std::string account_ref, person_ref, pseudonym;
    };
    std::vector<Match> matches;
    TRY(log.subjects_with_key(key.hash(reference), [&](store::AuditSubjectRow const& row) {
        if (row.account_ref == reference || row.person_ref == reference)
            matches.push_back({ row.list, std::string(row.account_ref), std::string(row.person_ref), std::string(row.pseudonym) });
        return true;
    }));
    std::vector<SubjectShare> shares;
    std::optional<base::Error> failure;
    for (auto const& match : matches) {
        TRY(log.entries_of_list(match.list, [&](store::AuditEntryRow const& row) {
            auto decoded = decode(row.body);
            if (decoded.is_error()) {
                failure = decoded.release_error();
                return false;
            }
            SubjectShare share { file_share(decoded.value()), match.account_ref, match.person_ref, match.pseudonym };
            shares.push_back(std::move(share));
            return true;
        }));
        if (failure)
            return *failure;
    }
    for (auto& share : shares)
        TRY(add_file_events(log, share.file, share.account_ref));
    std::stable_sort(shares.begin(), shares.end(), [](SubjectShare const& a, SubjectShare const& b) { return a.file.sequence < b.file.sequence; });
    return shares;
}

base::Result<std::vector<AgencyShares>> shares_report(store::Ledger& ledger, std::string_view from, std::string_view to,
    std::optional<std::string> const& agency)
{
    auto& log = ledger.audit();
    // Times are "YYYY-MM-DDTHH:MM:SSZ": every time on `to` sorts before "<to>T~".
    auto const start = std::string(from) + "T00:00:00Z";
    auto const end = std::string(to) + "T~";
    std::map<std::string, AgencyShares> by_agency;
    std::optional<base::Error> failure;
    TRY(log.for_each_entry_between(start, end, [&](store::AuditEntryRow const& row) {
        if (row.kind != "disclosure" || (agency && row.agency != *agency))
            return true;
        auto decoded = decode(row.body);
        if (decoded.is_error()) {
            failure = decoded.release_error();
            return false;
        }
        auto& shares = by_agency[std::string(row.agency)];
        shares.agency = std::string(row.agency);
        shares.files.push_back(file_share(decoded.value()));
        return true;
    }));
    if (failure)
        return *failure;
    std::vector<AgencyShares> report;
    for (auto& [name, shares] : by_agency) {
        for (auto& file : shares.files) {
            TRY(add_file_events(log, file));
            shares.records += file.record_count;
            shares.deliveries += static_cast<std::int64_t>(file.deliveries.size());
            shares.acknowledgements += static_cast<std::int64_t>(file.acknowledgements.size());
            if (std::find(shares.field_sets.begin(), shares.field_sets.end(), file.fields) == shares.field_sets.end())
                shares.field_sets.push_back(file.fields);
            auto const agreement = file.agreement_reference + " " + file.agreement_version;
            if (std::find(shares.agreements.begin(), shares.agreements.end(), agreement) == shares.agreements.end())
                shares.agreements.push_back(agreement);
        }
        report.push_back(std::move(shares));
    }
    return report;
}

} // namespace dcagw::audit
