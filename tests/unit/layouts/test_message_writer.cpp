// The lifecycle message writers against hand-written vectors (tests/vectors/messages/):
// every bundled message layout writes exactly the bytes its agency's specification asks
// for, and refuses a message it cannot express rather than guess.
#include "gateway/config/config_reader.hpp"
#include "gateway/layouts/message_writer.hpp"
#include "tests/support/string_sink.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using namespace dcagw;
using model::LifecycleMessage;
using model::MessageKind;
using model::ReturnReason;
namespace fs = std::filesystem;

fs::path const source_dir { DCAGW_SOURCE_DIR };
model::UtcTime const at { base::Date { 2026, 12, 7 }, 9, 30, 15, 42 };

LifecycleMessage message(MessageKind kind, int number)
{
    LifecycleMessage result;
    result.kind = kind;
    result.account_reference = "PACC" + std::to_string(number);
    result.customer_reference = "PCUS" + std::to_string(number);
    result.processed_at = at;
    return result;
}

// The fixed messages of tests/vectors/messages/README.md, in order.
std::vector<LifecycleMessage> fixed_messages()
{
    std::vector<LifecycleMessage> messages;
    auto payment = message(MessageKind::BalanceUpdate, 1);
    payment.transaction_ref = "DCAGW-U-1";
    payment.balance_change_pence = -1250;
    messages.push_back(payment);
    auto charge = message(MessageKind::BalanceUpdate, 2);
    charge.transaction_ref = "DCAGW-U-2";
    charge.balance_change_pence = 3000;
    messages.push_back(charge);
    auto breathing_space = message(MessageKind::Hold, 3);
    breathing_space.reason = ReturnReason::BreathingSpace;
    breathing_space.until = base::Date { 2027, 2, 4 };
    messages.push_back(breathing_space);
    auto dispute = message(MessageKind::Hold, 4);
    dispute.reason = ReturnReason::Dispute;
    messages.push_back(dispute);
    auto deceased = message(MessageKind::Recall, 5);
    deceased.reason = ReturnReason::Deceased;
    messages.push_back(deceased);
    auto forced = message(MessageKind::Recall, 6);
    forced.reason = ReturnReason::Recalled;
    forced.force = true;
    messages.push_back(forced);
    auto paid = message(MessageKind::Close, 7);
    paid.reason = ReturnReason::PaidInFull;
    messages.push_back(paid);
    auto released = message(MessageKind::Release, 8);
    released.reason = ReturnReason::Dispute;
    messages.push_back(released);
    return messages;
}

model::Mapping bundled(std::string const& name)
{
    model::Mapping mapping;
    REQUIRE(config::check_mapping(source_dir / "mappings" / name, &mapping).empty());
    return mapping;
}

std::string vector_bytes(std::string const& layout)
{
    std::ifstream in(source_dir / "tests/vectors/messages" / (layout + ".csv"), std::ios::binary);
    REQUIRE(in);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string written(model::MessageLayout const& layout, std::vector<LifecycleMessage> const& messages)
{
    test::StringSink sink;
    auto writer = layouts::make_message_writer(layout, sink);
    REQUIRE(writer.ok());
    for (auto const& each : messages)
        if (layout.carries(each.kind)) {
            auto result = writer.value()->write(each);
            INFO(layout.name + ": " + (result.ok() ? std::string() : result.error().to_text()));
            REQUIRE(result.ok());
        }
    REQUIRE(writer.value()->finish().ok());
    return sink.text;
}

model::MessageLayout const& layout_named(model::Mapping const& mapping, std::string const& name)
{
    for (auto const& layout : mapping.messages)
        if (layout.name == name)
            return layout;
    FAIL("no layout " << name);
    return mapping.messages.front();
}

} // namespace

