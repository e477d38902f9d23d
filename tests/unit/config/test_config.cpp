// Tests of configuration checking: a valid configuration with relative paths, and each
// problem check_config must find, with the right file and JSON path.
#include "tests/unit/config/config_test_support.hpp"

using namespace dcagw::test;

TEST_CASE("a valid configuration loads with every relative path resolved against its folder", "[config]")
{
    Installation installation;
    auto const problems = installation.check(Installation::valid_config());
    INFO(describe(problems));
    REQUIRE(problems.empty());

    auto loaded = dcagw::config::load_config(installation.config_path());
    REQUIRE(loaded.ok());
    auto const& config = loaded.value();
    auto const root = installation.root();
    CHECK(config.state_directory == root / "conf/state");
    REQUIRE(config.input.has_value());
    CHECK(*config.input == root / "data/cases.csv");
    CHECK(config.input_format == dcagw::model::InputFormat::Csv);
    CHECK(config.limits.max_file_bytes == 1000000);
    CHECK(config.limits.max_record_bytes == 4096);
    CHECK(config.limits.max_fields == 60);
    CHECK(config.limits.max_field_bytes == 512);
    CHECK(config.archive_recipients == std::vector<std::string> { recipient_one });
    REQUIRE(config.signing_key.has_value());
    CHECK(*config.signing_key == root / "keys/creditor.signing");
    REQUIRE(config.agencies.size() == 2);

    auto const& ophelos = config.agencies[0];
    CHECK(ophelos.id == "ophelos");
    CHECK(ophelos.name == "Ophelos");
    CHECK(ophelos.enabled);
    CHECK(ophelos.mapping_path == root / "mappings/ophelos.json");
    CHECK(ophelos.mapping.agency == "ophelos");
    CHECK(ophelos.mapping.columns.size() == 2);
    CHECK(ophelos.pseudonym_key_path == root / "keys/ophelos.pseudonym");
    CHECK(ophelos.encryption.kind == dcagw::model::EncryptionKind::Age);
    CHECK(ophelos.encryption.age_recipients == std::vector<std::string> { recipient_one });
    CHECK(ophelos.encryption.age_recipient_files == std::vector<fs::path> { root / "keys/ophelos.recipients" });
    CHECK(ophelos.agreement_reference == "DSA-2026-014");
    CHECK(ophelos.agreement_version == "1.2");
    CHECK(ophelos.purpose == "Recovery of former tenant arrears");
    CHECK(ophelos.lawful_basis == "Art 6(1)(e) public task");

    auto const& indebted = config.agencies[1];
    CHECK_FALSE(indebted.enabled);
    CHECK(indebted.encryption.kind == dcagw::model::EncryptionKind::OpenPgp);
    REQUIRE(indebted.encryption.pgp_public_key.has_value());
    CHECK(*indebted.encryption.pgp_public_key == root / "keys/indebted.asc");
    CHECK_FALSE(indebted.encryption.pgp_armor);
    CHECK(config.find_agency("indebted") == &indebted);
}

TEST_CASE("defaults apply when optional keys are left out", "[config]")
{
    Installation installation;
    auto config = R"({"state_directory": "/var/lib/dcagw", "archive_recipients": [")" + std::string(recipient_one) + R"("],
      "agencies": [{"id": "ophelos", "name": "Ophelos", "mapping": "../mappings/ophelos.json", "pseudonym_key": "../keys/ophelos.pseudonym",
        "encryption": {"kind": "age", "age_recipient_files": ["../keys/ophelos.recipients"]},
        "agreement": {"reference": "r", "version": "v", "purpose": "p", "lawful_basis": "l"}}]})";
    auto const problems = installation.check(config);
    INFO(describe(problems));
    REQUIRE(problems.empty());
    auto loaded = dcagw::config::load_config(installation.config_path());
    REQUIRE(loaded.ok());
    CHECK(loaded.value().state_directory == fs::path("/var/lib/dcagw"));
    CHECK_FALSE(loaded.value().input.has_value());
    CHECK_FALSE(loaded.value().signing_key.has_value());
    CHECK(loaded.value().input_format == dcagw::model::InputFormat::Auto);
    CHECK(loaded.value().limits.max_fields == dcagw::model::InputLimits {}.max_fields);
    CHECK(loaded.value().agencies[0].enabled);
    CHECK(loaded.value().agencies[0].encryption.pgp_armor);
}

