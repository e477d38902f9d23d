#include "gateway/ingest/return_applier.hpp"

#include "gateway/ingest/applier_context.hpp"
#include "gateway/store/returns.hpp"

#include <type_traits>

namespace dcagw::ingest {

using base::ErrorCode;
using base::make_error;

namespace {

// The agency reference every account line quotes, or none (acknowledgements, payouts).
template<typename Facts>
std::string_view line_kind_name()
{
    if constexpr (std::is_same_v<Facts, model::PaymentLine>)
        return "payment";
    else if constexpr (std::is_same_v<Facts, model::RefundLine>)
        return "refund";
    else if constexpr (std::is_same_v<Facts, model::TraceLine>)
        return "trace";
    else if constexpr (std::is_same_v<Facts, model::PayoutLine>)
        return "payout";
    else if constexpr (std::is_same_v<Facts, model::AcknowledgementLine>)
        return "acknowledgement";
    else
        return "activity";
}

} // namespace

std::string money_text(std::int64_t pence)
{
    auto const magnitude = pence < 0 ? -pence : pence;
    auto const minor = magnitude % 100;
    return std::string(pence < 0 ? "-" : "") + "£" + std::to_string(magnitude / 100) + "." + (minor < 10 ? "0" : "") + std::to_string(minor);
}

base::Result<void> ReturnApplier::Context::quarantine(std::uint64_t line, std::string_view field, std::string const& reason)
{
    ++summary.counts.quarantined;
    return returns.add_quarantine(agency.id, summary.file_id, static_cast<std::int64_t>(line), field, reason);
}

base::Result<void> ReturnApplier::Context::suspend(std::uint64_t line, model::AccountReference const& account, std::string const& reason,
    SuspenseDetails const& details)
{
    store::SuspenseItem item;
    item.agency = agency.id;
    item.line_kind = details.line_kind;
    item.reference = account.agency_reference;
    item.customer_reference = account.customer_reference;
    item.payment_id = details.payment_id;
    item.content_hash = details.content_hash;
    item.amount_pence = details.amount_pence;
    item.item_date = details.item_date;
    item.reason = reason;
    item.file = summary.file_id;
    item.line = static_cast<std::int64_t>(line);
    TRY(returns.add_suspense(item));
    ++summary.counts.suspense;
    return {};
}

base::Result<MatchResult> ReturnApplier::Context::match(std::uint64_t line, model::AccountReference const& account, SuspenseDetails const& details)
{
    TRY(returns.placements_with_pseudonym(agency.id, account.agency_reference, candidates));
    if (candidates.empty()) {
        TRY(suspend(line, account, "reference " + account.agency_reference + " was never placed with " + agency.id, details));
        return MatchResult::NotMatched;
    }
    if (account.customer_reference.empty() || person_pseudonyms == nullptr) {
        TRY(received.add_matched(ledger, candidates, account.agency_reference));
        return MatchResult::Matched;
    }
    // Joint debtors share the account's pseudonym; the customer reference names one.
    std::erase_if(candidates, [&](store::MatchedPlacement const& candidate) {
        scratch.clear();
        person_pseudonyms->append_pseudonym(scratch, "person_ref", candidate.person_ref);
        return scratch != account.customer_reference;
    });
    if (candidates.empty()) {
        TRY(suspend(line, account, "customer reference " + account.customer_reference + " is not a person placed under reference "
            + account.agency_reference, details));
        return MatchResult::NotMatched;
    }
    TRY(received.add_matched(ledger, candidates, account.agency_reference));
    return MatchResult::Matched;
}

ReturnApplier::ReturnApplier(store::Ledger& ledger, model::AgencyConfig const& agency, model::Pseudonymiser const* person_pseudonyms, base::Date today)
    : m_context(std::make_unique<Context>(ledger, agency, person_pseudonyms, today))
{
}

ReturnApplier::~ReturnApplier() { abandon(); }

void ReturnApplier::abandon()
{
    if (!m_context->open)
        return;
    m_context->open = false;
    (void)m_context->ledger.rollback();
}

base::Result<FileOutcome> ReturnApplier::begin(InboundFileFacts const& facts)
{
    auto& context = *m_context;
    if (context.open)
        return make_error(ErrorCode::Internal, "ingest: begin() while file " + context.facts.file_name + " is still open");
    std::string const operation = "applying " + context.agency.id + " file " + facts.file_name;
    TRY_CONTEXT(context.ledger.begin(), operation);
    context.open = true;
    context.facts = facts;
    context.summary = FileSummary {};
    context.summary.agency = context.agency.id;
    context.summary.file_name = facts.file_name;
    context.payouts_touched.clear();
    context.received.reset(facts.kind);
    auto const earlier = context.returns.find_file(context.agency.id, facts.sha256);
    if (earlier.is_error() || earlier.value()) {
        abandon();
        if (earlier.is_error())
            return base::Error(earlier.error()).with_context(operation);
        context.summary.outcome = FileOutcome::AlreadyApplied;
        context.summary.file_id = earlier.value()->id;
        return FileOutcome::AlreadyApplied;
    }
    auto recorded = [&]() -> base::Result<void> {
        store::InboundFile file;
        file.agency = context.agency.id;
        file.file_name = facts.file_name;
        file.sha256 = facts.sha256;
        file.kind = model::to_string(facts.kind);
        file.collected_at = facts.collected_at;
        if (auto const named = TRY(context.returns.find_file_named(context.agency.id, facts.file_name)))
            file.same_name_as = named->id;
        context.summary.same_name_as = file.same_name_as;
        context.summary.file_id = TRY(context.returns.record_file(file));
        TRY(context.returns.refresh_pseudonym_index(context.agency.id));
        return {};
    }();
    if (recorded.is_error()) {
        abandon();
        return recorded.release_error().with_context(operation);
    }
    return FileOutcome::Applied;
}

base::Result<void> ReturnApplier::accept(model::ReturnLine const& line)
{
    auto& context = *m_context;
    if (!context.open)
        return make_error(ErrorCode::Internal, "ingest: accept() outside begin()/finish()");
    ++context.summary.counts.lines;
    auto const number = line.line_number;
    auto applied = std::visit([&](auto const& facts) -> base::Result<void> {
        using Facts = std::decay_t<decltype(facts)>;
        if constexpr (std::is_same_v<Facts, model::AcknowledgementLine>) {
            return context.apply_acknowledgement(number, facts);
        } else if constexpr (std::is_same_v<Facts, model::PayoutLine>) {
            return context.apply_payout(number, facts);
        } else {
            if (facts.account.agency_reference.empty())
                return context.quarantine(number, "agency_reference", "the line quotes no reference");
            if constexpr (std::is_same_v<Facts, model::ActivityLine>)
                return context.apply_activity(number, facts);
            else if constexpr (std::is_same_v<Facts, model::TraceLine>)
                return context.apply_trace(number, facts);
            else if constexpr (std::is_same_v<Facts, model::PaymentLine>)
                return context.apply_payment(number, facts);
            else
                return context.apply_refund(number, facts);
        }
    }, line.facts);
    if (applied.is_error())
        return applied.release_error().with_context("applying line " + std::to_string(number) + " (" + std::string(std::visit([](auto const& facts) {
            return line_kind_name<std::decay_t<decltype(facts)>>(); }, line.facts)) + ") of " + context.facts.file_name);
    return {};
}

base::Result<void> ReturnApplier::reject(model::Rejection const& rejection)
{
    auto& context = *m_context;
    if (!context.open)
        return make_error(ErrorCode::Internal, "ingest: reject() outside begin()/finish()");
    ++context.summary.counts.lines;
    // The rejection's account_ref and person_ref are left out: personal data stays out of
    // the quarantine (the file and line find the original).
    return context.quarantine(rejection.line, rejection.field, rejection.reason);
}

base::Result<void> ReturnApplier::record_received(audit::Journal& journal, ReceivedFileFacts facts)
{
    auto& context = *m_context;
    if (!context.open || context.summary.counts.lines > 0)
        return make_error(ErrorCode::Internal, "ingest: record_received() must follow begin(), before the first line");
    facts.inbound_file = context.summary.file_id;
    context.received.arm(journal, std::move(facts));
    return {};
}

std::vector<AcknowledgedFile> const& ReturnApplier::acknowledgements() const { return m_context->summary.acknowledgements; }

base::Result<FileSummary> ReturnApplier::finish()
{
    auto& context = *m_context;
    if (!context.open)
        return make_error(ErrorCode::Internal, "ingest: finish() outside begin()");
    auto finished = [&]() -> base::Result<void> {
        TRY(context.check_payouts());
        TRY(context.received.record(context.agency.id, context.facts.file_name));
        TRY(context.returns.set_file_counts(context.summary.file_id, context.summary.counts));
        return context.ledger.commit();
    }();
    if (finished.is_error()) {
        abandon();
        return finished.release_error().with_context("finishing " + context.agency.id + " file " + context.facts.file_name);
    }
    context.open = false;
    if (context.summary.same_name_as != 0)
        context.summary.problems.push_back("file " + context.facts.file_name + " has the name of an earlier file (" + std::to_string(context.summary.same_name_as)
            + ") with other content: both are kept");
    return context.summary;
}

base::Result<std::int64_t> ReturnApplier::refuse(InboundFileFacts const& facts, std::string const& reason)
{
    auto& context = *m_context;
    if (context.open)
        return make_error(ErrorCode::Internal, "ingest: refuse() while a file is open");
    return context.ledger.transaction([&]() -> base::Result<std::int64_t> {
        if (auto const earlier = TRY(context.returns.find_file(context.agency.id, facts.sha256)))
            return earlier->id;
        store::InboundFile file;
        file.agency = context.agency.id;
        file.file_name = facts.file_name;
        file.sha256 = facts.sha256;
        file.kind = facts.kind_known ? std::string(model::to_string(facts.kind)) : std::string("unknown");
        file.state = store::InboundState::Refused;
        file.refusal_reason = reason;
        file.collected_at = facts.collected_at;
        if (auto const named = TRY(context.returns.find_file_named(context.agency.id, facts.file_name)))
            file.same_name_as = named->id;
        return context.returns.record_file(file);
    });
}

base::Result<FileSummary> apply_file(store::Ledger& ledger, model::AgencyConfig const& agency, model::Pseudonymiser const* person_pseudonyms,
    base::Date today, InboundFileFacts const& facts, std::vector<model::ReturnLine> const& lines, std::vector<model::Rejection> const& rejections)
{
    ReturnApplier applier(ledger, agency, person_pseudonyms, today);
    if (TRY(applier.begin(facts)) == FileOutcome::AlreadyApplied) {
        FileSummary summary;
        summary.agency = agency.id;
        summary.file_name = facts.file_name;
        summary.outcome = FileOutcome::AlreadyApplied;
        return summary;
    }
    for (auto const& rejection : rejections)
        TRY(applier.reject(rejection));
    for (auto const& line : lines)
        TRY(applier.accept(line));
    return applier.finish();
}

} // namespace dcagw::ingest
