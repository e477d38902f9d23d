#include "gateway/layouts/return_lines.hpp"

#include "gateway/layouts/return_values.hpp"

namespace dcagw::layouts::detail {

namespace {

constexpr char const* unknown_code = "code is not in the layout's table (nothing is guessed; add it to the mapping once agreed with the agency)";

using model::ReturnField;

class LineFields {
public:
    LineFields(model::ReturnLayout const& layout, std::vector<std::string> const& values, base::Date today)
        : m_layout(layout), m_values(values), m_today(today)
    {
    }

    bool has_column(ReturnField field) const { return m_layout.column_for(field) != nullptr; }

    std::string_view text(ReturnField field) const
    {
        auto const* column = m_layout.column_for(field);
        if (column == nullptr)
            return {};
        return m_values[static_cast<std::size_t>(column - m_layout.columns.data())];
    }

    std::string column_name(ReturnField field) const
    {
        auto const* column = m_layout.column_for(field);
        return column == nullptr ? std::string(model::to_string(field)) : column->name;
    }

    // A needed value: empty quarantines the line.
    std::optional<std::string> needed(ReturnField field)
    {
        auto const value = text(field);
        if (value.empty()) {
            fail(field, "is empty; a " + std::string(model::to_string(m_layout.kind)) + " line needs it");
            return std::nullopt;
        }
        return std::string(value);
    }

    std::optional<std::int64_t> amount(ReturnField field, Positivity positivity)
    {
        auto const value = text(field);
        if (value.empty()) {
            fail(field, "is empty; a " + std::string(model::to_string(m_layout.kind)) + " line needs it");
            return std::nullopt;
        }
        auto const sign = field == ReturnField::Amount ? m_layout.amount_sign : model::AmountSign::Positive;
        auto parsed = parse_amount(value, m_layout.money_unit, sign, positivity);
        if (auto const* problem = std::get_if<std::string>(&parsed)) {
            fail(field, "amount " + *problem);
            return std::nullopt;
        }
        return std::get<std::int64_t>(parsed);
    }

    std::optional<base::Date> date()
    {
        auto const value = text(ReturnField::Date);
        auto parsed = parse_return_date(value, m_layout.date_format, m_today);
        if (auto const* problem = std::get_if<std::string>(&parsed)) {
            fail(ReturnField::Date, "date " + *problem);
            return std::nullopt;
        }
        return std::get<base::Date>(parsed);
    }

    std::optional<model::AccountReference> account()
    {
        auto reference = needed(ReturnField::AccountReference);
        if (!reference)
            return std::nullopt;
        return model::AccountReference { std::move(*reference), std::string(text(ReturnField::CustomerReference)) };
    }

    void fail(ReturnField field, std::string reason)
    {
        if (!m_problem)
            m_problem = LineProblem { column_name(field), std::move(reason) };
    }
    // What `code` (the value of `field`) means in one of the layout's code tables; an
    // unknown code fails the line, since nothing is guessed.
    template <typename Table>
    typename Table::mapped_type const* known_code(ReturnField field, Table const& table, std::string const& code)
    {
        auto const found = table.find(code);
        if (found != table.end())
            return &found->second;
        fail(field, unknown_code);
        return nullptr;
    }

