// Tests of an agency's "returns" object (config/config_returns.cpp): the inbound envelope
// loads with its paths resolved; a signature can only be required where it can be
// verified; keys are named and the decryption key is owner-only; the older
// transport.returns_require_signature is folded in or refused with a clear message.
#include "tests/unit/config/config_test_support.hpp"

using namespace dcagw::test;

namespace {

auto const public_mode = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;

class ReturnsInstallation : public Installation {
public:
    ReturnsInstallation()
    {
        write_file(root() / "keys/creditor-returns.pgp", "not read by the config check\n");
        write_file(root() / "keys/creditor-returns.age", "not read by the config check\n");
        write_file(root() / "keys/indebted-signing.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n", public_mode);
        auto mapping = mapping_for("ophelos");
        mapping.replace(mapping.rfind('}'), 1, R"(, "returns": [{"name": "closures", "kind": "closure", "file_name": "*.csv",
            "columns": [{"name": "a", "field": "account_reference"}, {"name": "d", "field": "date"}, {"name": "r", "field": "code"}],
            "reasons": {"PIF": "PIF"}}]})");
        write_file(root() / "mappings/ophelos.json", mapping);
    }

    static std::string with(std::string const& returns, std::string const& transport = "")
    {
        std::string inserted = (transport.empty() ? "" : R"("transport": )" + transport + ", ") + (returns.empty() ? "" : R"("returns": )" + returns + ", ");
        return replaced(valid_config(), R"("agreement": {"reference": "DSA-2026-014")", inserted + R"("agreement": {"reference": "DSA-2026-014")");
    }
};

std::string const openpgp_signed = R"({"encryption": "openpgp", "require_signature": true, "signature_keys": ["../keys/indebted-signing.asc"],
    "decryption_key": "../keys/creditor-returns.pgp"})";

} // namespace

TEST_CASE("an OpenPGP signed returns envelope loads with its keys resolved", "[config][returns]")
{
    ReturnsInstallation installation;
    auto const problems = installation.check(ReturnsInstallation::with(openpgp_signed));
    INFO(describe(problems));
    REQUIRE(problems.empty());
    auto loaded = dcagw::config::load_config(installation.config_path());
    REQUIRE(loaded.ok());
    auto const& returns = loaded.value().agencies[0].returns;
    REQUIRE(returns.has_value());
    CHECK(returns->encryption == dcagw::model::ReturnEncryption::OpenPgp);
    CHECK(returns->require_signature);
    CHECK(returns->signature_keys == std::vector { installation.root() / "keys/indebted-signing.asc" });
    CHECK(returns->decryption_key == installation.root() / "keys/creditor-returns.pgp");
    CHECK_FALSE(loaded.value().agencies[1].returns.has_value());
}

TEST_CASE("age and none envelopes load; neither can require a signature", "[config][returns]")
{
    ReturnsInstallation installation;
    CHECK(installation.check(ReturnsInstallation::with(R"({"encryption": "age", "require_signature": false, "decryption_key": "../keys/creditor-returns.age"})")).empty());
    CHECK(installation.check(ReturnsInstallation::with(R"({"encryption": "none", "require_signature": false})")).empty());
    check_single_problem(installation.check(ReturnsInstallation::with(R"({"encryption": "age", "require_signature": true, "signature_keys": ["../keys/indebted-signing.asc"], "decryption_key": "../keys/creditor-returns.age"})")),
        "/agencies/0/returns/require_signature", "with encryption 'age' nothing could verify it");
    check_single_problem(installation.check(ReturnsInstallation::with(R"({"encryption": "none", "require_signature": true, "signature_keys": ["../keys/indebted-signing.asc"]})")),
        "/agencies/0/returns/require_signature", "with encryption 'none' nothing could verify it");
}

TEST_CASE("returns envelope problems are found at their JSON paths", "[config][returns]")
{
    ReturnsInstallation installation;
    check_single_problem(installation.check(ReturnsInstallation::with(R"({"encryption": "openpgp", "require_signature": true, "decryption_key": "../keys/creditor-returns.pgp"})")),
        "/agencies/0/returns/signature_keys", "require_signature needs the agency's OpenPGP public key");
    check_single_problem(installation.check(ReturnsInstallation::with(R"({"encryption": "openpgp", "require_signature": false})")),
        "/agencies/0/returns/decryption_key", "encryption 'openpgp' needs the creditor's decryption_key");
    check_single_problem(installation.check(ReturnsInstallation::with(R"({"encryption": "pgp", "require_signature": false})")),
        "/agencies/0/returns/encryption", "must be 'openpgp', 'age' or 'none'");
    fs::permissions(installation.root() / "keys/creditor-returns.pgp", public_mode);
    auto const open_key = installation.check(ReturnsInstallation::with(openpgp_signed));
    INFO(describe(open_key));
    CHECK(has_problem(open_key, "/agencies/0/returns/decryption_key", "chmod 600"));
    check_single_problem(installation.check(ReturnsInstallation::with(R"({"encryption": "none", "require_signature": false, "signature_keys": ["../keys/indebted-signing.asc"]})")),
        "/agencies/0/returns/signature_keys", "a signature that is never required proves nothing");
}

TEST_CASE("transport.returns_require_signature folds into the returns section", "[config][returns]")
{
    ReturnsInstallation installation;
    std::string const transport = R"({"kind": "directory", "local_root": "/srv/agency", "returns_require_signature": true})";
    check_single_problem(installation.check(ReturnsInstallation::with("", transport)),
        "/agencies/0/transport/returns_require_signature", "needs the agency's 'returns' section");
    CHECK(installation.check(ReturnsInstallation::with(openpgp_signed, transport)).empty());
    check_single_problem(installation.check(ReturnsInstallation::with(R"({"encryption": "none", "require_signature": false})", transport)),
        "/agencies/0/returns/require_signature", "transport.returns_require_signature is true");
}

TEST_CASE("a returns section needs return layouts in the mapping", "[config][returns]")
{
    ReturnsInstallation installation;
    write_file(installation.root() / "mappings/ophelos.json", Installation::mapping_for("ophelos"));
    check_single_problem(installation.check(ReturnsInstallation::with(R"({"encryption": "none", "require_signature": false})")),
        "/agencies/0/returns", "the agency's mapping declares no return layouts");
}
