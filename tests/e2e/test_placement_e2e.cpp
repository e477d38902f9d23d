// End-to-end placement: a tricky export (BOM, CRLF, quotes and newlines inside fields,
// Welsh and accented names, every exclusion reason, every validation failure) through the
// real pipeline into age-encrypted agency files and the SQLite ledger. The files are
// decrypted with the agency's identity and checked: no excluded or rejected case, no
// internal reference and no field the mapping does not declare ever appears.
#include "gateway/audit/entry.hpp"
#include "gateway/audit/verify.hpp"
#include "tests/support/string_sink.hpp"
#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/store/audit_log.hpp"
#include "gateway/config/config_reader.hpp"
#include "gateway/crypto/age.hpp"
#include "gateway/pipeline/place.hpp"
#include "gateway/store/ledger.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

// Collects a sink's bytes in memory (test-only; the product streams).
using test::StringSink;

std::string const header
    = "account_ref,person_ref,party_role,debt_type,balance_pence,principal_pence,charges_pence,due_date,title,first_name,middle_names,"
      "last_name,date_of_birth,ni_number,phone_home,phone_mobile,email,address_line1,address_line2,address_line3,town,county,postcode,"
      "country,forwarding_line1,forwarding_postcode,tenancy_ref,tenancy_start,tenancy_end,termination_reason,last_payment_date,"
      "last_payment_pence,last_acknowledgement_date,liability_order_date,vulnerable,vulnerability_code,vulnerability_notes,"
      "breathing_space,breathing_space_start,breathing_space_end,deceased,date_of_death,insolvency,insolvency_date,dispute,"
      "complaint_open,mental_capacity_concern,officer,notes";

struct Row {
    std::map<std::string, std::string> values;
};

// One CSV line in the header's order; values are quoted when they need it.
std::string csv_line(std::map<std::string, std::string> const& values)
{
    std::string line;
    std::stringstream columns(header);
    std::string column;
    bool first = true;
    while (std::getline(columns, column, ',')) {
        if (!first)
            line += ',';
        first = false;
        auto const found = values.find(column);
        std::string value = found == values.end() ? "" : found->second;
        if (value.find_first_of(",\"\r\n") != std::string::npos) {
            std::string quoted = "\"";
            for (char c : value) {
                if (c == '"')
                    quoted += '"';
                quoted += c;
            }
            value = quoted + "\"";
        }
        line += value;
    }
    return line;
}

std::map<std::string, std::string> good_case(std::string const& account, std::string const& person, std::string const& last_name)
{
    return {
        { "account_ref", account }, { "person_ref", person }, { "party_role", "lead" }, { "debt_type", "FTA" },
        { "balance_pence", "123456" }, { "due_date", "2024-04-01" }, { "first_name", "Test" }, { "last_name", last_name },
        { "date_of_birth", "1980-01-01" }, { "address_line1", "1 Test Street" }, { "town", "Cardiff" }, { "postcode", "CF10 1AA" },
        { "ni_number", "QQ123456C" }, { "vulnerable", "N" }, { "breathing_space", "NONE" }, { "deceased", "N" }, { "insolvency", "NONE" },
        { "dispute", "N" }, { "complaint_open", "N" }, { "mental_capacity_concern", "N" },
        { "notes", "SECRET-NOTE-" + account }, { "vulnerability_notes", "SECRET-VULN-" + account },
    };
}

void copy_private(fs::path const& from, fs::path const& to)
{
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write);
}

} // namespace

