// The lifecycle messages owed are written into the agency's own files, encrypted into the
// spool, once, and a crash between the steps is safe (issue 15; docs/lifecycle.md).
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/pipeline/messages.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/lifecycle.hpp"
#include "tests/support/string_sink.hpp"
#include "tests/unit/pipeline/place_example.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

struct Example : test::PlaceExample {
    Example() : PlaceExample("messages-write") {}

    // Places the example, then a paid-direct balance and a new dispute on FTA-100001.
    void place_then_change()
    {
        place();
        set_column("FTA-100001", "balance_pence", "174532");
        set_column("FTA-100001", "dispute", "Y");
        options.today = *base::Date::parse("2026-11-24");
        place();
    }

    pipeline::MessagesSummary write(std::function<void(std::string_view)> on_step = {})
    {
        pipeline::MessagesOptions messages;
        messages.today = options.today;
        messages.on_step = std::move(on_step);
        auto written = pipeline::write_messages(config, messages);
        if (written.is_error())
            FAIL(written.error().to_text());
        return written.release_value();
    }

    // Runs write() in a child that is killed at `step`, as kill -9 would.
    void write_killed_at(std::string const& step)
    {
        auto const child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            pipeline::MessagesOptions messages;
            messages.today = options.today;
            messages.on_step = [&](std::string_view reached) {
                if (reached == step)
                    ::_exit(9);
            };
            (void)pipeline::write_messages(config, messages);
            ::_exit(0);
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == 9);
    }

    std::vector<fs::path> spooled(std::string const& suffix)
    {
        std::vector<fs::path> found;
        for (auto const& entry : fs::directory_iterator(config.state_directory / "spool" / "example-agency"))
            if (entry.path().filename().string().ends_with(suffix))
                found.push_back(entry.path());
        return found;
    }

    std::string decrypt(fs::path const& file)
    {
        auto identities = crypto::AgeIdentity::load_file(work / "keys" / "example-agency.age-identity.key").release_value();
        test::StringSink plain;
        auto decryptor = crypto::AgeDecryptor::create(identities, plain).release_value();
        REQUIRE(decryptor->write(test::read_text(file)).ok());
        REQUIRE(decryptor->finish().ok());
        return plain.text;
    }
};

std::int64_t unwritten_count(Example& example)
{
    auto ledger = example.open_ledger();
    store::LifecycleMessages messages(*ledger);
    return static_cast<std::int64_t>(messages.unwritten("example-agency").release_value().size());
}

} // namespace

TEST_CASE("messages: place writes the update and the hold encrypted, byte for byte, once")
{
    Example example;
    example.place_then_change();
    CHECK(unwritten_count(example) == 0);

    auto ledger = example.open_ledger();
    store::LifecycleMessages messages(*ledger);
    auto const told = messages.of_account("FTA-100001").release_value();
    REQUIRE(told.size() == 2);
    REQUIRE(told[0].agency == "example-agency");
    CHECK(told[0].batch != 0);
    CHECK(told[1].batch != 0);
    CHECK(told[0].batch != told[1].batch);  // a file per layout

    auto const key = crypto::PseudonymKey::load(example.work / "keys" / "example-agency.pseudonym.key").release_value();
    std::string customer;
    key.append_pseudonym(customer, "person_ref", told[0].person_ref);
    auto const updates = example.spooled("example-updates.csv.age");
    REQUIRE(updates.size() == 1);
    CHECK(updates[0].filename() == "20261124-example-updates.csv.age");
    auto const& update = told[1];
    CHECK(example.decrypt(updates[0])
        == "reference,customer,transaction_ref,processed_at,change_pence\n" + update.pseudonym + "," + customer + "," + update.transaction_ref
            + "," + update.notice_received_at + ",-10000\n");
    auto const notices = example.spooled("example-notices.csv.age");
    REQUIRE(notices.size() == 1);
    auto const& hold = told[0];
    CHECK(example.decrypt(notices[0])
        == "reference,customer,action,reason,until,processed_at\n" + hold.pseudonym + "," + customer + ",hold,DSP,," + hold.notice_received_at + "\n");
    // No plaintext in the spool: every file there is age.
    for (auto const& entry : fs::directory_iterator(example.config.state_directory / "spool" / "example-agency"))
        CHECK(entry.path().extension() == ".age");

    auto const again = example.write();
    CHECK(again.files.empty());
    CHECK(again.run == 0);
    CHECK(example.spooled(".csv.age").size() == 3);  // the placement file and the two message files
}

TEST_CASE("messages: killed before the commit, the file is discarded and written again once")
{
    Example example;
    example.options.record_audit = false;  // place records the messages, the test writes them
    example.place_then_change();
    REQUIRE(unwritten_count(example) == 2);
    example.write_killed_at("written");
    CHECK(unwritten_count(example) == 2);
    auto const rerun = example.write();
    REQUIRE(rerun.recovered.size() >= 1);
    CHECK(rerun.recovered[0].find("discarded unfinished file") != std::string::npos);
    CHECK(rerun.messages_written() == 2);
    CHECK(unwritten_count(example) == 0);
    CHECK(example.spooled("example-updates.csv.age").size() == 1);
    CHECK(example.spooled("example-notices.csv.age").size() == 1);
    CHECK(example.write().files.empty());
}

TEST_CASE("messages: killed after the commit, recovery publishes the file and nothing is written twice")
{
    Example example;
    example.options.record_audit = false;
    example.place_then_change();
    example.write_killed_at("committed");
    CHECK(unwritten_count(example) == 1);  // the first file's message is recorded as written
    auto const rerun = example.write();
    REQUIRE(rerun.recovered.size() >= 1);
    CHECK(rerun.recovered[0].find("finished publishing") != std::string::npos);
    CHECK(rerun.messages_written() == 1);
    CHECK(unwritten_count(example) == 0);
    CHECK(example.spooled("example-updates.csv.age").size() == 1);
    CHECK(example.spooled("example-notices.csv.age").size() == 1);
}
