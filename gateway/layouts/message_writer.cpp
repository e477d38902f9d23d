#include "gateway/layouts/message_writer.hpp"

#include "gateway/base/text.hpp"

#include <cstdio>

namespace dcagw::layouts {

namespace {

using base::ErrorCode;
using base::make_error;
using model::MessageField;
using model::MessageKind;

std::string two_digits(int value)
{
    char text[8];
    std::snprintf(text, sizeof text, "%02d", value);
    return text;
}

std::string amount_text(model::MessageLayout const& layout, std::int64_t change_pence)
{
    auto const shown = layout.amount_style == model::AmountStyle::Magnitude && change_pence < 0 ? -change_pence : change_pence;
    return layout.money_unit == model::MoneyUnit::Pounds ? base::pence_to_pounds(shown) : std::to_string(shown);
}

class CsvMessageWriter final : public MessageFileWriter {
public:
    CsvMessageWriter(model::MessageLayout const& layout, base::ByteSink& sink) : m_layout(layout), m_sink(sink) {}

    base::Result<void> start()
    {
        m_line.clear();
        for (std::size_t index = 0; index < m_layout.columns.size(); ++index)
            append(index, m_layout.columns[index].name);
        m_line.push_back('\n');
        return m_sink.write(m_line);
    }

    base::Result<void> write(model::LifecycleMessage const& message) override
    {
        if (m_finished)
            return make_error(ErrorCode::Internal, "message writer: write after finish");
        TRY(check(message));
        m_line.clear();
        for (std::size_t index = 0; index < m_layout.columns.size(); ++index)
            append(index, value_of(m_layout.columns[index].field, message));
        m_line.push_back('\n');
        return m_sink.write(m_line);
    }

    base::Result<void> finish() override
    {
        if (m_finished)
            return make_error(ErrorCode::Internal, "message writer: finish called twice");
        m_finished = true;
        return m_sink.finish();
    }

private:
    void append(std::size_t index, std::string_view text)
    {
        if (index > 0)
            m_line.push_back(m_layout.csv_delimiter);
        base::append_csv_field(m_line, text, m_layout.csv_delimiter);
    }

    base::Result<void> refuse(model::LifecycleMessage const& message, std::string_view why) const
    {
        return make_error(ErrorCode::RecordInvalid,
            "message layout " + m_layout.name + ": a " + std::string(model::to_string(message.kind)) + " message " + std::string(why));
    }

    base::Result<void> check(model::LifecycleMessage const& message) const
    {
        if (!m_layout.carries(message.kind))
            return refuse(message, "does not belong in this layout");
        if (message.account_reference.empty())
            return refuse(message, "has no account reference");
        if (message.kind == MessageKind::BalanceUpdate) {
            if (message.balance_change_pence == 0)
                return refuse(message, "changes nothing (an amount of zero)");
            if (m_layout.has_field(MessageField::TransactionRef) && message.transaction_ref.empty())
                return refuse(message, "has no transaction reference");
            return {};
        }
        if (!m_layout.has_field(MessageField::Reason))
            return {};
        if (!message.reason)
            return refuse(message, "has no reason, and the layout's reason column needs one");
        if (m_layout.code_for(message.kind, *message.reason) == nullptr)
            return refuse(message, "for reason " + std::string(model::to_string(*message.reason)) + " has no code in the layout's reasons table");
        return {};
    }

    std::string value_of(MessageField field, model::LifecycleMessage const& message) const
    {
        bool const update = message.kind == MessageKind::BalanceUpdate;
        switch (field) {
        case MessageField::Empty: return {};
        case MessageField::AccountReference: return message.account_reference;
        case MessageField::CustomerReference: return message.customer_reference;
        case MessageField::TransactionRef: return message.transaction_ref;
        case MessageField::ProcessedAt: return format_timestamp(m_layout.timestamp_format, message.processed_at);
        case MessageField::Amount: return update ? amount_text(m_layout, message.balance_change_pence) : std::string();
        case MessageField::TransactionType:
            if (!update)
                return {};
            return message.balance_change_pence > 0 ? m_layout.increase_type : m_layout.decrease_type;
        case MessageField::Reason: {
            auto const* code = message.reason && !update ? m_layout.code_for(message.kind, *message.reason) : nullptr;
            return code != nullptr ? *code : std::string();
        }
        case MessageField::Note:
            return message.kind == MessageKind::Hold && message.until ? message.until->to_string() : std::string();
        case MessageField::Force:
            return message.kind == MessageKind::Recall && message.force ? "true" : "false";
        case MessageField::Action: return std::string(model::to_string(message.kind));
        }
        return {};
    }

    model::MessageLayout const m_layout;
    base::ByteSink& m_sink;
    std::string m_line;
    bool m_finished { false };
};

} // namespace

base::Result<std::unique_ptr<MessageFileWriter>> make_message_writer(model::MessageLayout const& layout, base::ByteSink& sink)
{
    auto writer = std::make_unique<CsvMessageWriter>(layout, sink);
    TRY(writer->start());
    return std::unique_ptr<MessageFileWriter>(std::move(writer));
}

std::string format_timestamp(model::TimestampFormat format, model::UtcTime const& time)
{
    auto text = time.date.to_string() + "T" + two_digits(time.hour) + ":" + two_digits(time.minute) + ":" + two_digits(time.second);
    if (format == model::TimestampFormat::Rfc3339)
        return text + "Z";
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03d", time.millisecond);
    return text + millis;
}

std::string message_file_name(model::MessageLayout const& layout, std::string_view agency, model::UtcTime const& made_at, unsigned sequence)
{
    std::string_view const pattern = layout.file_name_pattern;
    auto const iso_date = made_at.date.to_string();
    std::string name;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        auto const end = pattern[i] == '{' ? pattern.find('}', i) : std::string_view::npos;
        if (end == std::string_view::npos) {
            name.push_back(pattern[i]);
            continue;
        }
        auto const token = pattern.substr(i + 1, end - i - 1);
        if (token == "agency")
            name.append(agency);
        else if (token == "date")
            name.append(iso_date.substr(0, 4) + iso_date.substr(5, 2) + iso_date.substr(8, 2));
        else if (token == "iso_date")
            name.append(iso_date);
        else if (token == "time")
            name.append(two_digits(made_at.hour) + "-" + two_digits(made_at.minute) + "-" + two_digits(made_at.second));
        else if (token == "sequence")
            name.append(std::to_string(sequence));
        else if (token.starts_with("sequence:")) {
            auto digits = std::to_string(sequence);
            auto const width = static_cast<std::size_t>(token[9] - '0');
            name.append(digits.size() < width ? std::string(width - digits.size(), '0') + digits : digits);
        }
        i = end;
    }
    return name;
}

} // namespace dcagw::layouts