TEST_CASE("every bundled message layout writes its vector byte for byte")
{
    auto const messages = fixed_messages();
    for (auto const* name : { "ophelos.json", "indebted.json", "example-agency.json" }) {
        auto const mapping = bundled(name);
        REQUIRE_FALSE(mapping.messages.empty());
        for (auto const& layout : mapping.messages) {
            INFO(layout.name);
            CHECK(written(layout, messages) == vector_bytes(layout.name));
        }
    }
}

TEST_CASE("message file names follow each agency's convention")
{
    auto const ophelos = bundled("ophelos.json");
    CHECK(layouts::message_file_name(layout_named(ophelos, "ophelos-transactions"), "ophelos", at, 1) == "20261207-transaction.csv");
    CHECK(layouts::message_file_name(layout_named(ophelos, "ophelos-closures"), "ophelos", at, 1) == "20261207-closure.csv");
    auto const indebted = bundled("indebted.json");
    CHECK(layouts::message_file_name(layout_named(indebted, "indebted-recalls"), "indebted", at, 1) == "2026-12-07-09-30-15.csv");
    model::MessageLayout numbered;
    numbered.file_name_pattern = "{agency}-{date}-{sequence:3}-{sequence}.csv";
    CHECK(layouts::message_file_name(numbered, "example-agency", at, 7) == "example-agency-20261207-007-7.csv");
}

TEST_CASE("timestamps are written in the layout's format, in UTC")
{
    model::UtcTime const early { base::Date { 2027, 1, 2 }, 3, 4, 5, 6 };
    CHECK(layouts::format_timestamp(model::TimestampFormat::Rfc3339, early) == "2027-01-02T03:04:05Z");
    CHECK(layouts::format_timestamp(model::TimestampFormat::IsoMillis, early) == "2027-01-02T03:04:05.006");
}

TEST_CASE("a message the layout cannot express is refused, and nothing of it is written")
{
    auto const ophelos = bundled("ophelos.json");
    auto const& closures = layout_named(ophelos, "ophelos-closures");
    test::StringSink sink;
    auto writer = layouts::make_message_writer(closures, sink);
    REQUIRE(writer.ok());
    auto const header = sink.text;

    auto release = message(MessageKind::Release, 1);
    release.reason = ReturnReason::Dispute;
    auto refused = writer.value()->write(release);
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::RecordInvalid);
    CHECK(refused.error().message() == "message layout ophelos-closures: a release message does not belong in this layout");

    auto vulnerable = message(MessageKind::Hold, 2);
    vulnerable.reason = ReturnReason::Vulnerable;
    refused = writer.value()->write(vulnerable);
    REQUIRE(refused.is_error());
    CHECK(refused.error().message().ends_with("for reason VUL has no code in the layout's reasons table"));

    auto no_reason = message(MessageKind::Hold, 3);
    CHECK(writer.value()->write(no_reason).is_error());
    CHECK(sink.text == header);

    auto const& transactions = layout_named(ophelos, "ophelos-transactions");
    test::StringSink update_sink;
    auto update_writer = layouts::make_message_writer(transactions, update_sink);
    REQUIRE(update_writer.ok());
    auto nothing = message(MessageKind::BalanceUpdate, 4);
    nothing.transaction_ref = "DCAGW-U-4";
    CHECK(update_writer.value()->write(nothing).is_error());
    nothing.balance_change_pence = -1;
    nothing.transaction_ref.clear();
    CHECK(update_writer.value()->write(nothing).is_error());
}

TEST_CASE("values that need quoting are quoted as RFC 4180 says")
{
    model::MessageLayout layout;
    layout.name = "quoted";
    layout.kinds = { MessageKind::Hold };
    layout.columns = { { "ref", model::MessageField::AccountReference } };
    test::StringSink sink;
    auto writer = layouts::make_message_writer(layout, sink);
    REQUIRE(writer.ok());
    auto odd = message(MessageKind::Hold, 1);
    odd.account_reference = "A,\"B\"";
    REQUIRE(writer.value()->write(odd).ok());
    CHECK(sink.text == "ref\n\"A,\"\"B\"\"\"\n");
}
