#include "gateway/base/text.hpp"
#include "gateway/minimise/minimiser.hpp"
#include "gateway/minimise/transforms.hpp"
#include "tests/support/test_rows.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <limits>
#include <cstdio>
#include <ctime>

using namespace dcagw;
using model::CaseField;
using model::OutputColumn;
using model::Transform;
using test::TestRow;

namespace {

// Test-only pseudonymiser: visible and deterministic, so tests can see exactly what input
// the minimiser handed over (the unit separator shown as '|').
class FakePseudonymiser final : public model::Pseudonymiser {
public:
    void append_pseudonym(std::string& out, std::string_view domain, std::string_view input) const override
    {
        ++calls;
        last_domain.assign(domain);
        std::replace(last_domain.begin(), last_domain.end(), '\x1f', '|');
        out.append("psn(");
        auto const start = out.size();
        out.append(input);
        std::replace(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(), '\x1f', '|');
        out.push_back(')');
    }
    mutable int calls { 0 };
    mutable std::string last_domain;
};

OutputColumn column(std::string name, Transform transform, std::vector<CaseField> sources = {})
{
    OutputColumn result;
    result.name = std::move(name);
    result.transform = transform;
    result.sources = std::move(sources);
    return result;
}

struct Run {
    base::Result<void> outcome;
    std::vector<std::string> values;
};

// Applies a one-column mapping to the row and returns the outcome and values.
Run apply_one(OutputColumn const& output, TestRow& row)
{
    model::Mapping mapping;
    mapping.agency = "test-agency";
    mapping.columns.push_back(output);
    FakePseudonymiser pseudonymiser;
    minimise::Minimiser minimiser(mapping, pseudonymiser);
    model::CaseRecord record;
    record.raw = &row.raw();
    std::vector<std::string> values;
    auto outcome = minimiser.apply(record, values);
    return Run { std::move(outcome), std::move(values) };
}

// The single output value of a one-column mapping; the apply must succeed.
std::string value_of(OutputColumn const& output, TestRow& row)
{
    auto run = apply_one(output, row);
    INFO((run.outcome.ok() ? std::string() : run.outcome.error().to_text()));
    REQUIRE(run.outcome.ok());
    REQUIRE(run.values.size() == 1);
    return run.values[0];
}

std::string value_of(OutputColumn const& output, CaseField field, std::string text)
{
    TestRow row;
    row.set(field, std::move(text));
    return value_of(output, row);
}

std::string error_of(OutputColumn const& output, TestRow& row)
{
    auto run = apply_one(output, row);
    REQUIRE(run.outcome.is_error());
    CHECK(run.outcome.error().code() == base::ErrorCode::RecordInvalid);
    return run.outcome.error().to_text();
}

} // namespace

TEST_CASE("copy passes the value on, trimmed, under the agency's column name")
{
    auto const copy = column("Surname", Transform::Copy, { CaseField::last_name });
    CHECK(value_of(copy, CaseField::last_name, "  Jones ") == "Jones");
    CHECK(value_of(copy, CaseField::last_name, "") == "");
    CHECK(value_of(copy, CaseField::last_name, "Siân ap Rhys") == "Siân ap Rhys");
}

TEST_CASE("date format rewrites a date with %Y %m %d %y and %%")
{
    auto format = column("DOB", Transform::DateFormat, { CaseField::date_of_birth });
    format.date_format = "%d/%m/%Y";
    CHECK(value_of(format, CaseField::date_of_birth, "2024-02-29") == "29/02/2024");
    format.date_format = "%y%m%d";
    CHECK(value_of(format, CaseField::date_of_birth, "2001-07-04") == "010704");
    format.date_format = "%Y%m%d (100%%)";
    CHECK(value_of(format, CaseField::date_of_birth, "1985-12-01") == "19851201 (100%)");
    format.date_format = "%Y-%m-%d";
    CHECK(value_of(format, CaseField::date_of_birth, " 1985-12-01 ") == "1985-12-01");
    CHECK(value_of(format, CaseField::date_of_birth, "") == "");

    auto wrong_source = column("DOB", Transform::DateFormat, { CaseField::first_name });
    TestRow row;
    auto const message = error_of(wrong_source, row);
    CHECK(message.find("column 'DOB'") != std::string::npos);
    CHECK(message.find("is not a date") != std::string::npos);

    CHECK(minimise::is_valid_date_format("%d/%m/%Y %% %y"));
    CHECK_FALSE(minimise::is_valid_date_format("%d/%m/%Q"));
    CHECK_FALSE(minimise::is_valid_date_format("%Y%"));
}

