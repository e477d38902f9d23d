#include "gateway/lifecycle/changes.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using ChangeKind = model::MessageKind;
using model::ReturnReason;
using ChangeKind = model::MessageKind;

namespace {

base::Date const today { 2026, 12, 7 };

// An open placement's row as the export shows it when nothing has happened.
model::CaseRecord unchanged_row()
{
    model::CaseRecord record;
    record.balance_pence = 50'000;
    record.due_date = base::Date { 2024, 1, 1 };
    return record;
}

lifecycle::ToldState const told_open { 50'000, std::nullopt };

std::vector<lifecycle::Change> changes(model::CaseRecord const& record, lifecycle::ToldState const& told = told_open, lifecycle::Policy const& policy = {})
{
    auto result = lifecycle::derive_changes(told, record, policy, today);
    REQUIRE(result.ok());
    return result.release_value();
}

} // namespace

TEST_CASE("an unchanged row needs no message")
{
    CHECK(changes(unchanged_row()).empty());
}

TEST_CASE("a balance change is one signed update of the difference")
{
    auto record = unchanged_row();
    record.balance_pence = 42'500; // the debtor paid the creditor direct
    auto sent = changes(record);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == ChangeKind::BalanceUpdate);
    CHECK(sent[0].balance_change_pence == -7'500);
    record.balance_pence = 51'000; // a recharge added
    CHECK(changes(record)[0].balance_change_pence == 1'000);
    record.balance_pence = 0; // paid in full direct: an update to zero, not an error
    CHECK(changes(record)[0].balance_change_pence == -50'000);
}

TEST_CASE("a credit balance on a placed debt is refused and nothing is sent")
{
    auto record = unchanged_row();
    record.balance_pence = -1;
    auto result = lifecycle::derive_changes(told_open, record, {}, today);
    REQUIRE(result.is_error());
    CHECK(result.error().code() == base::ErrorCode::RecordInvalid);
    CHECK(result.error().message().find("balance_pence") == 0);
}

TEST_CASE("a new breathing space is a hold with its end date, before any balance update")
{
    auto record = unchanged_row();
    record.breathing_space = model::BreathingSpace::Standard;
    record.breathing_space_start = base::Date { 2026, 12, 7 };
    record.breathing_space_end = base::Date { 2027, 2, 4 };
    record.balance_pence = 49'000;
    auto sent = changes(record);
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].kind == ChangeKind::Hold);
    CHECK(sent[0].reason == ReturnReason::BreathingSpace);
    CHECK(sent[0].until == base::Date { 2027, 2, 4 });
    CHECK(sent[1].kind == ChangeKind::BalanceUpdate);
    CHECK(sent[1].balance_change_pence == -1'000);
}

TEST_CASE("a mental-health crisis moratorium is a hold that shares no end date")
{
    auto record = unchanged_row();
    record.breathing_space = model::BreathingSpace::MentalHealth;
    record.breathing_space_start = base::Date { 2026, 12, 1 };
    record.breathing_space_end = base::Date { 2027, 1, 30 };
    auto sent = changes(record);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].reason == ReturnReason::MentalHealthCrisis);
    CHECK_FALSE(sent[0].until.has_value());
}

TEST_CASE("a hold already told is not sent again, and a cleared one is released after the update")
{
    auto record = unchanged_row();
    record.dispute = true;
    lifecycle::ToldState const on_hold { 50'000, ReturnReason::Dispute };
    CHECK(changes(record, on_hold).empty());

    record.dispute = false;
    record.balance_pence = 45'000;
    auto sent = changes(record, on_hold);
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].kind == ChangeKind::BalanceUpdate);
    CHECK(sent[1].kind == ChangeKind::Release);
    CHECK(sent[1].reason == ReturnReason::Dispute);
}

TEST_CASE("a breathing space that ended is released; one that starts tomorrow is not held yet")
{
    auto record = unchanged_row();
    record.breathing_space = model::BreathingSpace::Standard;
    record.breathing_space_start = base::Date { 2026, 10, 1 };
    record.breathing_space_end = base::Date { 2026, 12, 6 };
    lifecycle::ToldState const on_hold { 50'000, ReturnReason::BreathingSpace };
    auto sent = changes(record, on_hold);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == ChangeKind::Release);

    record.breathing_space_start = base::Date { 2026, 12, 8 };
    record.breathing_space_end.reset();
    CHECK(changes(record).empty());
}

TEST_CASE("a breathing space arriving during a dispute hold is told as a breathing-space hold")
{
    // The reg 12 evidence (notice received, agent notified, agent acknowledged) needs a
    // hold that names the moratorium, even though collection is already paused.
    auto record = unchanged_row();
    record.dispute = true;
    record.breathing_space = model::BreathingSpace::Standard;
    record.breathing_space_start = today;
    lifecycle::ToldState const on_hold { 50'000, ReturnReason::Dispute };
    auto sent = changes(record, on_hold);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == ChangeKind::Hold);
    CHECK(sent[0].reason == ReturnReason::BreathingSpace);
}

