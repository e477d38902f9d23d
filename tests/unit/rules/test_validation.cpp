#include "gateway/rules/field_checks.hpp"
#include "gateway/rules/validation.hpp"
#include "validation_helpers.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using model::CaseField;
using test::contains;
using test::single_problem;
using test::TestRow;
using test::today;
using test::validate;

TEST_CASE("a complete row validates and its typed fields are filled")
{
    TestRow row;
    row.set(CaseField::party_role, "joint")
        .set(CaseField::debt_type, "COUNCIL_TAX")
        .set(CaseField::balance_pence, " -250 ")
        .set(CaseField::last_payment_date, "2023-01-31")
        .set(CaseField::last_acknowledgement_date, "2023-02-28")
        .set(CaseField::liability_order_date, "2022-09-01")
        .set(CaseField::breathing_space, "MENTAL_HEALTH")
        .set(CaseField::breathing_space_start, "2025-05-01")
        .set(CaseField::breathing_space_end, "2025-07-01")
        .set(CaseField::insolvency, "DRO")
        .set(CaseField::vulnerable, "Y")
        .set(CaseField::deceased, "")
        .set(CaseField::dispute, "Y")
        .set(CaseField::complaint_open, "Y")
        .set(CaseField::mental_capacity_concern, "Y");
    auto const outcome = validate(row);
    REQUIRE(outcome.valid);
    CHECK(outcome.rejections.empty());
    auto const& record = outcome.record;
    CHECK(record.raw != nullptr);
    CHECK(record.account_ref() == "ACC-1001");
    CHECK(record.party_role == model::PartyRole::Joint);
    CHECK(record.debt_type == model::DebtType::COUNCIL_TAX);
    CHECK(record.balance_pence == -250);
    CHECK(record.due_date == base::Date { 2022, 3, 1 });
    CHECK(record.date_of_birth == base::Date { 1980, 5, 17 });
    CHECK(record.last_payment_date == base::Date { 2023, 1, 31 });
    CHECK(record.last_acknowledgement_date == base::Date { 2023, 2, 28 });
    CHECK(record.liability_order_date == base::Date { 2022, 9, 1 });
    CHECK(record.breathing_space == model::BreathingSpace::MentalHealth);
    CHECK(record.breathing_space_start == base::Date { 2025, 5, 1 });
    CHECK(record.breathing_space_end == base::Date { 2025, 7, 1 });
    CHECK(record.insolvency == model::Insolvency::DRO);
    CHECK(record.vulnerable);
    CHECK_FALSE(record.deceased);
    CHECK(record.dispute);
    CHECK(record.complaint_open);
    CHECK(record.mental_capacity_concern);
}

TEST_CASE("every enumeration value maps onto the model's enum of the same name")
{
    char const* debt_types[] = { "FTA", "RECHARGE", "SUNDRY", "GARAGE", "SERVICE_CHARGE", "COURT_COSTS", "HB_OVERPAYMENT", "COUNCIL_TAX", "ASC" };
    for (auto const* name : debt_types) {
        TestRow row;
        row.set(CaseField::debt_type, name);
        auto const outcome = validate(row);
        REQUIRE(outcome.valid);
        CHECK(model::to_string(outcome.record.debt_type) == name);
    }
    std::pair<char const*, model::Insolvency> insolvencies[] = {
        { "NONE", model::Insolvency::None }, { "BKR", model::Insolvency::BKR }, { "IVA", model::Insolvency::IVA },
        { "DRO", model::Insolvency::DRO }, { "TD", model::Insolvency::TD },
    };
    for (auto const& [name, value] : insolvencies) {
        TestRow row;
        row.set(CaseField::insolvency, name);
        auto const outcome = validate(row);
        REQUIRE(outcome.valid);
        CHECK(outcome.record.insolvency == value);
    }
    TestRow row;
    row.set(CaseField::breathing_space, "STANDARD").set(CaseField::breathing_space_start, "2025-01-01");
    auto const outcome = validate(row);
    REQUIRE(outcome.valid);
    CHECK(outcome.record.breathing_space == model::BreathingSpace::Standard);
    TestRow absent_optional;
    absent_optional.absent(CaseField::party_role).absent(CaseField::breathing_space).absent(CaseField::insolvency);
    auto const defaults = validate(absent_optional);
    REQUIRE(defaults.valid);
    CHECK(defaults.record.party_role == model::PartyRole::Lead);
    CHECK(defaults.record.breathing_space == model::BreathingSpace::None);
    CHECK(defaults.record.insolvency == model::Insolvency::None);
}

