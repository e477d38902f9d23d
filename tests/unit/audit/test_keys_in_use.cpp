// Key entries (docs/audit.md, kind `key`): a run's keys are recorded the first time they
// are used and whenever the key at a path changes, named by an identity that reveals
// nothing of the secret.
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/crypto/pgp.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/store/audit_log.hpp"

#include "../store/ledger_test_support.hpp"

#include <fstream>

using namespace dcagw;
using namespace dcagw::audit;
using dcagw::store::testing::expect_ok;
using dcagw::store::testing::open_ledger;
using dcagw::store::testing::TemporaryFolder;

namespace {

std::vector<Entry> key_entries(store::Ledger& ledger)
{
    std::vector<Entry> entries;
    expect_ok(ledger.audit().entries_of_kind("key", [&](store::AuditEntryRow const& row) {
        entries.push_back(decode(row.body).value());
        return true;
    }));
    return entries;
}

std::optional<std::int64_t> record(store::Ledger& ledger, KeyInUse const& key)
{
    Journal journal(ledger, "scheduler");
    expect_ok(ledger.begin());
    auto const recorded = expect_ok(journal.record_key_if_new(key));
    expect_ok(ledger.commit());
    return recorded;
}

void write_private(std::filesystem::path const& path, std::string_view text)
{
    std::ofstream(path) << text;
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

} // namespace

TEST_CASE("keys: recorded on first use and on change, not on every load")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const path = folder.path() / "agency.pseudonym.key";
    KeyInUse const key { "pseudonym", "PAAAA", path, "pseudonyms for agency one" };

    CHECK(record(*ledger, key) == std::optional<std::int64_t>(1));
    CHECK(record(*ledger, key) == std::nullopt);  // the next run: nothing new

    auto changed = key;
    changed.identity = "PBBBB";  // a new key at the same path
    CHECK(record(*ledger, changed) == std::optional<std::int64_t>(2));
    CHECK(record(*ledger, changed) == std::nullopt);

    auto other_use = changed;  // the same key used for a second agency
    other_use.use = "pseudonyms for agency two";
    CHECK(record(*ledger, other_use) == std::optional<std::int64_t>(3));
    CHECK(record(*ledger, changed) == std::nullopt);  // uses do not take turns

    auto const entries = key_entries(*ledger);
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].text("action") == "loaded");
    CHECK(entries[0].text("key_type") == "pseudonym");
    CHECK(entries[0].text("public") == "PAAAA");
    CHECK(entries[0].text("path") == path.string());
    CHECK(entries[0].text("use") == "pseudonyms for agency one");
    CHECK(entries[1].text("public") == "PBBBB");
    CHECK(entries[2].text("use") == "pseudonyms for agency two");

    auto report = expect_ok(verify_ledger(*ledger, {}));
    CHECK(report.ok());
    CHECK(report.entries == 3);
}

TEST_CASE("keys: a generated key is recorded again when a run first loads it")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto const path = folder.path() / "signing.key";
    Journal journal(*ledger, "operator");
    expect_ok(journal.record_key("generated", "ed25519", "dcagw-ed25519-public-1AAAA", path.string()));
    CHECK(record(*ledger, { "ed25519", "dcagw-ed25519-public-1AAAA", path, "signing audit checkpoints and exports" }) == std::optional<std::int64_t>(2));
    CHECK(record(*ledger, { "ed25519", "dcagw-ed25519-public-1AAAA", path, "signing audit checkpoints and exports" }) == std::nullopt);
}

TEST_CASE("keys: a placement names each agency's pseudonym key by its id, never the key")
{
    TemporaryFolder folder;
    auto const path = folder.path() / "one.pseudonym.key";
    expect_ok(crypto::generate_pseudonym_key_file(path));
    auto const other_path = folder.path() / "two.pseudonym.key";
    expect_ok(crypto::generate_pseudonym_key_file(other_path));

    model::GatewayConfig config;
    config.config_file = folder.path() / "gateway.json";
    model::AgencyConfig one;
    one.id = "one";
    one.pseudonym_key_path = path;
    model::AgencyConfig two;
    two.id = "two";
    two.pseudonym_key_path = other_path;
    auto const key = crypto::PseudonymKey::load(path).release_value();
    auto const id = key.key_id();
    auto const other_id = crypto::PseudonymKey::load(other_path).value().key_id();
    auto const keys = expect_ok(placement_keys(config, { { &one, id }, { &two, other_id } }));
    REQUIRE(keys.size() == 2);  // age only: no OpenPGP signing key
    CHECK(keys[0].key_type == "pseudonym");
    CHECK(keys[0].identity == id);
    CHECK(keys[0].path == "one.pseudonym.key");  // relative to the configuration's folder
    CHECK(keys[0].use == "pseudonyms for agency one");
    CHECK(keys[1].identity == other_id);
    CHECK(other_id != id);  // another key, another id
    // The id is stable for the key; that it is what docs/audit.md says a third party can
    // recompute with the key (keyed BLAKE2b of "\0dcagw-pseudonym-key-id-v1") is pinned
    // by a Python-derived known answer in tests/unit/crypto/test_pseudonym.cpp.
    CHECK(crypto::PseudonymKey::load(path).value().key_id() == id);
    std::string account_pseudonym;
    key.append_pseudonym(account_pseudonym, "account_ref", "dcagw-pseudonym-key-id-v1");
    CHECK(id != account_pseudonym);
    CHECK(id.size() == crypto::PseudonymKey::pseudonym_length);
}