TEST_CASE("upper and lower change ASCII letters only")
{
    auto const upper = column("Name", Transform::Upper, { CaseField::first_name });
    CHECK(value_of(upper, CaseField::first_name, "siân o'neil") == "SIâN O'NEIL");
    auto const lower = column("Name", Transform::Lower, { CaseField::first_name });
    CHECK(value_of(lower, CaseField::first_name, "ŴYN JONES") == "Ŵyn jones");
}

TEST_CASE("title case capitalises each word split on space, hyphen and apostrophe")
{
    auto const title = column("Surname", Transform::Title, { CaseField::last_name });
    CHECK(value_of(title, CaseField::last_name, "o'BRIEN-smith") == "O'Brien-Smith");
    CHECK(value_of(title, CaseField::last_name, "  mary  ANN ") == "Mary  Ann");
    CHECK(value_of(title, CaseField::last_name, "ap RHYS") == "Ap Rhys");
    CHECK(value_of(title, CaseField::last_name, "élodie DUPONT") == "élodie Dupont");
}

TEST_CASE("truncate counts code points and never splits one")
{
    auto truncate = column("Town", Transform::Truncate, { CaseField::town });
    truncate.max_length = 4;
    CHECK(value_of(truncate, CaseField::town, "Llanfairpwllgwyngyll") == "Llan");
    CHECK(value_of(truncate, CaseField::town, "Ynys Môn") == "Ynys");
    truncate.max_length = 7;
    CHECK(value_of(truncate, CaseField::town, "Ynys Môn") == "Ynys Mô");
    truncate.max_length = 1;
    CHECK(value_of(truncate, CaseField::town, "Ŵyn") == "Ŵ");
    truncate.max_length = 3;
    auto const accented = value_of(truncate, CaseField::town, "Zoë-Chloé");
    CHECK(accented == "Zoë");
    CHECK(base::is_valid_utf8(accented));
    truncate.max_length = 50;
    CHECK(value_of(truncate, CaseField::town, "Caerdydd") == "Caerdydd");
}

TEST_CASE("mask hides all but the last characters, one mask character per code point")
{
    auto mask = column("Phone", Transform::Mask, { CaseField::phone_mobile });
    mask.keep_last = 4;
    CHECK(value_of(mask, CaseField::phone_mobile, "07700900123") == "*******0123");
    CHECK(value_of(mask, CaseField::phone_mobile, "0123") == "0123");
    CHECK(value_of(mask, CaseField::phone_mobile, "") == "");
    auto name = column("Name", Transform::Mask, { CaseField::first_name });
    name.keep_last = 1;
    name.mask_char = '#';
    CHECK(value_of(name, CaseField::first_name, "Siân") == "###n");
    name.keep_last = 2;
    auto const masked = value_of(name, CaseField::first_name, "Ŵynâ");
    CHECK(masked == "##nâ");
    CHECK(base::is_valid_utf8(masked));
    name.keep_last = 0;
    CHECK(value_of(name, CaseField::first_name, "Siân") == "####");
}

TEST_CASE("constant needs no source")
{
    auto constant = column("Client", Transform::Constant);
    constant.constant = "COUNCIL-042";
    TestRow row;
    CHECK(value_of(constant, row) == "COUNCIL-042");
}

