// OpenPGP interoperability with GnuPG 2.2: what the gateway encrypts and signs, gpg
// decrypts and reports a good signature for; what gpg encrypts and signs to our key, the
// gateway decrypts and verifies; unsigned and tampered files are refused when a signature
// is required. Keys are made fresh in a temporary GNUPGHOME for each key algorithm.
#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/pgp.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

std::string read_all(std::filesystem::path const& path)
{
    auto content = base::read_file_limited(path, 256 << 20);
    REQUIRE(content.ok());
    return content.release_value();
}

void write_all(std::filesystem::path const& path, std::string const& content)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string make_content(std::size_t size)
{
    std::string content(size, '\0');
    std::uint32_t value = 987654321;
    for (auto& character : content) {
        value = value * 1664525 + 1013904223;
        character = static_cast<char>(value >> 24);
    }
    return content;
}

// A throwaway GnuPG home with two key pairs: "agency" stays inside gpg, "gateway" is
// exported to files for our code (secret key without passphrase, mode 0600).
struct GnupgWorld {
    std::filesystem::path folder;
    std::filesystem::path home;
    std::string agency_fingerprint;
    std::string gateway_fingerprint;

    explicit GnupgWorld(std::string const& algorithm)
    {
        // Short path: gpg-agent's socket path must fit in sockaddr_un.
        std::string pattern = "/tmp/dcagw-gpg-XXXXXX";
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        folder = pattern;
        home = folder / "gnupg";
        std::filesystem::create_directory(home);
        std::filesystem::permissions(home, std::filesystem::perms::owner_all);
        agency_fingerprint = make_key("Test Agency <agency@test.invalid>", algorithm);
        gateway_fingerprint = make_key("Test Gateway <gateway@test.invalid>", algorithm);
        REQUIRE(gpg("--armor --export " + agency_fingerprint + " > " + (folder / "agency.pub.asc").string()) == 0);
        REQUIRE(gpg("--armor --export " + gateway_fingerprint + " > " + (folder / "gateway.pub.asc").string()) == 0);
        REQUIRE(gpg("--pinentry-mode loopback --passphrase '' --armor --export-secret-keys " + gateway_fingerprint + " > " + (folder / "gateway.sec.asc").string()) == 0);
        REQUIRE(::chmod((folder / "gateway.sec.asc").c_str(), 0600) == 0);
    }

    ~GnupgWorld()
    {
        std::system(("gpgconf --homedir " + home.string() + " --kill all >/dev/null 2>&1").c_str());
        std::filesystem::remove_all(folder);
    }

    int gpg(std::string const& arguments) const
    {
        std::string const command = "gpg --homedir " + home.string() + " --batch --yes --quiet --trust-model always " + arguments + " 2>>" + (folder / "gpg.log").string();
        return std::system(command.c_str());
    }

    std::string make_key(std::string const& user_id, std::string const& algorithm)
    {
        if (algorithm == "rsa3072") {
            REQUIRE(gpg("--pinentry-mode loopback --passphrase '' --quick-gen-key '" + user_id + "' rsa3072 sign,cert never") == 0);
        } else {
            REQUIRE(gpg("--pinentry-mode loopback --passphrase '' --quick-gen-key '" + user_id + "' future-default default never") == 0);
        }
        auto const listing = folder / "listing.txt";
        REQUIRE(gpg("--with-colons --list-keys '" + user_id + "' > " + listing.string()) == 0);
        std::string fingerprint;
        auto const listing_text = read_all(listing); // split() returns views into it
        for (auto const line : base::split(listing_text, '\n'))
            if (line.rfind("fpr:", 0) == 0 && fingerprint.empty())
                fingerprint = std::string(line.substr(12, 40));
        REQUIRE(fingerprint.size() == 40);
        if (algorithm == "rsa3072")
            REQUIRE(gpg("--pinentry-mode loopback --passphrase '' --quick-add-key " + fingerprint + " rsa3072 encr never") == 0);
        return fingerprint;
    }