TEST_CASE("each configuration problem is found at its JSON path", "[config]")
{
    Installation installation;
    auto const valid = Installation::valid_config();

    SECTION("unknown keys, with a suggestion")
    {
        auto problems = installation.check(replaced(valid, R"("input_format")", R"("input_fromat")"));
        check_single_problem(problems, "/input_fromat", "unknown key 'input_fromat' (did you mean 'input_format'?)");
        problems = installation.check(replaced(valid, R"("pgp_armor")", R"("pgp_armour")"));
        check_single_problem(problems, "/agencies/1/encryption/pgp_armour", "did you mean 'pgp_armor'?");
        problems = installation.check(replaced(valid, R"("max_fields")", R"("max_field")"));
        check_single_problem(problems, "/limits/max_field", "unknown key");
    }
    SECTION("missing required keys")
    {
        auto problems = installation.check(replaced(valid, R"("state_directory": "state",)", ""));
        check_single_problem(problems, "/state_directory", "required key is missing");
        problems = installation.check(replaced(valid, R"(, "lawful_basis": "Art 6(1)(e) public task")", ""));
        check_single_problem(problems, "/agencies/0/agreement/lawful_basis", "required key is missing");
        problems = installation.check(replaced(valid, R"("version": "1.2")", R"("version": "")"));
        check_single_problem(problems, "/agencies/0/agreement/version", "must not be empty");
    }
    SECTION("secret key files must exist and be owner-only")
    {
        fs::permissions(installation.root() / "keys/ophelos.pseudonym", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
        auto problems = installation.check(valid);
        check_single_problem(problems, "/agencies/0/pseudonym_key", "mode 0640");
        problems = installation.check(replaced(valid, "../keys/ophelos.pseudonym", "../keys/missing.pseudonym"));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].json_path == "/agencies/0/pseudonym_key");
        fs::create_directories(installation.root() / "keys/folder");
        fs::permissions(installation.root() / "keys/folder", fs::perms::owner_all);
        problems = installation.check(replaced(valid, "../keys/ophelos.pseudonym", "../keys/folder"));
        check_single_problem(problems, "/agencies/0/pseudonym_key", "not a regular file");
        fs::permissions(installation.root() / "keys/creditor.signing", fs::perms::owner_read | fs::perms::others_read);
        fs::permissions(installation.root() / "keys/ophelos.pseudonym", fs::perms::owner_read | fs::perms::owner_write);
        problems = installation.check(valid);
        check_single_problem(problems, "/signing_key", "chmod 600");
    }
    SECTION("age recipients")
    {
        auto problems = installation.check(replaced(valid, recipient_one, "age1xyz"));
        check_single_problem(problems, "/archive_recipients/0", "is not an age recipient");
        std::string upper = recipient_one;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
        problems = installation.check(replaced(valid, recipient_one, upper));
        check_single_problem(problems, "/archive_recipients/0", "lower case");
        // 'b' is not in the bech32 alphabet.
        std::string wrong_letter = recipient_one;
        wrong_letter[10] = 'b';
        auto const agency_recipient = R"("age_recipients": [")" + std::string(recipient_one) + "\"]";
        problems = installation.check(replaced(valid, agency_recipient, R"("age_recipients": [")" + wrong_letter + "\"]"));
        check_single_problem(problems, "/agencies/0/encryption/age_recipients/0", "is not an age recipient");
        problems = installation.check(replaced(valid, R"("archive_recipients": [")" + std::string(recipient_one) + "\"]", R"("archive_recipients": [])"));
        check_single_problem(problems, "/archive_recipients", "at least one");
    }
    SECTION("encryption kinds need their keys")
    {
        auto const age_keys = R"(, "age_recipients": [")" + std::string(recipient_one) + R"("], "age_recipient_files": ["../keys/ophelos.recipients"])";
        auto problems = installation.check(replaced(valid, age_keys, ""));
        check_single_problem(problems, "/agencies/0/encryption/age_recipients", "needs at least one age recipient");
        problems = installation.check(replaced(valid, R"(, "pgp_public_key": "../keys/indebted.asc")", ""));
        check_single_problem(problems, "/agencies/1/encryption/pgp_public_key", "kind 'openpgp' needs pgp_public_key");
        problems = installation.check(replaced(valid, "../keys/indebted.asc", "../keys/absent.asc"));
        check_single_problem(problems, "/agencies/1/encryption/pgp_public_key", "OpenPGP public key file not found");
        problems = installation.check(replaced(valid, R"("kind": "openpgp")", R"("kind": "both")"));
        check_single_problem(problems, "/agencies/1/encryption/age_recipients", "kind 'both' needs at least one age recipient");
        problems = installation.check(replaced(valid, R"("kind": "age")", R"("kind": "agee")"));
        check_single_problem(problems, "/agencies/0/encryption/kind", "did you mean 'age'?");
        problems = installation.check(replaced(valid, R"("kind": "openpgp")", R"("kind": "age")"));
        CHECK(has_problem(problems, "/agencies/1/encryption/pgp_public_key", "it would not be used"));
    }
    SECTION("age recipient files exist and hold recipients")
    {
        auto problems = installation.check(replaced(valid, "../keys/ophelos.recipients", "../keys/absent.recipients"));
        check_single_problem(problems, "/agencies/0/encryption/age_recipient_files/0", "age recipient file not found");
        write_file(installation.root() / "keys/ophelos.recipients", "# nothing but a comment\nssh-ed25519 AAAA\n");
        problems = installation.check(valid);
        INFO(describe(problems));
        CHECK(has_problem(problems, "/agencies/0/encryption/age_recipient_files/0", "line 2: 'ssh-ed25519 AAAA' is not an age recipient"));
        CHECK(has_problem(problems, "/agencies/0/encryption/age_recipient_files/0", "holds no age recipient"));
    }
    SECTION("agency ids: pattern and uniqueness")
    {
        auto problems = installation.check(replaced(valid, R"("id": "indebted")", R"("id": "ophelos")"));
        INFO(describe(problems));
        CHECK(has_problem(problems, "/agencies/1/id", "duplicate agency id 'ophelos' (first used at /agencies/0)"));
        problems = installation.check(replaced(valid, R"("id": "ophelos")", R"("id": "Ophelos_UK")"));
        CHECK(has_problem(problems, "/agencies/0/id", "is not a valid agency id"));
        problems = installation.check(replaced(valid, R"("agencies": [)", R"("agencies": [], "unused": [)"));
        CHECK(has_problem(problems, "/agencies", "at least one agency"));
    }
    SECTION("mappings: missing, for another agency, or with problems of their own")
    {
        auto problems = installation.check(replaced(valid, "../mappings/ophelos.json", "../mappings/absent.json"));
        check_single_problem(problems, "/agencies/0/mapping", "mapping file not found");
        problems = installation.check(replaced(valid, "../mappings/ophelos.json", "../mappings/indebted.json"));
        check_single_problem(problems, "/agencies/0/mapping", "the mapping is for agency 'indebted', not 'ophelos'");
        CHECK(problems[0].file == installation.config_path().string());
        write_file(installation.root() / "mappings/ophelos.json", replaced(Installation::mapping_for("ophelos"), "pence_to_pounds", "pence_to_pound"));
        problems = installation.check(valid);
        check_single_problem(problems, "/columns/1/transform", "unknown transform 'pence_to_pound' (did you mean 'pence_to_pounds'?)");
        CHECK(problems[0].file == (installation.root() / "mappings/ophelos.json").string());
    }
    SECTION("values of the wrong type or range")
    {
        auto problems = installation.check(replaced(valid, R"("max_fields": 60)", R"("max_fields": 0)"));
        check_single_problem(problems, "/limits/max_fields", "at least 1");
        problems = installation.check(replaced(valid, R"("max_fields": 60)", R"("max_fields": -3)"));
        check_single_problem(problems, "/limits/max_fields", "negative");
        problems = installation.check(replaced(valid, R"("max_fields": 60)", R"("max_fields": "60")"));
        check_single_problem(problems, "/limits/max_fields", "not string");
        problems = installation.check(replaced(valid, R"("input_format": "csv")", R"("input_format": "json")"));
        check_single_problem(problems, "/input_format", "must be 'auto', 'csv', 'jsonl' or 'xml'");
        problems = installation.check(replaced(valid, R"("enabled": true)", R"("enabled": "yes")"));
        check_single_problem(problems, "/agencies/0/enabled", "must be true or false");
    }
    SECTION("not JSON at all")
    {
        auto problems = installation.check("{\"state_directory\": \"state\",\n}");
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].json_path.empty());
        CHECK(problems[0].reason.find("not valid JSON") != std::string::npos);
        CHECK(problems[0].reason.find("line 2") != std::string::npos);
        problems = installation.check("[]");
        check_single_problem(problems, "", "must be an object");
    }
}

