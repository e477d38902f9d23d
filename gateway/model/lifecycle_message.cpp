#include "gateway/model/lifecycle_message.hpp"

#include "gateway/base/enum_names.hpp"

#include <algorithm>

namespace dcagw::model {

namespace {

constexpr base::EnumNames<MessageKind, 5> message_kind_names { { {
    { MessageKind::BalanceUpdate, "balance_update" },
    { MessageKind::Hold, "hold" },
    { MessageKind::Release, "release" },
    { MessageKind::Recall, "recall" },
    { MessageKind::Close, "close" },
} } };

constexpr base::EnumNames<MessageField, 11> message_field_names { { {
    { MessageField::Empty, "empty" },
    { MessageField::AccountReference, "account_reference" },
    { MessageField::CustomerReference, "customer_reference" },
    { MessageField::TransactionRef, "transaction_ref" },
    { MessageField::ProcessedAt, "processed_at" },
    { MessageField::Amount, "amount" },
    { MessageField::TransactionType, "transaction_type" },
    { MessageField::Reason, "reason" },
    { MessageField::Note, "note" },
    { MessageField::Force, "force" },
    { MessageField::Action, "action" },
} } };

} // namespace

std::string_view to_string(MessageKind kind) { return message_kind_names.name(kind); }
std::string_view to_string(ConcernAction action) { return action == ConcernAction::Hold ? "hold" : "recall"; }
std::optional<MessageKind> message_kind_from_string(std::string_view text) { return message_kind_names.parse(text); }
std::string_view to_string(MessageField field) { return message_field_names.name(field); }
std::optional<MessageField> message_field_from_string(std::string_view text) { return message_field_names.parse(text); }

bool MessageLayout::carries(MessageKind kind) const { return std::find(kinds.begin(), kinds.end(), kind) != kinds.end(); }

std::string const* MessageLayout::code_for(MessageKind kind, ReturnReason reason) const
{
    auto const table = reasons.find(kind);
    if (table == reasons.end())
        return nullptr;
    auto const code = table->second.find(reason);
    return code == table->second.end() ? nullptr : &code->second;
}

bool MessageLayout::has_field(MessageField field) const
{
    return std::any_of(columns.begin(), columns.end(), [field](MessageColumn const& column) { return column.field == field; });
}

} // namespace dcagw::model
