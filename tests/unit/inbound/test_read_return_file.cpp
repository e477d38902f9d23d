// Tests of the inbound envelope (inbound/read_return_file) with the real `gpg` and `age`
// binaries playing the agency: what the agency signs and encrypts to the creditor reaches
// the sink, with the signer named; an unsigned, wrongly signed, undecryptable or
// unrecognised file is refused whole with its error kind and the sink sees nothing; the
// plaintext never outlives the call.
#include "gateway/crypto/pgp.hpp"
#include "gateway/inbound/inbound.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace dcagw;
namespace fs = std::filesystem;
using model::ReturnField;

fs::path const source_dir { DCAGW_SOURCE_DIR };
std::string const payments_csv = "Id,Ref,Amount,Date\nP1,A1,1250,2026-06-01\nP2,A2,12.50,2026-06-01\n";

class CollectingSink final : public inbound::ReturnSink {
public:
    base::Result<void> accept(model::ReturnLine const&) override
    {
        ++accepted;
        return {};
    }
    base::Result<void> reject(model::Rejection const&) override
    {
        ++rejected;
        return {};
    }
    int accepted { 0 };
    int rejected { 0 };
};

// A throwaway folder: a GnuPG home holding the example agency's secret key and the
// creditor's public key (the agency's side), the creditor's keys as files (0600), a work
// folder, and an agency configuration whose mapping reads one payment layout.
struct World {
    fs::path folder;
    fs::path home;
    model::AgencyConfig agency;

