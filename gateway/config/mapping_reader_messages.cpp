// The "messages" part of a mapping: one layout per file of lifecycle messages the creditor
// sends the agency about debts it holds (docs/lifecycle.md). Every rule here exists so
// that a message reaches the agency exactly as it publishes its format, and so that a
// message the layout cannot express is refused when the mapping is checked, not guessed
// when a hold is due.
#include "gateway/config/mapping_reader.hpp"
#include "gateway/config/mapping_reader_json.hpp"
#include "gateway/config/mapping_reader_layouts.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace dcagw::config::detail {

namespace {

using model::MessageField;
using model::MessageKind;

constexpr std::size_t max_layouts = 16;
constexpr std::size_t max_columns = 64;
constexpr std::size_t max_name_bytes = 128;
constexpr std::size_t max_code_bytes = 64;

constexpr std::array<std::string_view, 14> layout_keys {
    "name", "description", "kinds", "file_name", "remote_folder", "csv", "columns", "money_unit", "amount_style",
    "timestamp_format", "transaction_types", "reasons", "format", "$comment",
};
constexpr std::array<std::string_view, 1> csv_keys { "delimiter" };
constexpr std::array<std::string_view, 2> column_keys { "name", "field" };
constexpr std::array<std::string_view, 2> type_keys { "increase", "decrease" };
constexpr std::array<std::string_view, 5> kind_names { "balance_update", "hold", "release", "recall", "close" };
constexpr std::array<std::string_view, 4> reason_kind_names { "hold", "release", "recall", "close" };

std::string kind_text(MessageKind kind) { return std::string(model::to_string(kind)); }

void read_kinds(ObjectReader& reader, model::MessageLayout& layout)
{
    auto kinds = reader.string_array("kinds", Presence::Required, kind_names.size());
    if (!kinds)
        return;
    if (kinds->empty())
        reader.sink().add(reader.path_of("kinds"), "must list at least one of 'balance_update', 'hold', 'release', 'recall', 'close'");
    for (auto const& text : *kinds) {
        auto const kind = model::message_kind_from_string(text);
        if (!kind)
            reader.sink().add(reader.path_of("kinds"), "unknown message kind " + in_quotes(text) + did_you_mean(text, kind_names));
        else if (layout.carries(*kind))
            reader.sink().add(reader.path_of("kinds"), "kind " + in_quotes(text) + " is listed twice");
        else
            layout.kinds.push_back(*kind);
    }
}

void read_columns(ObjectReader& reader, model::MessageLayout& layout)
{
    std::set<std::string, std::less<>> names;
    auto const field_names = names_up_to(MessageField::Action);
    for_each_object(reader, "columns", Presence::Required, 1, max_columns, "columns", [&](Json const& element, std::string const& path) {
        ObjectReader column_reader(element, path, reader.sink(), column_keys);
        model::MessageColumn column;
        if (auto name = read_column_name(column_reader, names, max_name_bytes))
            column.name = *name;
        if (auto field_text = column_reader.string("field", Presence::Required)) {
            auto const field = model::message_field_from_string(*field_text);
            if (!field)
                column_reader.sink().add(column_reader.path_of("field"), "unknown message field " + in_quotes(*field_text) + did_you_mean(*field_text, field_names));
            else if (*field != MessageField::Empty && layout.has_field(*field))
                column_reader.sink().add(column_reader.path_of("field"), "field " + in_quotes(*field_text) + " is written to two columns");
            else
                column.field = *field;
        }
        layout.columns.push_back(std::move(column));
    });
}

void read_settings(ObjectReader& reader, model::MessageLayout& layout)
{
    auto& sink = reader.sink();
    if (auto format = reader.string("format", Presence::Optional); format && *format != "csv")
        sink.add(reader.path_of("format"), "lifecycle message files are written as 'csv' only (both agencies that publish one use CSV), not " + in_quotes(*format));
    if (auto const* csv = reader.object("csv", Presence::Optional)) {
        ObjectReader csv_reader(*csv, reader.path_of("csv"), sink, csv_keys);
        if (auto delimiter = read_csv_delimiter(csv_reader))
            layout.csv_delimiter = *delimiter;
    }
    read_money_unit(reader, layout.money_unit);
    static constexpr std::array<std::pair<std::string_view, model::AmountStyle>, 2> styles { {
        { "signed", model::AmountStyle::Signed },
        { "magnitude", model::AmountStyle::Magnitude },
    } };
    read_choice(reader, "amount_style", styles, layout.amount_style);
    static constexpr std::array<std::pair<std::string_view, model::TimestampFormat>, 2> timestamps { {
        { "RFC3339", model::TimestampFormat::Rfc3339 },
        { "YYYY-MM-DDThh:mm:ss.sss", model::TimestampFormat::IsoMillis },
    } };
    read_choice(reader, "timestamp_format", timestamps, layout.timestamp_format);
}

std::optional<std::string> read_code(ObjectReader& reader, std::string_view key)
{
    auto code = reader.string(key, Presence::Required);
    if (code && code->size() > max_code_bytes) {
        reader.sink().add(reader.path_of(key), "code is longer than " + std::to_string(max_code_bytes) + " bytes");
        return std::nullopt;
    }
    return code;
}

void read_tables(ObjectReader& reader, model::MessageLayout& layout)
{
    if (auto const* types = reader.object("transaction_types", Presence::Optional)) {
        ObjectReader types_reader(*types, reader.path_of("transaction_types"), reader.sink(), type_keys);
        layout.increase_type = read_code(types_reader, "increase").value_or("");
        layout.decrease_type = read_code(types_reader, "decrease").value_or("");
    }
    auto const* reasons = reader.object("reasons", Presence::Optional);
    if (reasons == nullptr)
        return;
    ObjectReader kinds_reader(*reasons, reader.path_of("reasons"), reader.sink(), reason_kind_names);
    for (auto const& [kind_name, table] : reasons->items()) {
        auto const kind = model::message_kind_from_string(kind_name);
        auto const table_path = join_path(reader.path_of("reasons"), kind_name);
        if (!kind || *kind == MessageKind::BalanceUpdate || !expect_object(table, table_path, reader.sink()))
            continue; // an unknown key was reported by kinds_reader
        if (!layout.carries(*kind))
            reader.sink().add(table_path, "the layout does not carry '" + kind_name + "' messages");
        for (auto const& [name, value] : table.items()) {
            auto const path = join_path(table_path, name);
            auto const reason = model::return_reason_from_string(name);
            if (!reason)
                reader.sink().add(path, in_quotes(name) + " is not a canonical return reason (domain.md: PIF, SET, DEC, INS-BKR, BSM, MHCM, DSP, ...)");
            else if (!value.is_string() || value.get_ref<std::string const&>().empty() || value.get_ref<std::string const&>().size() > max_code_bytes)
                reader.sink().add(path, "must be the agency's code: a non-empty string of at most " + std::to_string(max_code_bytes) + " bytes");
            else
                layout.reasons[*kind][*reason] = value.get<std::string>();
        }
    }
}

// True when no agency code stands for two kinds, so the code alone tells the agency
// whether a line holds, releases, recalls or closes.
bool codes_tell_kinds_apart(model::MessageLayout const& layout)
{
    std::map<std::string, MessageKind, std::less<>> kind_of_code;
    for (auto const& [kind, table] : layout.reasons)
        for (auto const& [reason, code] : table)
            if (auto const [at, inserted] = kind_of_code.emplace(code, kind); !inserted && at->second != kind)
                return false;
    return true;
}

// What each kind needs the layout to be able to say; docs/lifecycle.md has the same list.
void check_expressible(ObjectReader& reader, model::MessageLayout const& layout)
{
    auto& sink = reader.sink();
    auto const path = reader.path_of("columns");
    if (!layout.has_field(MessageField::AccountReference))
        sink.add(path, "a message layout needs an 'account_reference' column: the agency finds the debt by it");
    bool const updates = layout.carries(MessageKind::BalanceUpdate);
    if (updates && layout.kinds.size() > 1)
        sink.add(reader.path_of("kinds"), "balance updates go in a file of their own: a layout with 'balance_update' carries no other kind");
    if (updates) {
        if (!layout.has_field(MessageField::Amount))
            sink.add(path, "a balance update layout needs an 'amount' column");
        if (!layout.has_field(MessageField::TransactionRef))
            sink.add(path, "a balance update layout needs a 'transaction_ref' column: it is how an update is sent once and never applied twice");
        if (layout.amount_style == model::AmountStyle::Magnitude && !layout.has_field(MessageField::TransactionType))
            sink.add(path, "with amount_style 'magnitude' only the 'transaction_type' column tells a payment from a charge: add one");
        if (layout.has_field(MessageField::TransactionType) && (layout.increase_type.empty() || layout.decrease_type.empty()))
            sink.add(reader.path_of("transaction_types"), "a 'transaction_type' column needs both 'increase' and 'decrease' types");
    }
    bool const kinds_told_apart = layout.has_field(MessageField::Action) || (layout.has_field(MessageField::Reason) && codes_tell_kinds_apart(layout));
    if (!updates && layout.kinds.size() > 1 && !kinds_told_apart)
        sink.add(path, "a layout carrying several kinds needs an 'action' column, or a 'reason' column whose codes differ between kinds: otherwise the agency could not tell a hold from a recall");
    if (layout.has_field(MessageField::Reason))
        for (auto const kind : layout.kinds)
            if (kind != MessageKind::BalanceUpdate && !layout.reasons.contains(kind))
                sink.add(reader.path_of("reasons"), "a 'reason' column needs a table of the agency's codes for '" + kind_text(kind) + "' messages");
}

void read_layout(Json const& element, std::string const& path, ProblemSink& sink, model::MessageLayout& layout)
{
    ObjectReader reader(element, path, sink, layout_keys);
    if (auto name = reader.string("name", Presence::Required)) {
        if (!is_valid_agency_id(*name))
            sink.add(reader.path_of("name"), in_quotes(*name) + " is not a valid layout name (lower-case letters, digits and '-', at most 40)");
        layout.name = *name;
    }
    if (auto description = reader.string("description", Presence::Optional, ObjectReader::Emptiness::Allowed))
        layout.description = *description;
    read_kinds(reader, layout);
    if (auto pattern = reader.string("file_name", Presence::Required)) {
        if (auto problem = check_file_name_pattern(*pattern, NameTokens::Message); !problem.empty())
            sink.add(reader.path_of("file_name"), problem);
        layout.file_name_pattern = *pattern;
    }
    if (auto folder = reader.string("remote_folder", Presence::Optional)) {
        if (auto problem = check_remote_folder(*folder); !problem.empty())
            sink.add(reader.path_of("remote_folder"), problem);
        layout.remote_folder = *folder;
    }
    read_settings(reader, layout);
    read_columns(reader, layout);
    read_tables(reader, layout);
    check_expressible(reader, layout);
}

void check_distinct(std::vector<model::MessageLayout> const& layouts, ProblemSink& sink)
{
    for (std::size_t j = 0; j < layouts.size(); ++j)
        for (std::size_t i = 0; i < j; ++i) {
            auto const& a = layouts[i];
            auto const& b = layouts[j];
            auto const path = join_path("/messages", j);
            if (a.name == b.name)
                sink.add(path, "layout name " + in_quotes(a.name) + " is used twice");
            if (a.file_name_pattern == b.file_name_pattern && a.remote_folder == b.remote_folder)
                sink.add(path, "layouts " + in_quotes(a.name) + " and " + in_quotes(b.name) + " write the same file name into the same folder");
            for (auto const kind : b.kinds)
                if (a.carries(kind))
                    sink.add(path, "kind '" + kind_text(kind) + "' is carried by both " + in_quotes(a.name) + " and " + in_quotes(b.name) + ": each kind has one layout");
        }
}

} // namespace

void read_messages(ObjectReader& root, model::Mapping& mapping)
{
    for_each_object(root, "messages", Presence::Optional, 0, max_layouts, "message layouts", [&](Json const& element, std::string const& path) {
        model::MessageLayout layout;
        read_layout(element, path, root.sink(), layout);
        mapping.messages.push_back(std::move(layout));
    });
    check_distinct(mapping.messages, root.sink());
}

} // namespace dcagw::config::detail
