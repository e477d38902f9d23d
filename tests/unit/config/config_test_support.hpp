// Shared by the configuration tests: an installation folder (conf/gateway.json naming
// keys and mappings by relative paths, key files owner-only as the gateway demands), a
// valid configuration to start from, and checks of the problems check_config reports.
#pragma once

#include "gateway/config/config_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace dcagw::test {

using dcagw::config::ConfigProblem;
namespace fs = std::filesystem;

inline constexpr char const* recipient_one = "age1cdwe87mtl8y3ejxzpskgajrznec9qn805lrq8al6434qkghyzatqrhajka";
inline constexpr char const* recipient_two = "age186htxqu2vfxge0r4l5wr3n5dt8k29x7uyx59rhpw6098d6f8spcsk77du0";

inline void write_file(fs::path const& path, std::string const& text, fs::perms mode = fs::perms::owner_read | fs::perms::owner_write)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    fs::permissions(path, mode);
}

inline std::string replaced(std::string text, std::string const& from, std::string const& to)
{
    auto const position = text.find(from);
    REQUIRE(position != std::string::npos);
    text.replace(position, from.size(), to);
    return text;
}

inline std::string describe(std::vector<ConfigProblem> const& problems)
{
    std::string text;
    for (auto const& problem : problems)
        text += dcagw::config::to_text(problem) + "\n";
    return text;
}

// A folder laid out like an installation: conf/gateway.json names keys and mappings by
// paths relative to conf/. Key files are created owner-only, as the gateway demands.
class Installation {
public:
    Installation()
    {
        static int counter = 0;
        m_root = fs::temp_directory_path() / ("dcagw-test-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(m_root);
        write_file(m_root / "keys/ophelos.pseudonym", "not read by the config check\n");
        write_file(m_root / "keys/indebted.pseudonym", "not read by the config check\n");
        write_file(m_root / "keys/creditor.signing", "not read by the config check\n");
        write_file(m_root / "keys/indebted.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
        write_file(m_root / "keys/ophelos.recipients", std::string("# Ophelos\n\n") + recipient_two + "\n", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
        write_file(m_root / "mappings/ophelos.json", mapping_for("ophelos"));
        write_file(m_root / "mappings/indebted.json", mapping_for("indebted"));
    }
    ~Installation() { fs::remove_all(m_root); }

    static std::string mapping_for(std::string const& agency)
    {
        return R"({"agency": ")" + agency + R"(", "format": "csv", "file_name_pattern": "{date}-placement.csv",
            "columns": [{"name": "account_number", "transform": "pseudonym", "sources": ["account_ref"]},
                        {"name": "balance_total", "transform": "pence_to_pounds", "source": "balance_pence"}]})";
    }

    static std::string valid_config()
    {
        return std::string(R"({
  "state_directory": "state",
  "input": "../data/cases.csv",
  "input_format": "csv",
  "limits": {"max_file_bytes": 1000000, "max_record_bytes": 4096, "max_fields": 60, "max_field_bytes": 512},
  "archive_recipients": [")") + recipient_one + R"("],
  "signing_key": "../keys/creditor.signing",
  "agencies": [
    {"id": "ophelos", "name": "Ophelos", "enabled": true, "mapping": "../mappings/ophelos.json",
     "pseudonym_key": "../keys/ophelos.pseudonym",
     "encryption": {"kind": "age", "age_recipients": [")" + recipient_one + R"("], "age_recipient_files": ["../keys/ophelos.recipients"]},
     "agreement": {"reference": "DSA-2026-014", "version": "1.2", "purpose": "Recovery of former tenant arrears", "lawful_basis": "Art 6(1)(e) public task"}},
    {"id": "indebted", "name": "InDebted", "enabled": false, "mapping": "../mappings/indebted.json",
     "pseudonym_key": "../keys/indebted.pseudonym",
     "encryption": {"kind": "openpgp", "pgp_public_key": "../keys/indebted.asc", "pgp_armor": false},
     "agreement": {"reference": "DSA-2026-020", "version": "1.0", "purpose": "Recovery of sundry debt", "lawful_basis": "Art 6(1)(b) contract"}}
  ]
})";
    }

    fs::path const& root() const { return m_root; }
    fs::path config_path() const { return m_root / "conf/gateway.json"; }

    std::vector<ConfigProblem> check(std::string const& config)
    {
        write_file(config_path(), config);
        return dcagw::config::check_config(config_path());
    }

private:
    fs::path m_root;
};

inline bool has_problem(std::vector<ConfigProblem> const& problems, std::string const& path, std::string const& reason_part)
{
    return std::any_of(problems.begin(), problems.end(), [&](ConfigProblem const& problem) {
        return problem.json_path == path && problem.reason.find(reason_part) != std::string::npos;
    });
}

// One problem expected: checks its file, path and reason.
inline void check_single_problem(std::vector<ConfigProblem> const& problems, std::string const& path, std::string const& reason_part)
{
    INFO(describe(problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].json_path == path);
    CHECK(problems[0].reason.find(reason_part) != std::string::npos);
}

} // namespace dcagw::test