TEST_CASE("keys: the OpenPGP signing key is named by its fingerprint when an agency gets OpenPGP files")
{
    TemporaryFolder folder;
    auto const source = std::filesystem::path(DCAGW_SOURCE_DIR) / "keys-example";
    auto const secret = folder.path() / "creditor.pgp-secret.asc";
    std::filesystem::copy_file(source / "creditor.pgp-secret.asc", secret);
    std::filesystem::permissions(secret, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    model::GatewayConfig config;
    config.config_file = folder.path() / "gateway.json";
    config.pgp_signing_key = secret;
    model::AgencyConfig agency;
    agency.id = "pgp-agency";
    agency.pseudonym_key_path = folder.path() / "agency.pseudonym.key";
    agency.encryption.kind = model::EncryptionKind::Age;
    CHECK(expect_ok(placement_keys(config, { { &agency, "PID" } })).size() == 1);  // age files are not signed

    agency.encryption.kind = model::EncryptionKind::OpenPgp;
    auto const keys = expect_ok(placement_keys(config, { { &agency, "PID" } }));
    REQUIRE(keys.size() == 2);
    CHECK(keys[1].key_type == "openpgp");
    CHECK(keys[1].use == "signing OpenPGP files");
    CHECK(keys[1].path == "creditor.pgp-secret.asc");
    // The secret key's primary fingerprint is the public key's.
    CHECK(keys[1].identity == expect_ok(crypto::pgp_public_key_fingerprint(source / "creditor.pgp-public.asc")));
    CHECK(keys[1].identity.size() == 40);
}

namespace {

std::filesystem::path const login_keys = std::filesystem::path(DCAGW_SOURCE_DIR) / "tests/vectors/login-keys";

// What OpenSSH and OpenSSL print for each vector key (tests/vectors/login-keys/README.md).
std::string expected_identity(std::string const& file)
{
    std::ifstream in(login_keys / "expected.txt");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(file + " ", 0) == 0)
            return line.substr(file.size() + 1);
    FAIL("no expected identity for " << file);
    return {};
}

// A private copy (git keeps the vectors 0644).
std::filesystem::path private_copy(TemporaryFolder const& folder, std::string const& file)
{
    auto const copy = folder.path() / "keys" / file;
    std::filesystem::create_directories(copy.parent_path());
    std::filesystem::copy_file(login_keys / file, copy);
    std::filesystem::permissions(copy, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return copy;
}

model::AgencyConfig sftp_agency(std::string id, std::filesystem::path const& key)
{
    model::AgencyConfig agency;
    agency.id = std::move(id);
    agency.transport.emplace();
    agency.transport->kind = model::TransportKind::Sftp;
    agency.transport->sftp.private_key = key;
    return agency;
}

} // namespace

TEST_CASE("keys: an SFTP login key is named by its public key's fingerprint, as ssh-keygen -lf prints it")
{
    TemporaryFolder folder;
    model::GatewayConfig config;
    config.config_file = folder.path() / "gateway.json";
    for (std::string const file : { "openssh-ed25519.key", "openssh-ed25519-encrypted.key", "pem-rsa.key", "pem-ecdsa.key" }) {
        CAPTURE(file);
        auto const key = private_copy(folder, file);
        auto const agency = sftp_agency("sftp-agency", key);
        auto const keys = transport_keys(config, { &agency });
        REQUIRE(keys.size() == 1);
        CHECK(keys[0].key_type == "ssh-private-key");
        CHECK(keys[0].identity == expected_identity(file));
        // Nothing computed from the secret file's bytes, and no absolute path.
        CHECK(keys[0].identity != crypto::digest_hex(crypto::sha256_of_file(key).value()));
        CHECK(keys[0].path == "keys/" + file);
        CHECK(keys[0].use == "SFTP login to agency sftp-agency");
    }
}

TEST_CASE("keys: a TLS client key is named by its certificate's public key hash; keys that cannot be named are left to the connection")
{
    TemporaryFolder folder;
    model::GatewayConfig config;
    config.config_file = folder.path() / "gateway.json";
    auto const tls_key = private_copy(folder, "tls-client.key");
    model::AgencyConfig https;
    https.id = "https-agency";
    https.transport.emplace();
    https.transport->kind = model::TransportKind::Https;
    https.transport->https.client_key = tls_key;
    https.transport->https.client_certificate = login_keys / "tls-client.crt";
    auto not_a_key = folder.path() / "id_ed25519";
    write_private(not_a_key, "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n");
    auto const broken = sftp_agency("broken", not_a_key);
    auto const missing = sftp_agency("missing", folder.path() / "missing");
    model::AgencyConfig local;
    local.id = "local";

    auto const keys = transport_keys(config, { &broken, &https, &missing, &local });
    REQUIRE(keys.size() == 1);
    CHECK(keys[0].key_type == "tls-client-key");
    CHECK(keys[0].identity == expected_identity("tls-client.crt"));
    CHECK(keys[0].identity != crypto::digest_hex(crypto::sha256_of_file(tls_key).value()));
    CHECK(keys[0].path == "keys/tls-client.key");
    CHECK(keys[0].use == "TLS client authentication to agency https-agency");
}

TEST_CASE("keys: a key's path is recorded relative to the configuration's folder, never absolute")
{
    model::GatewayConfig config;
    config.config_file = "/etc/dcagw/gateway.json";
    CHECK(recorded_key_path(config, "/etc/dcagw/keys/agency.pseudonym.key") == "keys/agency.pseudonym.key");
    CHECK(recorded_key_path(config, "/etc/dcagw/./keys/../signing.key") == "signing.key");
    // Outside the configuration's folder: the file name alone.
    CHECK(recorded_key_path(config, "/var/lib/vault/agency.pseudonym.key") == "agency.pseudonym.key");
    CHECK(recorded_key_path(config, "/etc/dcagw-other/x.key") == "x.key");
    config.config_file.clear();
    CHECK(recorded_key_path(config, "/etc/dcagw/keys/agency.pseudonym.key") == "agency.pseudonym.key");
}
