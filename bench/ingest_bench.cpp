// The returns ingest benchmark (docs/performance.md, "Returns ingest"): 1,000,000 payment
// lines in 1,000 files against 1,000,000 placements, through the library path `dcagw
// ingest --agency A --file F` takes (ingest::ingest: the inbound envelope, the example
// agency's payment layout, ReturnApplier with matching, the exactly-once checks and one
// durable commit per file).
//
//   ingest_bench setup WORK [PLACEMENTS=1000000] [FILES=1000] [LINES=1000]
//       writes WORK/gateway.json (the example agency, returns envelope `none`, the example
//       contract), a ledger with PLACEMENTS placements (store::Ledger::add_placement, as a
//       placement run writes them, with the real pseudonyms of the agency's key) and FILES
//       payment files of LINES lines each under WORK/returns (lines in random placement
//       order; one line in 1,000 quotes a reference never placed: suspense).
//   ingest_bench run WORK [without-inbound-audit]
//       (without-inbound-audit: the per-subject audit of the data received left out, to
//       measure its cost; `dcagw ingest` always records it) ingests every file, one ingest::ingest call per file, and prints lines/s and peak
//       resident memory (VmHWM) at 25%, 50% and 100% of the lines; then ingests the first
//       ten files again (each must be already_applied) and checks the ledger's totals.
//
// Two processes, so that the run's peak memory is the ingest's alone.
#include "gateway/config/config_reader.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/ingest/ingest_run.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/returns.hpp"

#include "bench_timing.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace dcagw;
using dcagw::bench::cpu_seconds;
using dcagw::bench::seconds_since;

namespace {

constexpr char const* agency_id = "example-agency";
constexpr char const* today_text = "2026-12-07";

std::uint64_t spread(std::uint64_t value)
{
    value += 0x9E3779B97F4A7C15ULL;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
}

// Peak and current resident memory of this process, in KiB (/proc/self/status).
long status_kib(char const* field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    auto const length = std::string(field).size();
    while (std::getline(status, line))
        if (line.compare(0, length, field) == 0)
            return std::atol(line.c_str() + length + 1);
    return -1;
}

int fail(std::string const& what)
{
    std::fprintf(stderr, "ingest_bench: %s\n", what.c_str());
    return 1;
}

void write_config(std::filesystem::path const& work)
{
    std::filesystem::path const source = DCAGW_SOURCE_DIR;
    std::filesystem::create_directories(work / "keys");
    std::filesystem::copy_file(source / "keys-example/example-agency.pseudonym.key", work / "keys/example-agency.pseudonym.key",
        std::filesystem::copy_options::overwrite_existing);
    std::filesystem::permissions(work / "keys/example-agency.pseudonym.key", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::ifstream recipient_file(source / "keys-example/example-agency.age-recipient.txt");
    std::string recipient;
    std::getline(recipient_file, recipient);
    std::ofstream config(work / "gateway.json");
    config << R"({ "state_directory": "state", "input": "cases.csv", "archive_recipients": [")" << recipient << R"("],
  "agencies": [ { "id": "example-agency", "name": "Example", "mapping": ")" << (source / "mappings/example-agency.json").string() << R"(",
    "pseudonym_key": "keys/example-agency.pseudonym.key",
    "encryption": { "kind": "age", "age_recipients": [")" << recipient << R"("] },
    "agreement": { "reference": "BENCH", "version": "1", "purpose": "benchmark", "lawful_basis": "benchmark" },
    "contract": { "commission": [ { "placement_number": 1, "basis_points": 2500 } ], "vat_basis_points": 2000,
      "commission_on_direct_payments": true, "remittance_basis": "net", "payout_due_days": 14 },
    "returns": { "encryption": "none", "require_signature": false } } ] }
)";
}