TEST_CASE("required fields must be present and not blank")
{
    CaseField const required[] = { CaseField::account_ref, CaseField::person_ref, CaseField::debt_type, CaseField::balance_pence,
        CaseField::first_name, CaseField::last_name, CaseField::address_line1, CaseField::postcode };
    for (auto field : required) {
        DYNAMIC_SECTION(model::name_of(field))
        {
            TestRow empty;
            empty.set(field, "");
            CHECK(single_problem(empty, field) == std::string(model::name_of(field)) + ": is required but empty");
            TestRow blank;
            blank.set(field, "   ");
            CHECK(single_problem(blank, field) == std::string(model::name_of(field)) + ": is required but empty");
            TestRow missing;
            missing.absent(field);
            CHECK(contains(single_problem(missing, field), "is required but the record does not have it"));
        }
    }
}

TEST_CASE("a rejection names the file, line, references, field and an actionable reason")
{
    TestRow row;
    row.set(CaseField::balance_pence, "98.76");
    auto const outcome = validate(row);
    REQUIRE(outcome.rejections.size() == 1);
    auto const& rejection = outcome.rejections[0];
    CHECK(rejection.file == "export.csv");
    CHECK(rejection.line == 7);
    CHECK(rejection.account_ref == "ACC-1001");
    CHECK(rejection.person_ref == "P-1");
    CHECK(rejection.field == "balance_pence");
    // The reason describes the value, never quotes it (it goes into the quarantine table).
    CHECK(contains(rejection.reason, "balance_pence: a value of 5 bytes (digits, punctuation) is not a whole number of pence"));
    CHECK(!contains(rejection.reason, "98.76"));
}

TEST_CASE("one rejection per problem, all of them reported")
{
    TestRow row;
    row.set(CaseField::balance_pence, "ten pounds")
        .set(CaseField::due_date, "2023-02-29")
        .set(CaseField::debt_type, "fta")
        .set(CaseField::dispute, "yes")
        .set(CaseField::first_name, "")
        .set(CaseField::email, "nobody");
    auto const outcome = validate(row);
    CHECK_FALSE(outcome.valid);
    REQUIRE(outcome.rejections.size() == 6);
    std::vector<std::string> fields;
    for (auto const& rejection : outcome.rejections) {
        fields.push_back(rejection.field);
        CHECK(rejection.line == 7);
    }
    std::vector<std::string> const expected { "debt_type", "balance_pence", "due_date", "first_name", "dispute", "email" };
    CHECK(fields == expected);
}

TEST_CASE("pence fields are whole numbers within 10^11")
{
    CaseField const pence_fields[] = { CaseField::balance_pence, CaseField::principal_pence, CaseField::charges_pence, CaseField::last_payment_pence };
    for (auto field : pence_fields) {
        for (auto const* bad : { "12.50", "+5", "1e3", "1,250", "£12", "0x10", "99999999999999999999" }) {
            TestRow row;
            row.set(field, bad);
            CHECK(contains(single_problem(row, field), "is not a whole number of pence"));
        }
        TestRow too_big;
        too_big.set(field, "100000000001");
        CHECK(contains(single_problem(too_big, field), "out of range"));
        TestRow too_small;
        too_small.set(field, "-100000000001");
        CHECK(contains(single_problem(too_small, field), "out of range"));
        for (auto const* good : { "100000000000", "-100000000000", "0", "-1" }) {
            TestRow row;
            row.set(field, good);
            CHECK(validate(row).valid);
        }
    }
}