TEST_CASE("concatenate joins the non-empty sources")
{
    auto name = column("FullName", Transform::Concatenate, { CaseField::first_name, CaseField::middle_names, CaseField::last_name });
    TestRow row;
    row.set(CaseField::middle_names, "  ");
    CHECK(value_of(name, row) == "Jane Jones");
    row.set(CaseField::middle_names, "Ann");
    CHECK(value_of(name, row) == "Jane Ann Jones");
    auto address = column("Address", Transform::Concatenate, { CaseField::address_line1, CaseField::address_line2, CaseField::town });
    address.separator = ", ";
    TestRow address_row;
    CHECK(value_of(address, address_row) == "1 High Street, Cardiff");
}

TEST_CASE("pence to pounds writes two decimals")
{
    auto const pounds = column("Balance", Transform::PenceToPounds, { CaseField::balance_pence });
    CHECK(value_of(pounds, CaseField::balance_pence, "125000") == "1250.00");
    CHECK(value_of(pounds, CaseField::balance_pence, "-5") == "-0.05");
    CHECK(value_of(pounds, CaseField::balance_pence, "7") == "0.07");
    CHECK(value_of(pounds, CaseField::balance_pence, "") == "");
}

TEST_CASE("pounds are written exactly as base::pence_to_pounds writes them")
{
    std::vector<std::int64_t> samples { 0, 1, -1, 9, 10, 99, 100, -100, 101, 12345, -12345, 100000000000, -100000000000,
        std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min() };
    for (std::int64_t pence = -2000; pence <= 2000; pence += 7)
        samples.push_back(pence);
    std::string out;
    for (auto pence : samples) {
        out.clear();
        minimise::append_pounds(out, pence);
        INFO(pence);
        CHECK(out == base::pence_to_pounds(pence));
    }
}

TEST_CASE("lookup maps through the table, then the default, else rejects naming column and value")
{
    auto lookup = column("DebtCode", Transform::Lookup, { CaseField::debt_type });
    lookup.table = { { "FTA", "RENT" }, { "GARAGE", "GAR" } };
    CHECK(value_of(lookup, CaseField::debt_type, "FTA") == "RENT");
    TestRow row;
    row.set(CaseField::debt_type, "SUNDRY");
    auto const message = error_of(lookup, row);
    CHECK(message == "column 'DebtCode': value 'SUNDRY' has no entry in the lookup table and the column has no default");
    lookup.default_value = "OTHER";
    CHECK(value_of(lookup, row) == "OTHER");

    auto code = column("Handling", Transform::Lookup, { CaseField::vulnerability_code });
    code.table = { { "V1", "HC-A" } };
    CHECK(value_of(code, CaseField::vulnerability_code, "") == "");
}

TEST_CASE("pseudonym hands the trimmed sources, joined by the unit separator, to the pseudonymiser")
{
    auto const single = column("Ref", Transform::Pseudonym, { CaseField::account_ref });
    CHECK(value_of(single, CaseField::account_ref, " ACC-1001 ") == "psn(ACC-1001)");
    auto const pair = column("Ref", Transform::Pseudonym, { CaseField::account_ref, CaseField::person_ref });
    TestRow row;
    CHECK(value_of(pair, row) == "psn(ACC-1001|P-1)");
    row.set(CaseField::person_ref, "");
    CHECK(value_of(pair, row) == "psn(ACC-1001|)");
    row.set(CaseField::account_ref, "");
    CHECK(value_of(pair, row) == ""); // never a pseudonym of nothing, shared by everyone
}

TEST_CASE("pseudonym names its source fields as the domain, so one value in two fields gets two pseudonyms")
{
    for (auto const& [sources, domain] : { std::pair { std::vector { CaseField::account_ref }, std::string("account_ref") },
             std::pair { std::vector { CaseField::person_ref }, std::string("person_ref") },
             std::pair { std::vector { CaseField::account_ref, CaseField::person_ref }, std::string("account_ref|person_ref") } }) {
        model::Mapping mapping;
        mapping.agency = "test-agency";
        mapping.columns.push_back(column("Ref", Transform::Pseudonym, sources));
        FakePseudonymiser pseudonymiser;
        minimise::Minimiser minimiser(mapping, pseudonymiser);
        TestRow row;
        model::CaseRecord record;
        record.raw = &row.raw();
        std::vector<std::string> values;
        REQUIRE(minimiser.apply(record, values).ok());
        CHECK(pseudonymiser.last_domain == domain);
    }
}