int setup(std::filesystem::path const& work, long placements, long files, long lines)
{
    std::filesystem::remove_all(work / "state");
    std::filesystem::remove_all(work / "returns");
    write_config(work);
    auto const key = crypto::PseudonymKey::load(work / "keys/example-agency.pseudonym.key");
    if (key.is_error())
        return fail(key.error().to_text());
    auto opened = store::Ledger::open(work / "state", store::OpenMode::Create);
    if (opened.is_error())
        return fail(opened.error().to_text());
    auto& ledger = *opened.value();
    auto const start = std::chrono::steady_clock::now();
    auto placed = [&]() -> base::Result<void> {
        auto const run = TRY(ledger.begin_run("place", "cases.csv", "2026-11-23"));
        store::Batch batch;
        batch.run = run;
        batch.agency = agency_id;
        batch.file_name = "20261123-placements.csv.age";
        batch.temporary_path = "spool/example-agency/.tmp";
        batch.final_path = "spool/example-agency/20261123-placements.csv.age";
        batch.file_date = "20261123";
        batch.sequence = TRY(ledger.next_sequence(agency_id, "20261123"));
        auto const batch_id = TRY(ledger.create_batch(batch));
        auto const field_set = TRY(ledger.intern_field_set({ "account_ref", "balance_pence" }));
        TRY(ledger.begin());
        char account[32];
        char person[32];
        std::string pseudonym;
        for (long index = 0; index < placements; ++index) {
            std::snprintf(account, sizeof account, "HA%08ld", index);
            std::snprintf(person, sizeof person, "PER%07ld", index);
            pseudonym.clear();
            key.value().append_pseudonym(pseudonym, "account_ref", account);
            store::PlacementRow row;
            row.run = run;
            row.batch = batch_id;
            row.agency = agency_id;
            row.account_ref = account;
            row.person_ref = person;
            row.pseudonym = pseudonym;
            row.debt_type = "FTA";
            row.balance_pence = 1'000'000;
            row.field_set = field_set;
            TRY(ledger.add_placement(row));
        }
        TRY(ledger.commit());
        return ledger.finish_run(run, "succeeded", "{}");
    }();
    if (placed.is_error())
        return fail(placed.error().to_text());
    std::printf("setup: %ld placements in %.2f s\n", placements, seconds_since(start));
    // The payment files: the example agency's payment layout, amounts in pounds.
    std::filesystem::create_directories(work / "returns");
    std::string account_pseudonym;
    std::string person_pseudonym;
    long payment = 0;
    for (long file = 0; file < files; ++file) {
        char name[64];
        std::snprintf(name, sizeof name, "%08ld-payments.csv", file + 1);
        std::FILE* out = std::fopen((work / "returns" / name).c_str(), "w");
        if (out == nullptr)
            return fail(std::string("cannot write ") + name);
        std::fputs("payment_id,account_number,customer_number,amount,paid_on,paid_at\n", out);
        for (long line = 0; line < lines; ++line, ++payment) {
            auto const target = static_cast<long>(spread(static_cast<std::uint64_t>(payment)) % static_cast<std::uint64_t>(placements));
            char account[32];
            char person[32];
            std::snprintf(account, sizeof account, "HA%08ld", target);
            std::snprintf(person, sizeof person, "PER%07ld", target);
            account_pseudonym.clear();
            person_pseudonym.clear();
            // One line in 1,000 quotes a reference never placed (it goes to suspense).
            key.value().append_pseudonym(account_pseudonym, "account_ref", payment % 1000 == 999 ? std::string("NEVER") + account : std::string(account));
            key.value().append_pseudonym(person_pseudonym, "person_ref", person);
            auto const pence = 100 + static_cast<long>(spread(static_cast<std::uint64_t>(payment) + 7) % 9900);
            std::fprintf(out, "PAY-%09ld,%s,%s,%ld.%02ld,2026-12-%02ld,\n", payment, account_pseudonym.c_str(), person_pseudonym.c_str(), pence / 100, pence % 100,
                1 + file % 6);
        }
        std::fclose(out);
    }
    std::printf("setup: %ld payment files of %ld lines in %s\n", files, lines, (work / "returns").c_str());
    return 0;
}

struct Checkpoint {
    long lines { 0 };
    double seconds { 0 };
    double cpu { 0 };
};