TEST_CASE("dates must be real calendar dates and plausible")
{
    TestRow leap;
    leap.set(CaseField::due_date, "2024-02-29");
    CHECK(validate(leap).valid);
    for (auto const* bad : { "2023-02-29", "2023-13-01", "2023-04-31", "01/02/2023", "2023-1-1", "2023-01-01T00:00", "0000-00-00" }) {
        TestRow row;
        row.set(CaseField::last_payment_date, bad);
        auto const reason = single_problem(row, CaseField::last_payment_date);
        CHECK(contains(reason, "is not a real calendar date in the form YYYY-MM-DD"));
    }

    TestRow future_birth;
    future_birth.set(CaseField::date_of_birth, "2025-06-16");
    CHECK(single_problem(future_birth, CaseField::date_of_birth) == "date_of_birth: is in the future (today is 2025-06-15)");
    TestRow born_today;
    born_today.set(CaseField::date_of_birth, "2025-06-15");
    CHECK(validate(born_today).valid);
    TestRow ancient;
    ancient.set(CaseField::date_of_birth, "1899-12-31");
    CHECK(single_problem(ancient, CaseField::date_of_birth) == "date_of_birth: is before 1900-01-01");
    TestRow oldest;
    oldest.set(CaseField::date_of_birth, "1900-01-01");
    CHECK(validate(oldest).valid);

    TestRow future_death;
    future_death.set(CaseField::date_of_death, "2025-07-01").set(CaseField::deceased, "Y");
    CHECK(contains(single_problem(future_death, CaseField::date_of_death), "is in the future"));
    TestRow past_death;
    past_death.set(CaseField::date_of_death, "2025-06-15").set(CaseField::deceased, "Y");
    CHECK(validate(past_death).valid);
}

TEST_CASE("breathing space dates are consistent with its kind")
{
    for (auto const* kind : { "STANDARD", "MENTAL_HEALTH" }) {
        TestRow no_start;
        no_start.set(CaseField::breathing_space, kind);
        auto const reason = single_problem(no_start, CaseField::breathing_space_start);
        CHECK(reason == std::string("breathing_space_start: is required when breathing_space is ") + kind + "; give the date the moratorium started");
    }
    TestRow backwards;
    backwards.set(CaseField::breathing_space, "STANDARD").set(CaseField::breathing_space_start, "2025-03-10").set(CaseField::breathing_space_end, "2025-03-09");
    CHECK(single_problem(backwards, CaseField::breathing_space_end) == "breathing_space_end: is before breathing_space_start");
    TestRow one_day;
    one_day.set(CaseField::breathing_space, "STANDARD").set(CaseField::breathing_space_start, "2025-03-10").set(CaseField::breathing_space_end, "2025-03-10");
    CHECK(validate(one_day).valid);
    TestRow none_with_history;
    none_with_history.set(CaseField::breathing_space, "NONE").set(CaseField::breathing_space_start, "2024-01-01").set(CaseField::breathing_space_end, "2024-03-01");
    CHECK(validate(none_with_history).valid);
    TestRow bad_start;
    bad_start.set(CaseField::breathing_space, "STANDARD").set(CaseField::breathing_space_start, "2025-02-30");
    // The bad date is the one problem; "start is required" would only repeat it.
    CHECK(contains(single_problem(bad_start, CaseField::breathing_space_start), "is not a real calendar date"));
}