TEST_CASE("insolvency and death recall the debt alone, whatever the balance or holds")
{
    auto record = unchanged_row();
    record.insolvency = model::Insolvency::DRO;
    record.dispute = true;
    record.balance_pence = -300; // a recall needs no balance: not refused
    auto sent = changes(record);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == ChangeKind::Recall);
    CHECK(sent[0].reason == ReturnReason::InsolvencyDro);

    record = unchanged_row();
    record.deceased = true;
    record.breathing_space = model::BreathingSpace::Standard;
    record.breathing_space_start = today;
    sent = changes(record);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].reason == ReturnReason::Deceased);
}

TEST_CASE("the agency's policy decides hold or recall for each concern")
{
    auto record = unchanged_row();
    record.complaint_open = true;
    lifecycle::Policy recall_complaints;
    recall_complaints.complaint = lifecycle::Action::Recall;
    CHECK(changes(record)[0].kind == ChangeKind::Hold);
    CHECK(changes(record, told_open, recall_complaints)[0].kind == ChangeKind::Recall);

    lifecycle::Policy hold_the_deceased;
    hold_the_deceased.deceased = lifecycle::Action::Hold;
    record = unchanged_row();
    record.deceased = true;
    auto sent = changes(record, told_open, hold_the_deceased);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].kind == ChangeKind::Hold);
    CHECK(sent[0].reason == ReturnReason::Deceased);
}

TEST_CASE("concerns come in precedence order, breathing space first")
{
    auto record = unchanged_row();
    record.mental_capacity_concern = true;
    record.complaint_open = true;
    record.dispute = true;
    record.insolvency = model::Insolvency::BKR;
    record.deceased = true;
    record.breathing_space = model::BreathingSpace::Standard;
    record.breathing_space_start = today;
    CHECK(lifecycle::concerns_of(record, today)
        == std::vector<ReturnReason> { ReturnReason::BreathingSpace, ReturnReason::Deceased, ReturnReason::InsolvencyBankruptcy,
            ReturnReason::Dispute, ReturnReason::Complaint, ReturnReason::MentalCapacity });
}

TEST_CASE("too many open placements vanishing at once is refused unless confirmed")
{
    using lifecycle::MassChange;
    CHECK(lifecycle::check_vanished(1'000, 0, 5, MassChange::Unconfirmed).ok());
    CHECK(lifecycle::check_vanished(1'000, 50, 5, MassChange::Unconfirmed).ok()); // exactly 5%
    auto refused = lifecycle::check_vanished(1'000, 51, 5, MassChange::Unconfirmed);
    REQUIRE(refused.is_error());
    CHECK(refused.error().message().find("51 of 1000 accounts with open placements") == 0);
    CHECK(refused.error().hint().find("--confirm-mass-change") != std::string_view::npos);
    CHECK(lifecycle::check_vanished(1'000, 1'000, 5, MassChange::Confirmed).ok());
    CHECK_FALSE(lifecycle::check_vanished(1, 1, 0, MassChange::Unconfirmed).ok());
}

TEST_CASE("operator commands are refused where they would send nothing true")
{
    using lifecycle::operator_change;
    lifecycle::ToldState const open { 50'000, std::nullopt };
    lifecycle::ToldState const on_hold { 50'000, ReturnReason::Dispute };

    auto const never_placed = operator_change(nullptr, ChangeKind::Hold, ReturnReason::Dispute, std::nullopt);
    REQUIRE(never_placed.is_error());
    CHECK(never_placed.error().code() == base::ErrorCode::Usage);
    CHECK(never_placed.error().message() == "the agency holds no open placement of this debt, so there is nothing to hold");
    CHECK(operator_change(&open, ChangeKind::Release, std::nullopt, std::nullopt).error().message() == "there is no hold in force to release");
    CHECK(operator_change(&on_hold, ChangeKind::Hold, ReturnReason::Dispute, std::nullopt).error().message() == "a DSP hold is already in force");
    CHECK(operator_change(&open, ChangeKind::Hold, std::nullopt, std::nullopt).is_error());
    CHECK(operator_change(&open, ChangeKind::Close, std::nullopt, std::nullopt).is_error());
    CHECK(operator_change(&open, ChangeKind::BalanceUpdate, std::nullopt, std::nullopt).is_error());
}

TEST_CASE("operator commands become the change they name")
{
    using lifecycle::operator_change;
    lifecycle::ToldState const open { 50'000, std::nullopt };
    lifecycle::ToldState const on_hold { 50'000, ReturnReason::Complaint };

    auto const hold = operator_change(&open, ChangeKind::Hold, ReturnReason::BreathingSpace, base::Date { 2027, 2, 4 });
    REQUIRE(hold.ok());
    CHECK(hold.value().kind == ChangeKind::Hold);
    CHECK(hold.value().until == base::Date { 2027, 2, 4 });
    auto const release = operator_change(&on_hold, ChangeKind::Release, std::nullopt, std::nullopt);
    REQUIRE(release.ok());
    CHECK(release.value().reason == ReturnReason::Complaint); // the hold being lifted
    auto const recall = operator_change(&open, ChangeKind::Recall, std::nullopt, base::Date { 2027, 1, 1 });
    REQUIRE(recall.ok());
    CHECK(recall.value().reason == ReturnReason::Recalled);
    CHECK_FALSE(recall.value().until.has_value());
    CHECK(operator_change(&open, ChangeKind::Close, ReturnReason::PaidInFull, std::nullopt).value().reason == ReturnReason::PaidInFull);
}