    std::optional<LineProblem> const& problem() const { return m_problem; }
    model::ReturnLayout const& layout() const { return m_layout; }
    base::Date today() const { return m_today; }

private:
    model::ReturnLayout const& m_layout;
    std::vector<std::string> const& m_values;
    base::Date m_today;
    std::optional<LineProblem> m_problem;
};

using Facts = decltype(model::ReturnLine::facts);

std::optional<Facts> acknowledgement(LineFields& fields)
{
    model::AcknowledgementLine line;
    auto file_name = fields.needed(ReturnField::FileName);
    auto code = fields.needed(ReturnField::Code);
    if (!file_name || !code)
        return std::nullopt;
    auto const* outcome = fields.known_code(ReturnField::Code, fields.layout().acknowledgement_codes, *code);
    if (outcome == nullptr)
        return std::nullopt;
    line.file_name = std::move(*file_name);
    line.accepted = *outcome == model::AcknowledgementOutcome::Accepted;
    line.agency_code = std::move(*code);
    if (!fields.text(ReturnField::AccountReference).empty()) {
        line.account = model::AccountReference { std::string(fields.text(ReturnField::AccountReference)), std::string(fields.text(ReturnField::CustomerReference)) };
        // Rejecting one account must say why, through the layout's table: nothing is guessed.
        if (!line.accepted) {
            auto const* reason = fields.known_code(ReturnField::Code, fields.layout().reasons, line.agency_code);
            if (reason != nullptr && !*reason)
                fields.fail(ReturnField::Code, unknown_code);
            if (reason == nullptr || !*reason)
                return std::nullopt;
            line.reason = *reason;
        }
    }
    return Facts { std::move(line) };
}

// What every coded account line (activity, trace) carries: the account, the date, the code.
struct CodedLine {
    model::AccountReference account;
    base::Date date;
    std::string code;
};

// Every field is read, so each missing one is reported; nullopt when one is.
std::optional<CodedLine> coded_line(LineFields& fields)
{
    auto account = fields.account();
    auto date = fields.date();
    auto code = fields.needed(ReturnField::Code);
    if (!account || !date || !code)
        return std::nullopt;
    return CodedLine { std::move(*account), *date, std::move(*code) };
}

std::optional<Facts> activity(LineFields& fields)
{
    auto coded = coded_line(fields);
    auto const* reason = coded ? fields.known_code(ReturnField::Code, fields.layout().reasons, coded->code) : nullptr;
    if (reason == nullptr)
        return std::nullopt;
    model::ActivityLine line { std::move(coded->account), coded->date, std::move(coded->code), *reason, false };
    line.closure = fields.layout().is_closure_code(line.agency_code);
    return Facts { std::move(line) };
}

std::optional<Facts> trace(LineFields& fields)
{
    auto coded = coded_line(fields);
    auto const* outcome = coded ? fields.known_code(ReturnField::Code, fields.layout().trace_outcomes, coded->code) : nullptr;
    if (outcome == nullptr)
        return std::nullopt;
    model::TraceLine line { std::move(coded->account), coded->date, *outcome == model::TraceOutcome::Traced, {} };
    for (auto const& column : fields.layout().columns)
        if (model::is_trace_field(column.field) && !fields.text(column.field).empty())
            line.fields.emplace_back(std::string(model::to_string(column.field)), std::string(fields.text(column.field)));
    if (line.traced && line.fields.empty()) {
        fields.fail(ReturnField::Code, "says traced but the line gives no address or contact field");
        return std::nullopt;
    }
    return Facts { std::move(line) };
}

std::optional<Facts> payment(LineFields& fields)
{
    auto account = fields.account();
    auto payment_id = fields.needed(ReturnField::PaymentId);
    auto amount = fields.amount(ReturnField::Amount, Positivity::AboveZero);
    auto date = fields.date();
    if (!account || !payment_id || !amount || !date)
        return std::nullopt;
    model::PaymentLine line { std::move(*account), std::move(*payment_id), model::MoneyKind::Payment, *amount, *date, {} };
    if (auto const paid_at = fields.text(ReturnField::PaidAt); !paid_at.empty()) {
        auto parsed = parse_rfc3339(paid_at, fields.today());
        if (auto const* problem = std::get_if<std::string>(&parsed)) {
            fields.fail(ReturnField::PaidAt, "date-time " + *problem);
            return std::nullopt;
        }
        line.paid_at = std::string(paid_at);
    }
    return Facts { std::move(line) };
}

std::optional<Facts> refund(LineFields& fields)
{
    auto account = fields.account();
    auto payment_id = fields.needed(ReturnField::PaymentId);
    auto amount = fields.amount(ReturnField::Amount, Positivity::AboveZero);
    auto date = fields.date();
    if (!account || !payment_id || !amount || !date)
        return std::nullopt;
    model::RefundLine line { std::move(*account), {}, std::move(*payment_id), model::MoneyKind::Refund, *amount, *date, {} };
    if (fields.has_column(ReturnField::RefundType)) {
        auto type = fields.needed(ReturnField::RefundType);
        if (!type)
            return std::nullopt;
        auto const* kind = fields.known_code(ReturnField::RefundType, fields.layout().refund_types, *type);
        if (kind == nullptr)
            return std::nullopt;
        line.kind = *kind;
        line.agency_code = std::move(*type);
    }
    if (auto const reason = fields.text(ReturnField::Code); !reason.empty())
        line.agency_code += (line.agency_code.empty() ? "" : "/") + std::string(reason);
    if (fields.has_column(ReturnField::RefundId)) {
        auto refund_id = fields.needed(ReturnField::RefundId);
        if (!refund_id)
            return std::nullopt;
        line.refund_id = std::move(*refund_id);
    } else {
        // No refund id in the layout: the payment it reverses and the day identify it.
        line.refund_id = line.payment_id + "/" + line.refund_date.to_string();
    }
    return Facts { std::move(line) };
}

std::optional<Facts> payout(LineFields& fields)
{
    auto payout_id = fields.needed(ReturnField::PayoutId);
    auto date = fields.date();
    if (!payout_id || !date)
        return std::nullopt;
    model::PayoutLine line { std::move(*payout_id), *date, std::nullopt, {}, 0, std::nullopt };
    if (!fields.text(ReturnField::AccountReference).empty())
        line.account = model::AccountReference { std::string(fields.text(ReturnField::AccountReference)), std::string(fields.text(ReturnField::CustomerReference)) };
    bool const has_lines = fields.has_column(ReturnField::PaymentId);
    bool const has_totals = fields.has_column(ReturnField::Gross);
    // With both kinds of column, an empty payment id marks the payout's totals line.
    bool const totals_line = has_totals && (!has_lines || fields.text(ReturnField::PaymentId).empty());
    if (!totals_line) {
        auto payment_id = fields.needed(ReturnField::PaymentId);
        auto amount = fields.amount(ReturnField::Amount, Positivity::AboveZero);
        if (!payment_id || !amount)
            return std::nullopt;
        line.payment_id = std::move(*payment_id);
        line.amount_pence = *amount;
        return Facts { std::move(line) };
    }
    auto gross = fields.amount(ReturnField::Gross, Positivity::ZeroOrMore);
    auto commission = fields.amount(ReturnField::Commission, Positivity::ZeroOrMore);
    auto vat = fields.amount(ReturnField::Vat, Positivity::ZeroOrMore);
    auto net = fields.amount(ReturnField::Net, Positivity::ZeroOrMore);
    if (!gross || !commission || !vat || !net)
        return std::nullopt;
    // The stated totals are kept as stated; whether they add up is reconciliation's call
    // (ingest reports both figures), not a reason to drop the line here.
    line.totals = model::MoneySplit { *gross, *commission, *vat, *net };
    return Facts { std::move(line) };
}

} // namespace

std::variant<model::ReturnLine, LineProblem> build_return_line(model::ReturnLayout const& layout,
    std::vector<std::string> const& values, std::uint64_t line_number, base::Date today)
{
    LineFields fields(layout, values, today);
    for (std::size_t i = 0; i < layout.columns.size(); ++i)
        if (layout.columns[i].required && values[i].empty())
            return LineProblem { layout.columns[i].name, "is empty; the layout marks it required" };
    std::optional<Facts> facts;
    switch (layout.kind) {
    case model::ReturnKind::Acknowledgement: facts = acknowledgement(fields); break;
    case model::ReturnKind::Activity:
    case model::ReturnKind::Closure: facts = activity(fields); break;
    case model::ReturnKind::Trace: facts = trace(fields); break;
    case model::ReturnKind::Payment: facts = payment(fields); break;
    case model::ReturnKind::Refund: facts = refund(fields); break;
    case model::ReturnKind::Payout: facts = payout(fields); break;
    }
    if (!facts)
        return fields.problem().value_or(LineProblem { {}, "line could not be read" });
    return model::ReturnLine { line_number, std::move(*facts) };
}

} // namespace dcagw::layouts::detail