TEST_CASE("check_config lists every problem; load_config names the first", "[config]")
{
    Installation installation;
    auto config = Installation::valid_config();
    config = replaced(config, R"("input_format")", R"("input_fromat")");
    config = replaced(config, "../keys/indebted.asc", "../keys/absent.asc");
    config = replaced(config, R"("id": "indebted")", R"("id": "ophelos")");
    write_file(installation.root() / "mappings/indebted.json", replaced(Installation::mapping_for("indebted"), R"("balance_pence")", R"("notes")"));
    auto const problems = installation.check(config);
    INFO(describe(problems));
    CHECK(problems.size() == 5);
    CHECK(has_problem(problems, "/input_fromat", "unknown key"));
    CHECK(has_problem(problems, "/agencies/1/encryption/pgp_public_key", "not found"));
    CHECK(has_problem(problems, "/agencies/1/id", "duplicate agency id"));
    CHECK(has_problem(problems, "/columns/1/source", "notes can never be mapped: internal free text"));
    CHECK(has_problem(problems, "/agencies/1/mapping", "the mapping is for agency 'indebted', not 'ophelos'"));

    auto loaded = dcagw::config::load_config(installation.config_path());
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code() == dcagw::base::ErrorCode::ConfigInvalid);
    CHECK(loaded.error().message().starts_with(dcagw::config::to_text(problems.front())));
    CHECK(loaded.error().message().starts_with(installation.config_path().string() + ": /input_fromat: unknown key"));
    CHECK(loaded.error().message().find("dcagw config check") != std::string::npos);
}

TEST_CASE("a missing or oversized configuration file", "[config]")
{
    auto problems = dcagw::config::check_config("/nonexistent/dcagw/gateway.json");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].file == "/nonexistent/dcagw/gateway.json");
    auto loaded = dcagw::config::load_config("/nonexistent/dcagw/gateway.json");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code() == dcagw::base::ErrorCode::ConfigInvalid);

    Installation installation;
    problems = installation.check(Installation::valid_config() + std::string(1 << 20, ' '));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].reason.find("larger than the limit") != std::string::npos);
}
