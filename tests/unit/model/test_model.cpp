// The model's tables: the canonical case fields, the enum <-> name pairs that are stored
// in the ledger and written into mappings, and the configuration's agency lookup.
#include "gateway/model/case_fields.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/config.hpp"
#include "gateway/model/exclusion.hpp"
#include "gateway/model/mapping.hpp"
#include "gateway/model/returns.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace dcagw::model;

TEST_CASE("the case field table has one row per field, in order, with unique names that round-trip")
{
    auto const& table = field_table();
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < table.size(); ++i) {
        auto const field = static_cast<CaseField>(i);
        CHECK(index_of(table[i].field) == i);
        CHECK(&info(field) == &table[i]);
        CHECK(names.insert(table[i].name).second);
        CHECK(name_of(field) == table[i].name);
        CHECK(field_from_name(table[i].name) == field);
        // Only enumerations have a list of allowed values, and every one has some.
        CHECK(allowed_values(field).empty() == (table[i].kind != FieldKind::Enumeration));
    }
    CHECK_FALSE(field_from_name("Account_Ref").has_value());
    CHECK_FALSE(field_from_name("").has_value());
}

TEST_CASE("the fields that identify a case are required, and free-text notes never leave the gateway")
{
    CHECK(info(CaseField::account_ref).required);
    CHECK(info(CaseField::person_ref).required);
    CHECK(info(CaseField::notes).never_shared);
    CHECK(info(CaseField::notes).kind == FieldKind::Text);
    CHECK(info(CaseField::account_ref).kind == FieldKind::Text);
    CHECK_FALSE(info(CaseField::account_ref).never_shared);
}

TEST_CASE("exclusion reasons have unique snake_case names that round-trip")
{
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < exclusion_reason_count; ++i) {
        auto const reason = static_cast<ExclusionReason>(i);
        auto const name = to_string(reason);
        INFO(name);
        CHECK(names.insert(name).second);
        CHECK(exclusion_reason_from_string(name) == reason);
        for (char const c : name)
            CHECK(((c >= 'a' && c <= 'z') || c == '_'));
    }
    CHECK(to_string(ExclusionReason::BreathingSpace) == "breathing_space");
    CHECK(to_string(ExclusionReason::StatuteBarred) == "statute_barred");
    CHECK_FALSE(exclusion_reason_from_string("Breathing_Space").has_value());
}

TEST_CASE("transforms and debt types round-trip through their names")
{
    std::set<std::string_view> names;
    for (auto const transform : { Transform::Copy, Transform::DateFormat, Transform::Upper, Transform::Lower, Transform::Title, Transform::Truncate,
             Transform::Mask, Transform::Constant, Transform::Concatenate, Transform::PenceToPounds, Transform::Lookup, Transform::Pseudonym }) {
        CHECK(names.insert(to_string(transform)).second);
        CHECK(transform_from_string(to_string(transform)) == transform);
    }
    CHECK_FALSE(transform_from_string("uppcase").has_value());

    for (auto const type : { DebtType::FTA, DebtType::RECHARGE, DebtType::SUNDRY, DebtType::GARAGE, DebtType::SERVICE_CHARGE, DebtType::COURT_COSTS,
             DebtType::HB_OVERPAYMENT, DebtType::COUNCIL_TAX, DebtType::ASC })
        CHECK(debt_type_from_string(to_string(type)) == type);
    CHECK(to_string(DebtType::FTA) == "FTA");
    CHECK_FALSE(debt_type_from_string("fta").has_value());
}

TEST_CASE("find_agency finds an agency by its exact id only")
{
    GatewayConfig config;
    config.agencies.resize(2);
    config.agencies[0].id = "ophelos";
    config.agencies[1].id = "indebted";
    CHECK(config.find_agency("indebted") == &config.agencies[1]);
    CHECK(config.find_agency("ophelos") == &config.agencies[0]);
    CHECK(config.find_agency("Ophelos") == nullptr);
    CHECK(config.find_agency("") == nullptr);
}

TEST_CASE("return kinds and canonical return reasons round-trip by their documented names")
{
    for (std::size_t i = 0; i <= static_cast<std::size_t>(ReturnKind::Payout); ++i) {
        auto const kind = static_cast<ReturnKind>(i);
        CHECK(return_kind_from_string(to_string(kind)) == kind);
    }
    std::set<std::string_view> names;
    for (std::size_t i = 0; i <= static_cast<std::size_t>(ReturnReason::Recalled); ++i) {
        auto const reason = static_cast<ReturnReason>(i);
        CHECK(to_string(reason) != "unknown");
        CHECK(return_reason_from_string(to_string(reason)) == reason);
        names.insert(to_string(reason));
    }
    CHECK(names.size() == 23);
    CHECK(to_string(ReturnReason::InsolvencyBankruptcy) == "INS-BKR");
    CHECK_FALSE(return_reason_from_string("pif").has_value());
}
