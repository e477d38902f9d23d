// generate_cases: writes N synthetic cases in the canonical export's CSV form, for the
// benchmarks. Deterministic for a given seed, so runs are comparable. About 80% of the
// cases are placeable; the rest exercise each exclusion and a few validation failures,
// so the benchmark pays for every path a real export takes.
//
// Usage: generate_cases N OUT.csv [SEED [day2]]
// "day2" writes the next day's export of the same cases (the same rows from the same seed),
// except that about 5% of the balances go down by a payment and about 1% of the cases gain
// a standard breathing space: what the lifecycle comparison benchmark re-places
// (bench/run_lifecycle_bench.sh).
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

struct Random {
    std::uint64_t state;
    std::uint64_t next()
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
    std::uint64_t below(std::uint64_t limit) { return next() % limit; }
};

char const* const first_names[] = { "Siân", "Llŷr", "Éowyn", "John", "Mary", "Aisha", "Tomasz", "Chloé", "Rhys", "Gareth", "Olu", "Zoë" };
char const* const last_names[] = { "Evans", "Jones", "O'Brien", "Smith", "Williams", "Nowak", "Davies", "Ahmed", "Brown", "Taylor-Wood" };
char const* const towns[] = { "Cardiff", "Swansea", "Leeds", "York", "Bangor", "Hull", "Bath", "Derby" };
char const* const debt_types[] = { "FTA", "FTA", "FTA", "RECHARGE", "SUNDRY", "GARAGE", "SERVICE_CHARGE", "COURT_COSTS" };

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s N OUT.csv [SEED]\n", argv[0]);
        return 2;
    }
    std::uint64_t const count = std::strtoull(argv[1], nullptr, 10);
    std::FILE* out = std::fopen(argv[2], "wb");
    if (!out) {
        std::perror(argv[2]);
        return 1;
    }
    static char buffer[1 << 20];
    std::setvbuf(out, buffer, _IOFBF, sizeof buffer);
    Random random { argc > 3 ? std::strtoull(argv[3], nullptr, 10) | 1 : 0x9e3779b97f4a7c15ull };
    bool const day2 = argc > 4 && std::string(argv[4]) == "day2";
    Random changes { 0xd1b54a32d192ed03ull }; // a separate stream, so day 2's rows match day 1's
    std::fputs("account_ref,person_ref,party_role,debt_type,balance_pence,principal_pence,charges_pence,due_date,title,first_name,"
               "middle_names,last_name,date_of_birth,ni_number,phone_home,phone_mobile,email,address_line1,address_line2,address_line3,"
               "town,county,postcode,country,forwarding_line1,forwarding_postcode,tenancy_ref,tenancy_start,tenancy_end,"
               "termination_reason,last_payment_date,last_payment_pence,last_acknowledgement_date,liability_order_date,vulnerable,"
               "vulnerability_code,vulnerability_notes,breathing_space,breathing_space_start,breathing_space_end,deceased,date_of_death,"
               "insolvency,insolvency_date,dispute,complaint_open,mental_capacity_concern,officer,notes\n",
        out);
    for (std::uint64_t i = 0; i < count; ++i) {
        auto const roll = random.below(100);
        long long balance = 2500 + static_cast<long long>(random.below(500000));
        char const* breathing_space = "NONE";
        char const* breathing_start = "";
        char const* deceased = "N";
        char const* insolvency = "NONE";
        char const* dispute = "N";
        char const* vulnerable = "N";
        char const* vulnerability_code = "";
        int due_year = 2021 + static_cast<int>(random.below(5));
        if (roll == 0) {
            breathing_space = "STANDARD";
            breathing_start = "2026-11-01";
        } else if (roll == 1) {
            deceased = "Y";
        } else if (roll == 2) {
            insolvency = "IVA";
        } else if (roll == 3) {
            dispute = "Y";
        } else if (roll == 4) {
            balance = -static_cast<long long>(random.below(5000));
        } else if (roll == 5) {
            due_year = 2012;
        } else if (roll >= 6 && roll < 9) {
            vulnerable = "Y";
            vulnerability_code = "VUL-GEN";
        }
        bool const invalid_date = roll == 99 && random.below(10) == 0;
        if (day2) {
            auto const change = changes.below(100);
            if (change < 5 && balance > 100)
                balance -= 1 + static_cast<long long>(changes.below(static_cast<std::uint64_t>(balance - 1)));
            else if (change == 5) {
                breathing_space = "STANDARD";
                breathing_start = "2026-11-23";
            }
        }
        std::fprintf(out,
            "ACC-%08" PRIu64 ",PER-%08" PRIu64 ",lead,%s,%lld,%lld,0,%d-%02d-%02d,Mx,%s,,%s,%d-%02d-%02d,,,07700%06" PRIu64 ",person%" PRIu64
            "@example.org,\"%" PRIu64 ", High Street\",Flat %d,,%s,,CF%d %dAB,GB,,,TEN-%08" PRIu64 ",2018-01-01,2022-12-31,Ended,,,,,"
            "%s,%s,,%s,%s,,%s,,%s,,%s,N,N,OFFICER%d,Internal note %" PRIu64 "\n",
            i, i, debt_types[random.below(8)], balance, balance > 0 ? balance : 0LL, due_year, 1 + static_cast<int>(random.below(12)),
            invalid_date ? 30 : 1 + static_cast<int>(random.below(28)), first_names[random.below(12)], last_names[random.below(10)],
            1940 + static_cast<int>(random.below(60)), 1 + static_cast<int>(random.below(12)), 1 + static_cast<int>(random.below(28)),
            i % 1000000, i, 1 + i % 200, 1 + static_cast<int>(random.below(9)), towns[random.below(8)], 1 + static_cast<int>(random.below(24)),
            static_cast<int>(random.below(10)), i, vulnerable, vulnerability_code, breathing_space, breathing_start, deceased, insolvency,
            dispute, static_cast<int>(random.below(20)), i);
    }
    std::fclose(out);
    return 0;
}