TEST_CASE("enumerations are exact and the reason lists the allowed values")
{
    TestRow debt;
    debt.set(CaseField::debt_type, "fta");
    CHECK(single_problem(debt, CaseField::debt_type)
        == "debt_type: a value of 3 bytes (lower-case letters) is not one of FTA, RECHARGE, SUNDRY, GARAGE, SERVICE_CHARGE, COURT_COSTS, HB_OVERPAYMENT, COUNCIL_TAX, ASC (exactly as written)");
    TestRow role;
    role.set(CaseField::party_role, "Lead");
    CHECK(single_problem(role, CaseField::party_role) == "party_role: a value of 4 bytes (upper-case letters, lower-case letters) is not one of lead, joint (exactly as written)");
    TestRow space;
    space.set(CaseField::breathing_space, "MENTAL HEALTH");
    CHECK(contains(single_problem(space, CaseField::breathing_space), "is not one of NONE, STANDARD, MENTAL_HEALTH"));
    TestRow insolvency;
    insolvency.set(CaseField::insolvency, "BANKRUPT");
    CHECK(contains(single_problem(insolvency, CaseField::insolvency), "is not one of NONE, BKR, IVA, DRO, TD"));
}

TEST_CASE("flags are Y or N, empty meaning N")
{
    CaseField const flags[] = { CaseField::vulnerable, CaseField::deceased, CaseField::dispute, CaseField::complaint_open, CaseField::mental_capacity_concern };
    for (auto field : flags) {
        for (auto const* bad : { "y", "n", "Yes", "1", "TRUE" }) {
            TestRow row;
            row.set(field, bad);
            CHECK(contains(single_problem(row, field), "must be Y or N (empty means N)"));
        }
        TestRow empty;
        empty.set(field, "");
        CHECK(validate(empty).valid);
        TestRow missing;
        missing.absent(field);
        CHECK(validate(missing).valid);
    }
}

TEST_CASE("UK postcodes are checked in shape, foreign ones are not")
{
    for (auto const* good : { "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX", "cf101aa", " cf10  1aa ", "GIR 0AA" }) {
        TestRow row;
        row.set(CaseField::postcode, good);
        INFO(good);
        CHECK(validate(row).valid);
    }
    for (auto const* bad : { "12345", "ABC", "SW1A 1A", "SW1A 1AAA", "1W1A 1AA", "CF10 AAA", "CF10-1AA", "ZZZZZ 1AA" }) {
        TestRow row;
        row.set(CaseField::postcode, bad);
        INFO(bad);
        CHECK(contains(single_problem(row, CaseField::postcode), "does not look like a UK postcode"));
    }
    for (auto const* uk : { "UK", "united kingdom", "Wales", "GB", "Scotland" }) {
        TestRow row;
        row.set(CaseField::country, uk).set(CaseField::postcode, "75001");
        INFO(uk);
        CHECK(contains(single_problem(row, CaseField::postcode), "does not look like a UK postcode"));
    }
    TestRow abroad;
    abroad.set(CaseField::country, "France").set(CaseField::postcode, "75001");
    CHECK(validate(abroad).valid);
    CHECK(rules::is_plausible_uk_postcode("sw1a1aa"));
    CHECK_FALSE(rules::is_plausible_uk_postcode(""));
}

TEST_CASE("an email, when given, has one @ and a dotted domain")
{
    for (auto const* good : { "jane@example.org", "j.o'neill+debt@council.gov.uk" }) {
        TestRow row;
        row.set(CaseField::email, good);
        CHECK(validate(row).valid);
    }
    for (auto const* bad : { "jane", "jane@example", "jane@@example.org", "@example.org", "ja ne@example.org", "jane@example.", "jane@.org", "a@b@c.org" }) {
        TestRow row;
        row.set(CaseField::email, bad);
        INFO(bad);
        auto const reason = single_problem(row, CaseField::email);
        CHECK(contains(reason, "is not an email address"));
        CHECK_FALSE(contains(reason, bad)); // personal data stays out of the report
    }
    TestRow none;
    none.set(CaseField::email, "");
    CHECK(validate(none).valid);
}