    World()
    {
        std::string pattern = "/tmp/dcagw-inb-XXXXXX"; // short: gpg-agent's socket path
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        folder = pattern;
        home = folder / "gnupg";
        fs::create_directory(home);
        fs::permissions(home, fs::perms::owner_all);
        auto const keys = source_dir / "keys-example";
        for (auto const* name : { "creditor.pgp-secret.asc", "creditor-archive.age-identity.key" }) {
            fs::copy_file(keys / name, folder / name);
            fs::permissions(folder / name, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
        }
        REQUIRE(gpg("--import " + (keys / "example-agency.pgp-secret.asc").string() + " " + (keys / "creditor.pgp-public.asc").string()) == 0);

        agency.id = "example-agency";
        agency.mapping.agency = "example-agency";
        model::ReturnLayout layout;
        layout.name = "payments";
        layout.kind = model::ReturnKind::Payment;
        layout.file_name_glob = "*-payments.csv*";
        layout.columns = { { "Id", ReturnField::PaymentId, false }, { "Ref", ReturnField::AccountReference, false }, { "Amount", ReturnField::Amount, false }, { "Date", ReturnField::Date, false } };
        agency.mapping.returns = { layout };
        model::ReturnsProfile returns;
        returns.encryption = model::ReturnEncryption::OpenPgp;
        returns.require_signature = true;
        returns.signature_keys = { keys / "example-agency.pgp-public.asc" };
        returns.decryption_key = folder / "creditor.pgp-secret.asc";
        agency.returns = returns;
    }
    ~World()
    {
        std::system(("gpgconf --homedir " + home.string() + " --kill all >/dev/null 2>&1").c_str());
        fs::remove_all(folder);
    }

    int gpg(std::string const& arguments) const
    {
        return std::system(("gpg --homedir " + home.string() + " --batch --yes --quiet --trust-model always --pinentry-mode loopback --passphrase '' " + arguments + " 2>>" + (folder / "gpg.log").string()).c_str());
    }

    std::string fingerprint(std::string const& public_key) const
    {
        auto found = crypto::pgp_public_key_fingerprint(source_dir / "keys-example" / public_key);
        REQUIRE(found.ok());
        return found.value();
    }

    fs::path plain(std::string const& text) const
    {
        auto const path = folder / "plain.csv";
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    // `gpg` as the agency: `how` is "--sign --encrypt", "--encrypt", ...
    fs::path agency_writes(std::string const& text, std::string const& how, std::string const& signer, std::string const& recipient) const
    {
        auto const output = folder / "collected.pgp";
        fs::remove(output);
        std::string const sign = signer.empty() ? "" : " -u " + fingerprint(signer);
        REQUIRE(gpg(how + sign + " -r " + fingerprint(recipient) + " -o " + output.string() + " " + plain(text).string()) == 0);
        return output;
    }

    base::Result<inbound::ReturnFileFacts> read(fs::path const& collected, CollectingSink& sink, std::string const& name = "20260601-payments.csv.pgp")
    {
        auto keys = inbound::InboundKeys::load(agency);
        REQUIRE(keys.ok());
        inbound::InboundFile file { collected, name, "outgoing", folder / "state/work", {}, base::Date { 2026, 6, 30 } };
        return inbound::read_return_file(agency, keys.value(), file, sink);
    }

    bool work_folder_empty() const
    {
        return !fs::exists(folder / "state/work") || fs::is_empty(folder / "state/work");
    }
};

} // namespace

TEST_CASE("a file gpg signed and encrypted to the creditor is read, the signer named", "[inbound]")
{
    World world;
    CollectingSink sink;
    auto facts = world.read(world.agency_writes(payments_csv, "--sign --encrypt", "example-agency.pgp-public.asc", "creditor.pgp-public.asc"), sink);
    REQUIRE(facts.ok());
    CHECK(facts.value().signature_verified);
    CHECK(facts.value().signer == world.fingerprint("example-agency.pgp-public.asc"));
    CHECK(facts.value().kind == model::ReturnKind::Payment);
    CHECK(facts.value().layout == "payments");
    CHECK(facts.value().sha256_of_collected.size() == 64);
    CHECK(facts.value().lines_accepted == 1);
    CHECK(facts.value().lines_rejected == 1);
    CHECK(sink.accepted == 1);
    CHECK(sink.rejected == 1);
    CHECK(world.work_folder_empty());
    CHECK((fs::status(world.folder / "state/work").permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
}

TEST_CASE("unsigned, wrongly signed and undecryptable files are refused whole", "[inbound]")
{
    World world;
    struct Case {
        char const* what;
        std::string how;
        std::string signer;
        std::string recipient;
        base::ErrorCode code;
    };
    std::vector<Case> const cases {
        { "unsigned", "--encrypt", "", "creditor.pgp-public.asc", base::ErrorCode::SignatureInvalid },
        { "signed by another key", "--sign --encrypt", "creditor.pgp-public.asc", "creditor.pgp-public.asc", base::ErrorCode::SignatureInvalid },
        { "encrypted to another key", "--sign --encrypt", "example-agency.pgp-public.asc", "example-agency.pgp-public.asc", base::ErrorCode::NoMatchingIdentity },
    };
    REQUIRE(world.gpg("--import " + (source_dir / "keys-example/creditor.pgp-secret.asc").string()) == 0);
    for (auto const& each : cases) {
        INFO(each.what);
        CollectingSink sink;
        auto facts = world.read(world.agency_writes(payments_csv, each.how, each.signer, each.recipient), sink);
        REQUIRE_FALSE(facts.ok());
        CHECK(facts.error().code() == each.code);
        CHECK(facts.error().to_text().find("20260601-payments.csv.pgp") != std::string::npos);
        CHECK(sink.accepted + sink.rejected == 0);
        CHECK(world.work_folder_empty());
    }
    // A damaged message: integrity fails at the end, after plaintext was produced; still
    // nothing reaches the sink and no plaintext stays.
    auto damaged = world.agency_writes(payments_csv, "--sign --encrypt", "example-agency.pgp-public.asc", "creditor.pgp-public.asc");
    {
        std::fstream file(damaged, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(-10, std::ios::end);
        file.put('\x55');
    }
    CollectingSink sink;
    auto facts = world.read(damaged, sink);
    REQUIRE_FALSE(facts.ok());
    CHECK(sink.accepted + sink.rejected == 0);
    CHECK(world.work_folder_empty());
}

TEST_CASE("a file that matches no layout, or whose header is not the layout's, is refused", "[inbound]")
{
    World world;
    CollectingSink sink;
    auto const good = world.agency_writes(payments_csv, "--sign --encrypt", "example-agency.pgp-public.asc", "creditor.pgp-public.asc");
    auto unknown = world.read(good, sink, "20260601-unknown.csv.pgp");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code() == base::ErrorCode::InputMalformed);
    CHECK(unknown.error().message().find("no return layout matches") != std::string::npos);
    auto header = world.read(world.agency_writes("Id,Ref,Value,Date\nP1,A1,1,2026-06-01\n", "--sign --encrypt", "example-agency.pgp-public.asc", "creditor.pgp-public.asc"), sink);
    REQUIRE_FALSE(header.ok());
    CHECK(header.error().message().find("line 1: column 3") != std::string::npos);
    CHECK(sink.accepted + sink.rejected == 0);
    CHECK(world.work_folder_empty());
}

TEST_CASE("an age file to the creditor's identity, and a plain file where the transport authenticates", "[inbound]")
{
    World world;
    world.agency.returns->encryption = model::ReturnEncryption::Age;
    world.agency.returns->require_signature = false;
    world.agency.returns->signature_keys.clear();
    world.agency.returns->decryption_key = world.folder / "creditor-archive.age-identity.key";
    auto const encrypted = world.folder / "collected.age";
    REQUIRE(std::system(("age -R " + (source_dir / "keys-example/creditor-archive.age-recipient.txt").string() + " -o " + encrypted.string() + " " + world.plain(payments_csv).string()).c_str()) == 0);
    CollectingSink sink;
    auto facts = world.read(encrypted, sink, "20260601-payments.csv.age");
    REQUIRE(facts.ok());
    CHECK_FALSE(facts.value().signature_verified);
    CHECK(sink.accepted == 1);
    CHECK(world.work_folder_empty());

    world.agency.returns->encryption = model::ReturnEncryption::None;
    CollectingSink plain_sink;
    auto const collected = world.plain(payments_csv);
    auto plain = world.read(collected, plain_sink, "20260601-payments.csv");
    REQUIRE(plain.ok());
    CHECK(plain_sink.accepted == 1);
    CHECK(fs::exists(collected)); // the collected file itself is never removed
}

TEST_CASE("an agency without a returns section cannot open return files", "[inbound]")
{
    model::AgencyConfig agency;
    agency.id = "nobody";
    auto keys = inbound::InboundKeys::load(agency);
    REQUIRE_FALSE(keys.ok());
    CHECK(keys.error().code() == base::ErrorCode::ConfigInvalid);
}