TEST_CASE("max_length applies after any transform")
{
    auto upper = column("Name", Transform::Upper, { CaseField::first_name });
    upper.max_length = 3;
    CHECK(value_of(upper, CaseField::first_name, "siân") == "SIâ");
    auto pounds = column("Balance", Transform::PenceToPounds, { CaseField::balance_pence });
    pounds.max_length = 4;
    CHECK(value_of(pounds, CaseField::balance_pence, "125000") == "1250");
    auto pseudonym = column("Ref", Transform::Pseudonym, { CaseField::account_ref });
    pseudonym.max_length = 6;
    CHECK(value_of(pseudonym, CaseField::account_ref, "ACC-1") == "psn(AC");
}

TEST_CASE("a required column left empty rejects the record")
{
    auto email = column("Email", Transform::Copy, { CaseField::email });
    email.required = true;
    TestRow row;
    row.set(CaseField::email, "   ");
    CHECK(error_of(email, row) == "column 'Email' is required but empty");
    row.set(CaseField::email, "jane@example.org");
    CHECK(value_of(email, row) == "jane@example.org");
}

TEST_CASE("no value of a field the mapping does not name ever reaches the output")
{
    // Every canonical field holds a marker naming it; only the mapped fields' markers may
    // appear in the output, whatever the transforms do.
    TestRow row;
    for (auto const& info : model::field_table())
        row.set(info.field, "MARK_" + std::string(info.name) + "_KRAM");
    model::Mapping mapping;
    mapping.agency = "leak-test";
    mapping.columns = {
        column("Ref", Transform::Copy, { CaseField::account_ref }),
        column("Name", Transform::Concatenate, { CaseField::first_name, CaseField::last_name }),
        column("Town", Transform::Upper, { CaseField::town }),
        column("Post", Transform::Title, { CaseField::postcode }),
        column("Phone", Transform::Mask, { CaseField::phone_mobile }),
        column("Person", Transform::Pseudonym, { CaseField::person_ref, CaseField::date_of_birth }),
        column("Client", Transform::Constant),
        column("Short", Transform::Truncate, { CaseField::email }),
    };
    mapping.columns.back().max_length = 200;
    auto lookup = column("Code", Transform::Lookup, { CaseField::vulnerability_code });
    lookup.default_value = "NONE";
    mapping.columns.push_back(lookup);
    mapping.columns[6].constant = "FIXED";

    FakePseudonymiser pseudonymiser;
    minimise::Minimiser minimiser(mapping, pseudonymiser);
    model::CaseRecord record;
    record.raw = &row.raw();
    std::vector<std::string> values;
    REQUIRE(minimiser.apply(record, values).ok());
    REQUIRE(values.size() == mapping.columns.size());

    auto const shared = mapping.fields_shared();
    std::size_t mapped_seen = 0;
    for (auto const& info : model::field_table()) {
        bool const mapped = std::find(shared.begin(), shared.end(), info.field) != shared.end();
        // Compared case-folded, so an upper- or title-cased copy still counts as a leak.
        std::string const marker = base::to_upper_ascii("MARK_" + std::string(info.name) + "_KRAM");
        bool appears = false;
        for (auto const& value : values)
            appears = appears || base::to_upper_ascii(value).find(marker) != std::string::npos;
        INFO(info.name);
        if (!mapped)
            CHECK_FALSE(appears);
        else if (appears)
            ++mapped_seen;
    }
    // The check can see a value when it is there: every mapped field but the masked phone
    // and the defaulted lookup shows its marker.
    CHECK(mapped_seen == shared.size() - 2);
    CHECK(minimiser.column_names() == std::vector<std::string> { "Ref", "Name", "Town", "Post", "Phone", "Person", "Client", "Short", "Code" });
}