TEST_CASE("placement end to end: only eligible cases and only declared fields leave, encrypted")
{
    fs::path const source = DCAGW_SOURCE_DIR;
    fs::path const work = fs::temp_directory_path() / ("dcagw-e2e-" + std::to_string(::getpid()));
    fs::remove_all(work);
    fs::create_directories(work);
    copy_private(source / "keys-example/example-agency.pseudonym.key", work / "example.pseudonym.key");
    copy_private(source / "keys-example/indebted.pseudonym.key", work / "indebted.pseudonym.key");
    copy_private(source / "keys-example/example-agency.age-identity.key", work / "agency.key");
    copy_private(source / "keys-example/creditor-archive.age-identity.key", work / "archive.key");

    // Placeable cases: Welsh and accented names, a quoted address with a comma, a quote and
    // a newline, a vulnerable person (handling code only), joint debtors, a COUNCIL_TAX debt
    // only the second agency takes.
    std::vector<std::map<std::string, std::string>> placeable;
    placeable.push_back(good_case("ACC-OK-1", "PER-OK-1", "Siân Evans"));
    placeable.back()["address_line1"] = "Flat 3, \"Tŷ Gwyn\"";
    placeable.back()["notes"] = "SECRET-NOTE: rang twice,\r\nsaid \"call back\"\nlater";
    placeable.push_back(good_case("ACC-OK-2", "PER-OK-2", "Llŷr O'Brien-Éowyn"));
    placeable.back()["vulnerable"] = "Y";
    placeable.back()["vulnerability_code"] = "VUL-HEAR";
    placeable.push_back(good_case("ACC-OK-3", "PER-OK-3a", "Jointlead"));
    placeable.push_back(good_case("ACC-OK-3", "PER-OK-3b", "Jointpartner"));
    placeable.back()["party_role"] = "joint";

    auto council_tax = good_case("ACC-CT-1", "PER-CT-1", "Counciltax");
    council_tax["debt_type"] = "COUNCIL_TAX";
    council_tax["liability_order_date"] = "2025-01-01";

    // One case per exclusion reason (for the first agency).
    std::map<std::string, std::map<std::string, std::string>> excluded;
    auto exclude = [&](std::string const& reason, std::map<std::string, std::string> changes) {
        auto row = good_case("ACC-EX-" + reason, "PER-EX-" + reason, "Excluded" + reason);
        for (auto const& [key, value] : changes)
            row[key] = value;
        excluded[reason] = row;
    };
    exclude("breathing_space", { { "breathing_space", "STANDARD" }, { "breathing_space_start", "2026-11-01" } });
    exclude("mental_health_breathing_space", { { "breathing_space", "MENTAL_HEALTH" }, { "breathing_space_start", "2026-10-01" } });
    exclude("deceased", { { "deceased", "Y" }, { "date_of_death", "2026-09-01" } });
    exclude("insolvency", { { "insolvency", "DRO" }, { "insolvency_date", "2025-09-01" } });
    exclude("dispute", { { "dispute", "Y" } });
    exclude("complaint", { { "complaint_open", "Y" } });
    exclude("mental_capacity", { { "mental_capacity_concern", "Y" } });
    exclude("credit_or_zero_balance", { { "balance_pence", "-500" } });
    exclude("statute_barred", { { "due_date", "2015-01-01" } });
    exclude("limitation_unknown", { { "due_date", "" } });
    exclude("balance_below_minimum", { { "balance_pence", "100" } });
    exclude("balance_above_maximum", { { "balance_pence", "900000000" } });
    exclude("debt_type_not_accepted", { { "debt_type", "ASC" } });

    // One row per validation failure.
    std::vector<std::map<std::string, std::string>> invalid;
    auto reject = [&](std::string const& name, std::map<std::string, std::string> changes) {
        auto row = good_case("ACC-BAD-" + name, "PER-BAD-" + name, "Rejected" + name);
        for (auto const& [key, value] : changes)
            row[key] = value;
        invalid.push_back(row);
    };
    reject("pence", { { "balance_pence", "12.50" } });
    reject("date", { { "due_date", "2023-02-29" } });
    reject("future-dob", { { "date_of_birth", "2040-01-01" } });
    reject("enum", { { "debt_type", "PARKING" } });
    reject("flag", { { "deceased", "maybe" } });
    reject("postcode", { { "postcode", "" } });
    reject("required", { { "first_name", "" } });
    reject("breathing-order", { { "breathing_space", "STANDARD" }, { "breathing_space_start", "2026-11-10" }, { "breathing_space_end", "2026-11-01" } });
    auto duplicate_a = good_case("ACC-DUP", "PER-DUP", "RejectedDuplicate");
    auto duplicate_b = duplicate_a;
    duplicate_b["balance_pence"] = "999";

    // BOM, CRLF line ends, and a row with the wrong number of fields.
    std::string export_text = "\xEF\xBB\xBF" + header + "\r\n";
    for (auto const& row : placeable)
        export_text += csv_line(row) + "\r\n";
    export_text += csv_line(council_tax) + "\r\n";
    for (auto const& [reason, row] : excluded)
        export_text += csv_line(row) + "\r\n";
    for (auto const& row : invalid)
        export_text += csv_line(row) + "\r\n";
    export_text += csv_line(duplicate_a) + "\r\n" + csv_line(duplicate_b) + "\r\n";
    export_text += "ACC-BAD-short,PER-BAD-short,lead\r\n";
    {
        std::ofstream(work / "export.csv", std::ios::binary) << export_text;
    }

    auto const archive_recipient = [&] {
        std::ifstream file(source / "keys-example/creditor-archive.age-recipient.txt");
        std::string line;
        std::getline(file, line);
        return line;
    }();
    {
        std::ofstream config(work / "gateway.json");
        config << R"({
  "state_directory": "state",
  "input": "export.csv",
  "archive_recipients": [")" << archive_recipient << R"("],
  "agencies": [
    { "id": "example-agency", "name": "Example", "mapping": ")" << (source / "mappings/example-agency.json").string() << R"(",
      "pseudonym_key": "example.pseudonym.key",
      "encryption": { "kind": "age", "age_recipient_files": [")" << (source / "keys-example/example-agency.age-recipient.txt").string() << R"("] },
      "agreement": { "reference": "DSA-1", "version": "1", "purpose": "debt recovery", "lawful_basis": "public task" } },
    { "id": "indebted", "name": "InDebted", "mapping": ")" << (source / "mappings/indebted.json").string() << R"(",
      "pseudonym_key": "indebted.pseudonym.key",
      "encryption": { "kind": "age", "age_recipient_files": [")" << (source / "keys-example/example-agency.age-recipient.txt").string() << R"("] },
      "agreement": { "reference": "DSA-2", "version": "1", "purpose": "debt recovery", "lawful_basis": "public task" },
      "lifecycle_policy": { "breathing_space": "recall", "mental_health_crisis": "recall", "dispute": "recall", "complaint": "recall", "mental_capacity": "recall" } }
  ]
})";
    }

    auto config = config::load_config(work / "gateway.json");
    REQUIRE(config.ok());
    pipeline::PlaceOptions options;
    options.today = *base::Date::parse("2026-11-23");
    auto summary = pipeline::place(config.value(), options);
    if (summary.is_error())
        FAIL(summary.error().to_text());

    auto const& result = summary.value();
    std::size_t const rows = placeable.size() + 1 + excluded.size() + invalid.size() + 3;
    CHECK(result.rows_read == static_cast<std::int64_t>(rows));
    CHECK(result.rows_rejected == static_cast<std::int64_t>(invalid.size() + 3));
    CHECK(result.has_rejections());
    REQUIRE(result.agencies.size() == 2);
    auto const& first = result.agencies[0];
    CHECK(first.agency == "example-agency");
    CHECK(first.placed == static_cast<std::int64_t>(placeable.size()));
    for (auto const& [reason, row] : excluded) {
        auto const code = model::exclusion_reason_from_string(reason);
        REQUIRE(code.has_value());
        INFO("exclusion reason " << reason);
        CHECK(first.excluded[static_cast<std::size_t>(*code)] >= 1);
    }
    // The council tax case is not a debt type of the first agency; the second takes it.
    CHECK(first.excluded[static_cast<std::size_t>(model::ExclusionReason::DebtTypeNotAccepted)] == 2);

    // Decrypt every spooled file with the agency's identity and check its content.
    auto identities = crypto::AgeIdentity::load_file(work / "agency.key");
    REQUIRE(identities.ok());
    std::map<std::string, std::string> plaintext_by_agency;
    for (auto const& agency : result.agencies) {
        for (auto const& file : agency.files) {
            INFO(file);
            auto const ciphertext = base::read_file_limited(file, 1 << 20);
            REQUIRE(ciphertext.ok());
            CHECK(ciphertext.value().starts_with("age-encryption.org/v1\n"));
            struct stat status {};
            REQUIRE(::stat(file.c_str(), &status) == 0);
            CHECK((status.st_mode & 077) == 0);
            StringSink plain;
            auto decryptor = crypto::AgeDecryptor::create(identities.value(), plain);
            REQUIRE(decryptor.ok());
            REQUIRE(decryptor.value()->write(std::string_view(ciphertext.value())).ok());
            REQUIRE(decryptor.value()->finish().ok());
            plaintext_by_agency[agency.agency] += plain.text;
        }
    }
    REQUIRE(plaintext_by_agency.count("example-agency") == 1);
    auto const& example_file = plaintext_by_agency["example-agency"];

    // The header is exactly the mapping's columns; nothing else is sent.
    std::string expected_header;
    for (auto const& field : first.fields)
        expected_header += (expected_header.empty() ? "" : ",") + field;
    CHECK(example_file.substr(0, example_file.find('\n')) == expected_header);
    for (auto const& row : placeable) {
        CHECK(example_file.find(row.at("last_name")) != std::string::npos);
        CHECK(example_file.find(row.at("account_ref")) == std::string::npos); // pseudonymised
        CHECK(example_file.find(row.at("person_ref")) == std::string::npos);
    }
    CHECK(example_file.find("\"Flat 3, \"\"Tŷ Gwyn\"\"\"") != std::string::npos);
    CHECK(example_file.find("VUL-HEAR") != std::string::npos);

    for (auto const& [agency, text] : plaintext_by_agency) {
        INFO("agency " << agency);
        CHECK(text.find("SECRET-NOTE") == std::string::npos);
        CHECK(text.find("SECRET-VULN") == std::string::npos);
        CHECK(text.find("QQ123456C") == std::string::npos); // NI number is mapped by no agency
        CHECK(text.find("Rejected") == std::string::npos);
        CHECK(text.find("ACC-") == std::string::npos);
        CHECK(text.find("PER-") == std::string::npos);
        for (auto const& [reason, row] : excluded) {
            if (agency == "indebted" && reason == "debt_type_not_accepted")
                continue; // ASC may be a debt type the second agency takes
            if (reason == "balance_below_minimum" || reason == "balance_above_maximum")
                continue; // limits are per agency
            CHECK(text.find(row.at("last_name")) == std::string::npos);
        }
    }
    REQUIRE(plaintext_by_agency.count("indebted") == 1);
    CHECK(plaintext_by_agency["indebted"].find("Counciltax") != std::string::npos);
    CHECK(plaintext_by_agency["indebted"].find("Siân Evans") == std::string::npos); // placed with the first agency

    // The audit log has one disclosure per file whose field list, record count, hashes and
    // subjects are exactly what the decrypted file holds.
    {
        auto audit_ledger = store::Ledger::open(work / "state", store::OpenMode::Create);
        REQUIRE(audit_ledger.ok());
        auto& log = audit_ledger.value()->audit();
        std::map<std::string, audit::Entry> disclosures;
        std::vector<audit::Entry> keys;
        REQUIRE(log.for_each_entry([&](store::AuditEntryRow const& row) {
            if (row.kind == "disclosure")
                disclosures.emplace(std::string(row.agency), audit::decode(row.body).value());
            if (row.kind == "key")
                keys.push_back(audit::decode(row.body).value());
            return true;
        }).ok());
        // The run loaded each agency's pseudonym key: recorded by id and path, never the key.
        REQUIRE(keys.size() == 2);
        for (auto const& [index, agency] : { std::pair { 0, std::string("example-agency") }, std::pair { 1, std::string("indebted") } }) {
            auto const& key = keys[static_cast<std::size_t>(index)];
            auto const file = std::filesystem::absolute(work / ((agency == "indebted" ? "indebted" : "example") + std::string(".pseudonym.key")));
            CHECK(key.text("action") == "loaded");
            CHECK(key.text("key_type") == "pseudonym");
            CHECK(key.text("path") == file.filename().string());  // relative to the configuration's folder
            CHECK(key.text("use") == "pseudonyms for agency " + agency);
            CHECK(key.text("public") == crypto::PseudonymKey::load(file).value().key_id());
        }
        REQUIRE(disclosures.size() == 2);
        auto const person_key = crypto::PseudonymKey::load(work / "example.pseudonym.key");
        REQUIRE(person_key.ok());
        for (auto const& agency : result.agencies) {
            INFO("audit of agency " << agency.agency);
            auto const& entry = disclosures.at(agency.agency);
            auto const& text = plaintext_by_agency[agency.agency];
            auto lines = base::split(text, '\n');
            while (!lines.empty() && lines.back().empty())
                lines.pop_back();
            std::vector<std::string> header_fields;
            for (auto field : base::split(lines.front(), ','))
                header_fields.emplace_back(field);
            CHECK(entry.list("fields") == header_fields);
            CHECK(entry.number("record_count") == static_cast<std::int64_t>(lines.size() - 1));
            CHECK(entry.number("subject_count") == static_cast<std::int64_t>(lines.size() - 1));
            CHECK(entry.text("plaintext_sha256") == crypto::digest_hex(crypto::Sha256::digest(text)));
            REQUIRE(agency.files.size() == 1);
            CHECK(entry.text("ciphertext_sha256") == crypto::digest_hex(crypto::sha256_of_file(agency.files[0]).value()));
            CHECK(entry.text("file_name") == agency.files[0].filename().string());
            CHECK(entry.text("agreement_reference") == (agency.agency == "example-agency" ? "DSA-1" : "DSA-2"));
            CHECK(entry.list("recipients").size() == 2); // the agency's and the creditor's archive
            if (agency.agency != "example-agency")
                continue;
            // Subject i is data line i: its account pseudonym is the file's account_number
            // and its person_ref pseudonymises to the file's customer_number.
            std::size_t ordinal = 0;
            REQUIRE(log.subjects_of_list(entry.number("subject_list"), [&](store::AuditSubjectRow const& subject) {
                ++ordinal;
                REQUIRE(ordinal < lines.size());
                auto const columns = base::split(lines[ordinal], ',');
                CHECK(columns[0] == subject.pseudonym);
                std::string person;
                person_key.value().append_pseudonym(person, "person_ref", subject.person_ref);
                CHECK(columns[1] == person);
                return true;
            }).ok());
            CHECK(ordinal == lines.size() - 1);
        }
        auto const report = audit::verify_ledger(*audit_ledger.value(), {});
        REQUIRE(report.ok());
        CHECK(report.value().ok());
        CHECK(report.value().entries == 5); // config, two keys, two disclosures (no signing key: no checkpoint)
    }

    // The ledger holds one open placement per placed case with the exact field list.
    auto ledger = store::Ledger::open(work / "state", store::OpenMode::Create);
    REQUIRE(ledger.ok());
    std::size_t placements = 0;
    std::set<std::string> placed_accounts;
    REQUIRE(ledger.value()->for_each_placement({}, [&](store::Placement const& placement) {
        ++placements;
        placed_accounts.insert(placement.account_ref);
        CHECK(placement.status == "open");
        if (placement.agency == "example-agency")
            CHECK(placement.fields == first.fields);
        else
            CHECK(placement.fields == result.agencies[1].fields);
    }).ok());
    CHECK(static_cast<std::int64_t>(placements) == result.agencies[0].placed + result.agencies[1].placed);
    CHECK(result.agencies[1].placed >= 1);
    CHECK(placed_accounts.count("ACC-CT-1") == 1);
    std::size_t quarantined = 0;
    REQUIRE(ledger.value()->for_each_quarantine(std::nullopt, [&](store::QuarantineEntry const& entry) {
        ++quarantined;
        CHECK(entry.row.file.find("export.csv") != std::string::npos);
        CHECK(entry.row.line >= 2);
        CHECK_FALSE(entry.row.reason.empty());
    }).ok());
    CHECK(quarantined >= invalid.size() + 3);
    ledger.value().reset();

    // The spool holds ciphertext only.
    for (auto const& entry : fs::recursive_directory_iterator(work / "state" / "spool")) {
        if (!entry.is_regular_file())
            continue;
        auto const text = base::read_file_limited(entry.path(), 1 << 20);
        REQUIRE(text.ok());
        CHECK(text.value().starts_with("age-encryption.org/v1\n"));
    }

    // The same export again places nothing new; a changed balance is not a new placement.
    auto again = pipeline::place(config.value(), options);
    REQUIRE(again.ok());
    for (auto const& agency : again.value().agencies) {
        CHECK(agency.placed == 0);
        CHECK(agency.files.empty());
    }
    CHECK(again.value().agencies[0].excluded[static_cast<std::size_t>(model::ExclusionReason::AlreadyPlaced)] == static_cast<std::int64_t>(placeable.size()));

    fs::remove_all(work);
}
