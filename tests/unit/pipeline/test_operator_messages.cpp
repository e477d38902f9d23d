// The operator's lifecycle commands as the library does them (pipeline/operator_messages;
// issue 15 item 1(b), docs/lifecycle.md "Operator commands"): recorded with their audit
// entry in one transaction, or refused with nothing recorded; and which holds are overdue.
#include "gateway/pipeline/operator_messages.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/lifecycle.hpp"
#include "tests/unit/pipeline/place_example.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using model::MessageKind;
using model::ReturnReason;

namespace {

struct Example : test::PlaceExample {
    Example() : PlaceExample("operator-messages")
    {
        auto placed = pipeline::place(config, options);
        if (placed.is_error())
            FAIL(placed.error().to_text());
        auto opened = store::Ledger::open(config.state_directory, store::OpenMode::MustExist);
        if (opened.is_error())
            FAIL(opened.error().to_text());
        ledger = opened.release_value();
    }

    base::Result<pipeline::OperatorOutcome> ask(MessageKind kind, std::optional<ReturnReason> reason, std::optional<std::string> agency = "example-agency")
    {
        pipeline::OperatorRequest request;
        request.kind = kind;
        request.account_ref = "FTA-100001";
        request.agency = std::move(agency);
        request.reason = reason;
        request.actor = "jbloggs";
        request.notice_received_at = "2026-11-23T09:00:00Z";
        if (kind == MessageKind::Hold)
            request.until = base::Date::parse("2027-01-31");
        return pipeline::record_operator_message(*ledger, config, request);
    }

    std::size_t messages_recorded()
    {
        store::LifecycleMessages messages(*ledger);
        auto const all = messages.of_account("FTA-100001");
        REQUIRE(all.ok());
        return all.value().size();
    }

    std::unique_ptr<store::Ledger> ledger;
};

} // namespace

TEST_CASE("operator: a hold is recorded with its reason, end, actor and audit entry; a second is refused")
{
    Example example;
    auto const held = example.ask(MessageKind::Hold, ReturnReason::BreathingSpace);
    REQUIRE(held.ok());
    REQUIRE(held.value().messages.size() == 1);
    auto const& message = held.value().messages[0];
    CHECK(message.agency == "example-agency");
    CHECK(message.reason == ReturnReason::BreathingSpace);
    CHECK(message.until == std::optional<std::string>("2027-01-31"));
    CHECK(message.transaction_ref == "O" + std::to_string(message.id));
    CHECK(held.value().audit_entry > 0);

    store::LifecycleMessages messages(*example.ledger);
    auto const holds = messages.holds(std::nullopt);
    REQUIRE(holds.ok());
    REQUIRE(holds.value().size() == 1);
    CHECK(holds.value()[0].message.origin == store::MessageOrigin::Operator);
    CHECK(holds.value()[0].message.actor == "jbloggs");
    CHECK(holds.value()[0].message.notice_received_at == "2026-11-23T09:00:00Z");

    auto const again = example.ask(MessageKind::Hold, ReturnReason::BreathingSpace);
    REQUIRE(again.is_error());
    CHECK(again.error().code() == base::ErrorCode::Usage);
    CHECK(again.error().to_text().find("a BSM hold is already in force") != std::string::npos);
    CHECK(example.messages_recorded() == 1);
}

TEST_CASE("operator: a release lifts the hold in force; with no hold it is refused")
{
    Example example;
    auto const refused = example.ask(MessageKind::Release, std::nullopt);
    REQUIRE(refused.is_error());
    CHECK(refused.error().to_text().find("there is no hold in force to release") != std::string::npos);
    CHECK(example.messages_recorded() == 0);
    REQUIRE(example.ask(MessageKind::Hold, ReturnReason::Dispute).ok());
    auto const released = example.ask(MessageKind::Release, std::nullopt, std::nullopt);
    REQUIRE(released.ok());
    REQUIRE(released.value().messages.size() == 1);
    CHECK(released.value().messages[0].reason == ReturnReason::Dispute);
    CHECK(example.messages_recorded() == 2);
}

TEST_CASE("operator: a recall is recorded once; anything more waits for the agency to confirm it")
{
    Example example;
    auto const recalled = example.ask(MessageKind::Recall, std::nullopt);
    REQUIRE(recalled.ok());
    CHECK(recalled.value().messages[0].reason == ReturnReason::Recalled);
    auto const held = example.ask(MessageKind::Hold, ReturnReason::Dispute);
    REQUIRE(held.is_error());
    CHECK(held.error().to_text().find("is not confirmed yet") != std::string::npos);
    CHECK(example.messages_recorded() == 1);
}

TEST_CASE("operator: refusals record nothing: no placement, no reason, no actor, a bad notice time")
{
    Example example;
    pipeline::OperatorRequest request;
    request.kind = MessageKind::Hold;
    request.account_ref = "FTA-999999";
    request.reason = ReturnReason::Dispute;
    request.actor = "jbloggs";
    auto const unknown = pipeline::record_operator_message(*example.ledger, example.config, request);
    REQUIRE(unknown.is_error());
    CHECK(unknown.error().to_text().find("no agency holds an open placement") != std::string::npos);

    CHECK(example.ask(MessageKind::Close, std::nullopt).is_error());
    request.account_ref = "FTA-100001";
    request.agency = "example-agency";
    request.actor.clear();
    CHECK(pipeline::record_operator_message(*example.ledger, example.config, request).is_error());
    request.actor = "jbloggs";
    request.notice_received_at = "2026-11-23 09:00";
    auto const bad_time = pipeline::record_operator_message(*example.ledger, example.config, request);
    REQUIRE(bad_time.is_error());
    CHECK(bad_time.error().to_text().find("not a UTC ISO 8601 timestamp") != std::string::npos);
    request.notice_received_at.clear();
    request.force = pipeline::RecallForce::Forced;
    CHECK(pipeline::record_operator_message(*example.ledger, example.config, request).is_error());
    CHECK(example.messages_recorded() == 0);
}

TEST_CASE("operator: a hold is overdue unsent after its notice day, or unacknowledged after N business days")
{
    store::HoldRecord hold;
    hold.message.notice_received_at = "2026-11-27T16:00:00Z"; // a Friday
    pipeline::OverduePolicy const policy { 1 };
    auto const day = [](char const* text) { return *base::Date::parse(text); };
    CHECK_FALSE(pipeline::hold_is_overdue(hold, day("2026-11-27"), policy));
    CHECK(pipeline::overdue_reason(hold, day("2026-11-28"), policy) == "not notified on the day of the notice");
    hold.notified_at = "2026-11-28T08:00:00Z";
    CHECK(pipeline::overdue_reason(hold, day("2026-11-28"), policy) == "notified 2026-11-28, after the day of the notice");
    hold.notified_at = "2026-11-27T17:00:00Z";
    // One business day after Friday is Monday 30 November: overdue from Tuesday.
    CHECK_FALSE(pipeline::hold_is_overdue(hold, day("2026-11-30"), policy));
    CHECK(pipeline::overdue_reason(hold, day("2026-12-01"), policy).find("not acknowledged by 2026-11-30") == 0);
    hold.acknowledged_at = "2026-12-01T09:00:00Z";
    CHECK_FALSE(pipeline::hold_is_overdue(hold, day("2026-12-01"), policy));
}