TEST_CASE("output strings are reused between rows")
{
    model::Mapping mapping;
    mapping.columns = { column("Name", Transform::Concatenate, { CaseField::first_name, CaseField::last_name }),
        column("Ref", Transform::Pseudonym, { CaseField::account_ref, CaseField::person_ref }) };
    FakePseudonymiser pseudonymiser;
    minimise::Minimiser minimiser(mapping, pseudonymiser);
    TestRow first;
    first.set(CaseField::first_name, "Bartholomew-Maximilian").set(CaseField::last_name, "Featherstonehaugh-Cholmondeley");
    TestRow second;
    model::CaseRecord record;
    record.raw = &first.raw();
    std::vector<std::string> values;
    REQUIRE(minimiser.apply(record, values).ok());
    auto const* name_buffer = values[0].data();
    auto const* ref_buffer = values[1].data();
    record.raw = &second.raw();
    REQUIRE(minimiser.apply(record, values).ok());
    CHECK(values[0] == "Jane Jones");
    CHECK(values[1] == "psn(ACC-1001|P-1)");
    CHECK(values[0].data() == name_buffer);
    CHECK(values[1].data() == ref_buffer);
}

#ifdef NDEBUG
TEST_CASE("a mapping that sources a never-shared field produces nothing (release builds)")
{
    // Debug builds assert in the constructor instead; release builds must still refuse.
    model::Mapping mapping;
    mapping.agency = "bad";
    mapping.columns = { column("Ref", Transform::Copy, { CaseField::account_ref }), column("Notes", Transform::Copy, { CaseField::notes }) };
    FakePseudonymiser pseudonymiser;
    minimise::Minimiser minimiser(mapping, pseudonymiser);
    TestRow row;
    row.set(CaseField::notes, "internal note");
    model::CaseRecord record;
    record.raw = &row.raw();
    std::vector<std::string> values;
    auto const outcome = minimiser.apply(record, values);
    REQUIRE(outcome.is_error());
    CHECK(outcome.error().code() == base::ErrorCode::Internal);
    for (auto const& value : values)
        CHECK(value.find("internal note") == std::string::npos);
}
#endif

TEST_CASE("minimising a million rows of twelve columns", "[.][performance]")
{
    model::Mapping mapping;
    mapping.columns = {
        column("Ref", Transform::Pseudonym, { CaseField::account_ref }),
        column("Person", Transform::Copy, { CaseField::person_ref }),
        column("Title", Transform::Copy, { CaseField::title }),
        column("First", Transform::Title, { CaseField::first_name }),
        column("Last", Transform::Upper, { CaseField::last_name }),
        column("DOB", Transform::DateFormat, { CaseField::date_of_birth }),
        column("Address", Transform::Concatenate, { CaseField::address_line1, CaseField::address_line2 }),
        column("Town", Transform::Truncate, { CaseField::town }),
        column("Postcode", Transform::Upper, { CaseField::postcode }),
        column("Balance", Transform::PenceToPounds, { CaseField::balance_pence }),
        column("Type", Transform::Lookup, { CaseField::debt_type }),
        column("Phone", Transform::Mask, { CaseField::phone_mobile }),
    };
    mapping.columns[5].date_format = "%d/%m/%Y";
    mapping.columns[7].max_length = 20;
    mapping.columns[10].table = { { "FTA", "RENT" } };
    FakePseudonymiser pseudonymiser;
    minimise::Minimiser minimiser(mapping, pseudonymiser);
    TestRow row;
    row.set(CaseField::phone_mobile, "07700900123");
    model::CaseRecord record;
    record.raw = &row.raw();
    std::vector<std::string> values;
    std::size_t bytes = 0;
    auto const start = std::chrono::steady_clock::now();
    std::clock_t const cpu_start = std::clock();
    for (int i = 0; i < 1'000'000; ++i) {
        if (minimiser.apply(record, values).ok())
            bytes += values[0].size();
    }
    double const cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    auto const elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("minimised 1,000,000 rows x 12 columns in %.3f s wall, %.3f s CPU\n", elapsed, cpu);
    CHECK(bytes == 1'000'000 * std::string("psn(ACC-1001)").size());
}