    PgpEncryptOptions to_agency(PgpArmor armor) const
    {
        PgpEncryptOptions options;
        options.recipient_public_key = folder / "agency.pub.asc";
        options.signing_secret_key = folder / "gateway.sec.asc";
        options.armor = armor;
        options.literal_file_name = "placement.csv";
        return options;
    }

    PgpDecryptOptions from_agency(RequireSignature require) const
    {
        PgpDecryptOptions options;
        options.secret_key = folder / "gateway.sec.asc";
        options.sender_public_key = folder / "agency.pub.asc";
        options.require_signature = require;
        return options;
    }
};

void run_interop(std::string const& algorithm)
{
    GnupgWorld world(algorithm);
    auto const& folder = world.folder;
    for (std::size_t const size : { std::size_t(0), std::size_t(1), std::size_t(65536), std::size_t(4 * 1024 * 1024 + 3) }) {
        auto const content = make_content(size);
        auto const tag = algorithm + "-" + std::to_string(size);
        INFO(algorithm << ", " << size << " bytes; gpg log in " << (folder / "gpg.log").string());
        write_all(folder / ("plain-" + tag), content);

        // Ours -> gpg, armored and binary: gpg decrypts and reports a good signature.
        for (auto const armor : { PgpArmor::Armored, PgpArmor::Binary }) {
            auto const suffix = armor == PgpArmor::Armored ? ".asc" : ".pgp";
            auto const cipher = folder / ("ours-" + tag + suffix);
            REQUIRE(pgp_encrypt_file(world.to_agency(armor), folder / ("plain-" + tag), cipher).ok());
            auto const status = folder / ("status-" + tag + suffix);
            auto const opened = folder / ("gpg-opened-" + tag + suffix);
            CHECK(world.gpg("--status-file " + status.string() + " --output " + opened.string() + " --decrypt " + cipher.string()) == 0);
            auto const status_text = read_all(status);
            CHECK_THAT(status_text, Catch::Contains("[GNUPG:] GOODSIG"));
            CHECK_THAT(status_text, Catch::Contains("[GNUPG:] VALIDSIG " + world.gateway_fingerprint));
            CHECK_THAT(status_text, Catch::Contains("[GNUPG:] DECRYPTION_OKAY"));
            CHECK_THAT(status_text, Catch::Contains("[GNUPG:] GOODMDC"));
            CHECK(read_all(opened) == content);
        }

        // gpg -> ours: signed by the agency, encrypted to the gateway.
        auto const signed_cipher = folder / ("gpg-signed-" + tag + ".asc");
        REQUIRE(world.gpg("--armor --local-user " + world.agency_fingerprint + " --recipient " + world.gateway_fingerprint + " --sign --encrypt --output " + signed_cipher.string() + " " + (folder / ("plain-" + tag)).string()) == 0);
        auto const decrypted = folder / ("ours-opened-" + tag);
        auto const report = pgp_decrypt_file(world.from_agency(RequireSignature::Yes), signed_cipher, decrypted);
        REQUIRE(report.ok());
        CHECK(report.value().signature == PgpSignatureStatus::Valid);
        CHECK(report.value().signer_fingerprint == world.agency_fingerprint);
        CHECK(read_all(decrypted) == content);

        // gpg -> ours, unsigned: refused when a signature is required, accepted otherwise.
        auto const unsigned_cipher = folder / ("gpg-unsigned-" + tag + ".pgp");
        REQUIRE(world.gpg("--recipient " + world.gateway_fingerprint + " --encrypt --output " + unsigned_cipher.string() + " " + (folder / ("plain-" + tag)).string()) == 0);
        auto const refused = pgp_decrypt_file(world.from_agency(RequireSignature::Yes), unsigned_cipher, folder / ("refused-" + tag));
        REQUIRE(refused.is_error());
        CHECK(refused.error().code() == base::ErrorCode::SignatureInvalid);
        CHECK_FALSE(std::filesystem::exists(folder / ("refused-" + tag)));
        auto const accepted = pgp_decrypt_file(world.from_agency(RequireSignature::No), unsigned_cipher, folder / ("accepted-" + tag));
        REQUIRE(accepted.ok());
        CHECK(accepted.value().signature == PgpSignatureStatus::Missing);
        CHECK(read_all(folder / ("accepted-" + tag)) == content);

        // gpg -> ours, one byte of the binary message flipped: refused, nothing published.
        auto const binary_cipher = folder / ("gpg-signed-" + tag + ".pgp");
        REQUIRE(world.gpg("--local-user " + world.agency_fingerprint + " --recipient " + world.gateway_fingerprint + " --sign --encrypt --output " + binary_cipher.string() + " " + (folder / ("plain-" + tag)).string()) == 0);
        auto tampered = read_all(binary_cipher);
        tampered[tampered.size() * 2 / 3] ^= 0x20;
        write_all(folder / ("tampered-" + tag), tampered);
        auto const tampered_result = pgp_decrypt_file(world.from_agency(RequireSignature::Yes), folder / ("tampered-" + tag), folder / ("tampered-out-" + tag));
        CHECK(tampered_result.is_error());
        CHECK_FALSE(std::filesystem::exists(folder / ("tampered-out-" + tag)));
    }
}

} // namespace

