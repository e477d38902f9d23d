// The body shared by the return file fuzz targets (fuzz_return_csv, fuzz_return_jsonl,
// fuzz_return_xml):
// the first byte picks one of four hand-made layouts (every kind's line builder is
// reached) and whether small limits apply; the rest is the file, read in the target's
// format. Properties, trapped when broken: the counts equal what reached the sink; every
// line number is at least `first_line` (after the header, for CSV); no rejection is longer
// than a sentence (nothing of the input is copied into it wholesale).
#pragma once

#include "gateway/layouts/return_reader.hpp"

#include <cstdint>
#include <sstream>
#include <string>

namespace return_fuzz {

using namespace dcagw;
using model::ReturnField;

inline model::ReturnLayout layout_for(unsigned choice, model::ReturnFormat format)
{
    model::ReturnLayout layout;
    layout.name = "fuzz";
    layout.format = format;
    layout.xml_root = "R";
    layout.xml_record = "L";
    switch (choice % 4) {
    case 0:
        layout.kind = model::ReturnKind::Payout;
        layout.money_unit = model::MoneyUnit::Pounds;
        layout.columns = { { "P", ReturnField::PayoutId, false }, { "D", ReturnField::Date, false }, { "I", ReturnField::PaymentId, false }, { "A", ReturnField::Amount, false },
            { "G", ReturnField::Gross, false }, { "C", ReturnField::Commission, false }, { "V", ReturnField::Vat, false }, { "N", ReturnField::Net, false } };
        break;
    case 1:
        layout.kind = model::ReturnKind::Refund;
        layout.amount_sign = model::AmountSign::Negative;
        layout.columns = { { "A", ReturnField::Amount, false }, { "T", ReturnField::RefundType, false }, { "D", ReturnField::Date, false }, { "I", ReturnField::PaymentId, false }, { "R", ReturnField::AccountReference, false } };
        layout.refund_types = { { "Dispute", model::MoneyKind::Chargeback }, { "Refund", model::MoneyKind::Refund } };
        break;
    case 2:
        layout.kind = model::ReturnKind::Activity;
        layout.date_format = model::ReturnDateFormat::Rfc3339;
        layout.columns = { { "R", ReturnField::AccountReference, false }, { "C", ReturnField::Code, false }, { "D", ReturnField::Date, true } };
        layout.reasons = { { "S", model::ReturnReason::Settled }, { "X", std::nullopt } };
        layout.closure_codes = { "S" };
        break;
    default:
        layout.kind = model::ReturnKind::Payment;
        layout.csv_delimiter = ';';
        layout.columns = { { "I", ReturnField::PaymentId, false }, { "R", ReturnField::AccountReference, false }, { "A", ReturnField::Amount, false }, { "D", ReturnField::Date, false }, { "T", ReturnField::PaidAt, false } };
        break;
    }
    // XML: ids are attributes of the record element, everything else child elements.
    for (auto& column : layout.columns)
        if (column.field == ReturnField::PaymentId || column.field == ReturnField::PayoutId)
            column.xml_place = model::XmlPlace::Attribute;
    return layout;
}

class CountingSink final : public layouts::ReturnSink {
public:
    explicit CountingSink(std::uint64_t first_line) : m_first_line(first_line) {}

    base::Result<void> accept(model::ReturnLine const& line) override
    {
        if (line.line_number < m_first_line)
            __builtin_trap();
        ++accepted;
        return {};
    }
    base::Result<void> reject(model::Rejection const& rejection) override
    {
        if (rejection.line < m_first_line || rejection.reason.size() > 200)
            __builtin_trap();
        ++rejected;
        return {};
    }
    std::uint64_t accepted { 0 };
    std::uint64_t rejected { 0 };

private:
    std::uint64_t m_first_line;
};

inline int fuzz_return_reader(model::ReturnFormat format, std::uint64_t first_line, char const* file_name, std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    auto const layout = layout_for(data[0], format);
    model::InputLimits limits;
    if (data[0] & 0x80) {
        limits.max_field_bytes = 16;
        limits.max_record_bytes = 64;
        limits.max_fields = 6;
    }
    std::istringstream input(std::string(reinterpret_cast<char const*>(data + 1), size - 1));
    CountingSink sink(first_line);
    auto counts = layouts::read_return_stream(layout, input, { limits, base::Date { 2026, 6, 30 }, file_name }, sink);
    if (counts.ok() && (counts.value().lines_accepted != sink.accepted || counts.value().lines_rejected != sink.rejected))
        __builtin_trap();
    return 0;
}

} // namespace return_fuzz