int run(std::filesystem::path const& work, bool record_received)
{
    auto config = config::load_config(work / "gateway.json");
    if (config.is_error())
        return fail(config.error().to_text());
    std::vector<std::filesystem::path> files;
    for (auto const& entry : std::filesystem::directory_iterator(work / "returns"))
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    auto opened = store::Ledger::open(config.value().state_directory, store::OpenMode::MustExist);
    if (opened.is_error())
        return fail(opened.error().to_text());
    auto& ledger = *opened.value();
    ingest::IngestOptions options;
    options.agency = agency_id;
    options.today = *base::Date::parse(today_text);
    options.actor = "benchmark";
    options.record_received = record_received;
    std::printf("before the first file: VmHWM %ld KiB, VmRSS %ld KiB\n", status_kib("VmHWM:"), status_kib("VmRSS:"));
    long lines = 0;
    long applied = 0;
    long suspense = 0;
    std::int64_t gross = 0;
    Checkpoint previous;
    auto const cpu_start = cpu_seconds();
    auto const start = std::chrono::steady_clock::now();
    double first_file = 0;
    for (std::size_t index = 0; index < files.size(); ++index) {
        options.file = files[index];
        auto const summary = ingest::ingest(ledger, config.value(), options);
        if (summary.is_error())
            return fail(summary.error().to_text());
        for (auto const& file : summary.value().files) {
            if (file.outcome != ingest::IngestOutcome::Applied)
                return fail(file.file_name + ": " + std::string(ingest::to_string(file.outcome)) + " " + file.reason);
            lines += file.summary.counts.lines;
            applied += file.summary.counts.applied;
            suspense += file.summary.counts.suspense;
            gross += file.summary.payments.gross_pence;
        }
        if (index == 0)
            first_file = seconds_since(start);
        auto const done = index + 1;
        if (done == files.size() / 4 || done == files.size() / 2 || done == files.size()) {
            Checkpoint const now { lines, seconds_since(start), cpu_seconds() - cpu_start };
            std::printf("%3zu%% %8ld lines: %7.2f s wall (%7.2f s CPU): %8.0f lines/s overall, %8.0f lines/s since the last mark;"
                        " VmHWM %ld KiB, VmRSS %ld KiB\n",
                done * 100 / files.size(), lines, now.seconds, now.cpu, lines / now.seconds, (now.lines - previous.lines) / (now.seconds - previous.seconds),
                status_kib("VmHWM:"), status_kib("VmRSS:"));
            previous = now;
        }
    }
    std::printf("first file (includes the pseudonym index catch-up over every placement): %.2f s; the rest: %.0f lines/s\n", first_file,
        (lines - (files.empty() ? 0 : lines / static_cast<long>(files.size()))) / (previous.seconds - first_file));
    std::printf("lines %ld, applied %ld, suspense %ld, gross %lld pence\n", lines, applied, suspense, static_cast<long long>(gross));
    // Exactly once: the same files again are already applied, nothing is added.
    long again = 0;
    for (std::size_t index = 0; index < files.size() && index < 10; ++index) {
        options.file = files[index];
        auto const summary = ingest::ingest(ledger, config.value(), options);
        if (summary.is_error())
            return fail(summary.error().to_text());
        for (auto const& file : summary.value().files)
            again += file.outcome == ingest::IngestOutcome::AlreadyApplied ? 1 : 0;
    }
    store::Returns returns(ledger);
    long stored = 0;
    std::int64_t stored_gross = 0;
    auto const listed = returns.for_each_payment({}, [&](store::MoneyRecord const& record) {
        ++stored;
        stored_gross += record.split.gross_pence;
    });
    if (listed.is_error())
        return fail(listed.error().to_text());
    std::printf("check: %ld of %zu files already_applied on a second ingest; %ld payments stored (%lld pence), %s\n", again, std::min<std::size_t>(files.size(), 10),
        stored, static_cast<long long>(stored_gross), stored == applied && stored_gross == gross ? "as applied" : "MISMATCH");
    return stored == applied && stored_gross == gross && again == static_cast<long>(std::min<std::size_t>(files.size(), 10)) ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: ingest_bench setup WORK [PLACEMENTS FILES LINES] | run WORK [without-inbound-audit]\n");
        return 2;
    }
    std::string const mode = argv[1];
    std::filesystem::path const work = std::filesystem::absolute(argv[2]);
    if (mode == "setup")
        return setup(work, argc > 3 ? std::atol(argv[3]) : 1'000'000, argc > 4 ? std::atol(argv[4]) : 1000, argc > 5 ? std::atol(argv[5]) : 1000);
    if (mode == "run" && (argc < 4 || std::string_view(argv[3]) == "without-inbound-audit"))
        return run(work, argc < 4);
    std::fprintf(stderr, "ingest_bench: unknown mode %s\n", mode.c_str());
    return 2;
}
