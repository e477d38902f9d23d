// The code tables of a return layout (docs/returns.md): the agency's own codes to canonical
// reasons, closures, refund types, acknowledgement and trace outcomes. A kind that reads a
// code must have its table, so that no code is ever guessed.
#include "gateway/config/mapping_reader.hpp"
#include "gateway/config/mapping_reader_json.hpp"

#include <algorithm>
#include <array>

namespace dcagw::config::detail {

namespace {

using model::ReturnField;
using model::ReturnKind;

constexpr std::size_t max_code_entries = 1000;
constexpr std::size_t max_name_bytes = 128;

template<typename Value, typename Parse>
void read_code_table(ObjectReader& reader, std::string_view key, std::map<std::string, Value, std::less<>>& table, Parse parse)
{
    auto const* object = reader.object(key, Presence::Optional);
    if (object == nullptr)
        return;
    if (object->empty() || object->size() > max_code_entries)
        reader.sink().add(reader.path_of(key), "must hold 1 to " + std::to_string(max_code_entries) + " codes");
    for (auto const& [code, value] : object->items()) {
        auto const path = join_path(reader.path_of(key), code);
        if (code.empty() || code.size() > max_name_bytes) {
            reader.sink().add(path, "a code must be 1 to " + std::to_string(max_name_bytes) + " bytes");
            continue;
        }
        Value parsed {};
        if (parse(value, path, parsed))
            table.emplace(code, parsed);
    }
}

} // namespace

void read_return_tables(ObjectReader& reader, model::ReturnLayout& layout)
{
    auto& sink = reader.sink();
    auto const allowed_only_for = [&](std::string_view key, std::initializer_list<ReturnKind> kinds) {
        if (reader.has(key) && std::find(kinds.begin(), kinds.end(), layout.kind) == kinds.end())
            sink.add(reader.path_of(key), "'" + std::string(key) + "' is not read in a " + std::string(model::to_string(layout.kind)) + " layout");
    };
    allowed_only_for("reasons", { ReturnKind::Activity, ReturnKind::Closure, ReturnKind::Acknowledgement });
    allowed_only_for("closure_codes", { ReturnKind::Activity, ReturnKind::Closure });
    allowed_only_for("refund_types", { ReturnKind::Refund });
    allowed_only_for("acknowledgement_codes", { ReturnKind::Acknowledgement });
    allowed_only_for("trace_outcomes", { ReturnKind::Trace });

    auto const reason_names = names_up_to(model::ReturnReason::Recalled);
    read_code_table(reader, "reasons", layout.reasons, [&](Json const& value, std::string const& path, std::optional<model::ReturnReason>& out) {
        if (value.is_null())
            return true;
        if (!value.is_string()) {
            sink.add(path, "must be a canonical reason name or null (an activity with no reason)");
            return false;
        }
        auto const& text = value.get_ref<std::string const&>();
        out = model::return_reason_from_string(text);
        if (!out)
            sink.add(path, "unknown canonical reason " + in_quotes(text) + did_you_mean(text, reason_names));
        return out.has_value();
    });
    auto const word_table = [&](std::string_view key, auto& table, auto const& words) {
        using Mapped = typename std::decay_t<decltype(table)>::mapped_type;
        read_code_table(reader, key, table, [&](Json const& value, std::string const& path, Mapped& out) {
            if (value.is_string())
                for (auto const& [word, mapped] : words)
                    if (value.get_ref<std::string const&>() == word) {
                        out = mapped;
                        return true;
                    }
            std::string expected;
            for (auto const& [word, mapped] : words)
                expected += (expected.empty() ? "'" : " or '") + std::string(word) + "'";
            sink.add(path, "must be " + expected);
            return false;
        });
    };
    word_table("refund_types", layout.refund_types, std::array { std::pair { std::string_view("refund"), model::MoneyKind::Refund }, std::pair { std::string_view("chargeback"), model::MoneyKind::Chargeback } });
    word_table("acknowledgement_codes", layout.acknowledgement_codes, std::array { std::pair { std::string_view("accepted"), model::AcknowledgementOutcome::Accepted }, std::pair { std::string_view("rejected"), model::AcknowledgementOutcome::Rejected } });
    word_table("trace_outcomes", layout.trace_outcomes, std::array { std::pair { std::string_view("traced"), model::TraceOutcome::Traced }, std::pair { std::string_view("failed"), model::TraceOutcome::Failed } });

    if (auto codes = reader.string_array("closure_codes", Presence::Optional, max_code_entries)) {
        for (auto const& code : *codes)
            if (!layout.reasons.contains(code))
                sink.add(reader.path_of("closure_codes"), "closure code " + in_quotes(code) + " is not in 'reasons'");
        layout.closure_codes = std::move(*codes);
    }

    // In an acknowledgement layout, `reasons` gives each per-account rejection code its
    // canonical reason: every entry is a rejected code and names a reason.
    if (layout.kind == ReturnKind::Acknowledgement) {
        for (auto const& [code, reason] : layout.reasons) {
            auto const outcome = layout.acknowledgement_codes.find(code);
            if (!reason || outcome == layout.acknowledgement_codes.end() || outcome->second != model::AcknowledgementOutcome::Rejected)
                sink.add(join_path(reader.path_of("reasons"), code), "in an acknowledgement layout, a reason is given to a 'rejected' code of "
                    "'acknowledgement_codes', and must be a canonical reason (not null)");
        }
    }

    auto const needs = [&](bool present, ReturnKind kind, std::string_view key) {
        if (layout.kind == kind && !present)
            sink.add(reader.path_of(key), "a " + std::string(model::to_string(kind)) + " layout needs '" + std::string(key) + "': a code not in it would be guessed");
    };
    needs(!layout.reasons.empty(), ReturnKind::Activity, "reasons");
    needs(!layout.reasons.empty(), ReturnKind::Closure, "reasons");
    needs(!layout.acknowledgement_codes.empty(), ReturnKind::Acknowledgement, "acknowledgement_codes");
    needs(!layout.trace_outcomes.empty(), ReturnKind::Trace, "trace_outcomes");
    if (layout.kind == ReturnKind::Refund && (layout.column_for(ReturnField::RefundType) != nullptr) != !layout.refund_types.empty())
        sink.add(reader.path_of("refund_types"), "'refund_types' and a 'refund_type' column go together");
}

} // namespace dcagw::config::detail
