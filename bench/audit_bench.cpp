// The audit log benchmark (docs/performance.md): builds (once) a log of N entries straight
// through the audit API (a disclosure of S subjects every K entries, deliveries between),
// then times `audit verify` (verify_ledger) over all of it and subject queries
// (subject_shares) for references spread over the log.
// Usage: audit_bench STATE_DIR [ENTRIES=10000000] [SUBJECTS_PER_DISCLOSURE=10] [DISCLOSURE_EVERY=10]
#include "gateway/audit/journal.hpp"
#include "gateway/audit/queries.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/store/audit_log.hpp"

#include "bench_timing.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace dcagw;
using dcagw::bench::cpu_seconds;
using dcagw::bench::seconds_since;

namespace {

template<typename T>
T must(base::Result<T> result)
{
    if (result.is_error()) {
        std::fprintf(stderr, "audit_bench: %s\n", result.error().to_text().c_str());
        std::exit(1);
    }
    return result.release_value();
}

void must(base::Result<void> result)
{
    if (result.is_error()) {
        std::fprintf(stderr, "audit_bench: %s\n", result.error().to_text().c_str());
        std::exit(1);
    }
}

std::string account(std::int64_t list, std::int64_t index)
{
    return "ACC-" + std::to_string(list) + "-" + std::to_string(index);
}

void generate(store::Ledger& ledger, std::int64_t entries, std::int64_t per_disclosure, std::int64_t every)
{
    audit::Journal journal(ledger, "scheduler");
    auto subjects = must(audit::SubjectRecorder::open(ledger));
    auto const start = std::chrono::steady_clock::now();
    must(ledger.begin());
    std::string file;
    std::string agency;
    for (std::int64_t sequence = 1; sequence <= entries; ++sequence) {
        if ((sequence - 1) % every == 0) {
            for (std::int64_t i = 1; i <= per_disclosure; ++i)
                must(subjects->add(sequence, account(sequence, i), "PER-" + std::to_string(sequence) + "-" + std::to_string(i), "PSEUDONYM"));
            auto const [count, digest] = subjects->finish_list(sequence);
            audit::Disclosure disclosure;
            agency = "agency-" + std::to_string(sequence % 7);
            disclosure.agency = agency;
            disclosure.purpose = "Recovery of former tenant arrears and sundry debts";
            disclosure.lawful_basis = "UK GDPR Art. 6(1)(e) public task";
            disclosure.agreement_reference = "DSA-EXAMPLE-001";
            disclosure.agreement_version = "1.0";
            disclosure.fields = { "account_number", "customer_number", "balance_total", "first_name", "last_name", "dob", "address1", "postcode" };
            disclosure.record_count = count;
            file = "20261123-placement-" + std::to_string(sequence) + ".csv.age";
            disclosure.file_name = file;
            disclosure.plaintext_sha256 = std::string(64, 'b');
            disclosure.ciphertext_sha256 = std::string(64, 'c');
            disclosure.encryption = "age";
            disclosure.recipients = { "age1vsey2ds5hsm408znzsus42sz4lderfzpgk5y5h4unwxul7fx49vspnd6zk" };
            disclosure.subject_list = sequence;
            disclosure.subject_count = count;
            disclosure.subject_digest = digest;
            must(journal.record_disclosure(disclosure));
        } else {
            must(journal.record_delivery({ agency, file, std::string(64, 'c'), "sftp", "sftp.agency.example:/inbound",
                "accepted" }));
        }
        if (sequence % 200000 == 0) {
            must(subjects->flush());
            must(ledger.commit());
            must(ledger.begin());
            std::fprintf(stderr, "\r  %lld entries (%.0f s)", static_cast<long long>(sequence), seconds_since(start));
        }
    }
    must(subjects->flush());
    must(ledger.commit());
    std::fprintf(stderr, "\n");
    std::printf("generated %lld entries in %.1f s\n", static_cast<long long>(entries), seconds_since(start));
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: audit_bench STATE_DIR [ENTRIES] [SUBJECTS_PER_DISCLOSURE] [DISCLOSURE_EVERY]\n");
        return 2;
    }
    std::int64_t const entries = argc > 2 ? std::atoll(argv[2]) : 10'000'000;
    std::int64_t const per_disclosure = argc > 3 ? std::atoll(argv[3]) : 10;
    std::int64_t const every = argc > 4 ? std::atoll(argv[4]) : 10;
    auto ledger = must(store::Ledger::open(argv[1], store::OpenMode::Create));
    auto const head = must(ledger->audit().head());
    if (!head || head->first != entries) {
        if (head) {
            std::fprintf(stderr, "audit_bench: %s holds %lld entries, not %lld: use an empty folder\n", argv[1], static_cast<long long>(head->first),
                static_cast<long long>(entries));
            return 1;
        }
        generate(*ledger, entries, per_disclosure, every);
    }

    // Subject queries first, on a cold-ish cache (right after opening), then verify.
    ledger.reset();
    ledger = must(store::Ledger::open(argv[1], store::OpenMode::Create));
    double slowest = 0;
    for (std::int64_t list : { std::int64_t { 1 }, entries / 2 / every * every + 1, (entries - 1) / every * every + 1 }) {
        for (auto const& reference : { account(list, 1), "PER-" + std::to_string(list) + "-" + std::to_string(per_disclosure), std::string("NOBODY") }) {
            auto const start = std::chrono::steady_clock::now();
            auto const shares = must(audit::subject_shares(*ledger, reference));
            auto const took = seconds_since(start);
            slowest = std::max(slowest, took);
            std::printf("subject %-22s %zu share(s), %d delivery(ies): %.4f s\n", reference.c_str(), shares.size(),
                shares.empty() ? 0 : static_cast<int>(shares[0].file.deliveries.size()), took);
        }
    }
    std::printf("slowest subject query: %.4f s\n", slowest);

    auto const cpu = cpu_seconds();
    auto const start = std::chrono::steady_clock::now();
    auto const report = must(audit::verify_ledger(*ledger, {}));
    auto const took = seconds_since(start);
    auto const cpu_took = cpu_seconds() - cpu;
    std::printf("verify: %s, %lld entries, %lld subjects in %.2f s wall (%.2f s CPU): %.0f entries/s wall, %.0f entries/s CPU\n",
        report.ok() ? "ok" : "FAILED", static_cast<long long>(report.entries), static_cast<long long>(report.subjects), took, cpu_took,
        static_cast<double>(report.entries) / took, static_cast<double>(report.entries) / cpu_took);
    return report.ok() ? 0 : 1;
}