TEST_CASE("OpenPGP interop with gpg: Ed25519/Curve25519 keys")
{
    run_interop("future-default");
}

TEST_CASE("OpenPGP interop with gpg: RSA-3072 keys")
{
    run_interop("rsa3072");
}

TEST_CASE("a passphrase-protected secret key opens only with the right passphrase file")
{
    GnupgWorld world("future-default");
    auto const& folder = world.folder;
    REQUIRE(world.gpg("--pinentry-mode loopback --passphrase 'correct horse' --quick-gen-key 'Protected <p@test.invalid>' future-default default never") == 0);
    REQUIRE(world.gpg("--pinentry-mode loopback --passphrase 'correct horse' --armor --export-secret-keys 'Protected <p@test.invalid>' > " + (folder / "protected.sec.asc").string()) == 0);
    REQUIRE(::chmod((folder / "protected.sec.asc").c_str(), 0600) == 0);
    write_all(folder / "plain.csv", "account_ref\nA1\n");
    REQUIRE(world.gpg("--recipient 'Protected <p@test.invalid>' --encrypt --output " + (folder / "to-protected.pgp").string() + " " + (folder / "plain.csv").string()) == 0);

    PgpDecryptOptions options;
    options.secret_key = folder / "protected.sec.asc";
    options.require_signature = RequireSignature::No;
    auto const without = pgp_decrypt_file(options, folder / "to-protected.pgp", folder / "out-1.csv");
    REQUIRE(without.is_error());
    CHECK(without.error().code() == base::ErrorCode::KeyInvalid);

    write_all(folder / "wrong.pass", "wrong horse\n");
    REQUIRE(::chmod((folder / "wrong.pass").c_str(), 0600) == 0);
    options.passphrase_file = folder / "wrong.pass";
    CHECK(pgp_decrypt_file(options, folder / "to-protected.pgp", folder / "out-2.csv").is_error());
    CHECK_FALSE(std::filesystem::exists(folder / "out-2.csv"));

    write_all(folder / "right.pass", "correct horse\n");
    REQUIRE(::chmod((folder / "right.pass").c_str(), 0644) == 0);
    options.passphrase_file = folder / "right.pass";
    auto const open_file = pgp_decrypt_file(options, folder / "to-protected.pgp", folder / "out-3.csv");
    REQUIRE(open_file.is_error());
    CHECK(open_file.error().code() == base::ErrorCode::PermissionsTooOpen);

    REQUIRE(::chmod((folder / "right.pass").c_str(), 0600) == 0);
    auto const opened = pgp_decrypt_file(options, folder / "to-protected.pgp", folder / "out-4.csv");
    REQUIRE(opened.ok());
    CHECK(read_all(folder / "out-4.csv") == "account_ref\nA1\n");
}
