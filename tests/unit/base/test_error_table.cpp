// The error catalogue's one table (base/error.cpp) and what is derived from it.
#include "gateway/base/error.hpp"
#include "gateway/base/result.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <string>

using namespace dcagw::base;

namespace {

struct DocumentedKind {
    int exit_code { 0 };
    std::string retry;
    std::string named_first;
};

// The "Error kinds" table of docs/cli.md: | `name` | exit | retry | named first |.
std::map<std::string, DocumentedKind> documented_kinds()
{
    std::ifstream file(DCAGW_SOURCE_DIR "/docs/cli.md");
    REQUIRE(file);
    std::map<std::string, DocumentedKind> kinds;
    std::string line;
    bool in_section = false;
    while (std::getline(file, line)) {
        if (line.starts_with("### "))
            in_section = line == "### Error kinds";
        if (!in_section || !line.starts_with("| `"))
            continue;
        std::vector<std::string> cells;
        std::size_t start = 1;
        for (auto bar = line.find('|', start); bar != std::string::npos; bar = line.find('|', start)) {
            auto cell = line.substr(start, bar - start);
            cell.erase(0, cell.find_first_not_of(' '));
            cell.erase(cell.find_last_not_of(' ') + 1);
            cells.push_back(cell);
            start = bar + 1;
        }
        REQUIRE(cells.size() == 4);
        auto const name = cells[0].substr(1, cells[0].size() - 2);
        CHECK_FALSE(kinds.contains(name));
        kinds[name] = DocumentedKind { std::stoi(cells[1]), cells[2], cells[3] };
    }
    return kinds;
}

} // namespace

TEST_CASE("every error code has exactly one row, in the enum's order")
{
    auto const kinds = error_kinds();
    REQUIRE(kinds.size() == error_code_count);
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        CHECK(static_cast<std::size_t>(kinds[i].code) == i);
        CHECK(&kind_of(kinds[i].code) == &kinds[i]);
        CHECK_FALSE(kinds[i].name.empty());
    }
}

TEST_CASE("error names are unique and exit codes are 1, 2 or 3")
{
    std::set<std::string_view> names;
    for (auto const& kind : error_kinds()) {
        CHECK(names.insert(kind.name).second);
        auto const exit = static_cast<int>(kind.exit_code);
        CHECK((exit >= 1 && exit <= 3));
        CHECK(exit_code_for(kind.code) == exit);
        CHECK(to_string(kind.code) == kind.name);
    }
}

TEST_CASE("docs/cli.md lists every error kind with the table's exit code, retry and naming")
{
    auto const documented = documented_kinds();
    CHECK(documented.size() == error_code_count);
    for (auto const& kind : error_kinds()) {
        INFO(kind.name);
        auto const found = documented.find(std::string(kind.name));
        REQUIRE(found != documented.end());
        CHECK(found->second.exit_code == static_cast<int>(kind.exit_code));
        CHECK(found->second.retry == (kind.retry == Retry::Transient ? "transient" : "permanent"));
        CHECK(found->second.named_first == (kind.naming == Naming::KindFirst ? "yes" : "no"));
    }
}

TEST_CASE("the names, exit codes and hints the CLI's tests rely on stay as they are")
{
    CHECK(to_string(ErrorCode::NoMatchingIdentity) == "no match");
    CHECK(to_string(ErrorCode::SignatureInvalid) == "signature invalid");
    CHECK(to_string(ErrorCode::HeaderMacMismatch) == "HMAC failure");
    CHECK(exit_code_for(ErrorCode::Usage) == 2);
    CHECK(exit_code_for(ErrorCode::AlreadyExists) == 2);
    CHECK(exit_code_for(ErrorCode::PermissionsTooOpen) == 2);
    CHECK(exit_code_for(ErrorCode::KeyInvalid) == 2);
    CHECK(exit_code_for(ErrorCode::PayloadCorrupt) == 1);
    CHECK(exit_code_for(ErrorCode::AuditChainBroken) == 1);
    CHECK(exit_code_for(ErrorCode::StoreFailure) == 3);
    CHECK(exit_code_for(ErrorCode::Internal) == 3);
    CHECK(make_error(ErrorCode::ConfigInvalid, "x").hint() == "run `dcagw config check --config FILE` to list every problem");
    CHECK(make_error(ErrorCode::NoMatchingIdentity, "x").hint() == "the file was not encrypted to any of the identities given");
    CHECK(make_error(ErrorCode::FileNotFound, "x").hint().empty());
}

TEST_CASE("only a dropped connection or an incomplete transfer is transient")
{
    std::set<ErrorCode> transient;
    for (auto const& kind : error_kinds())
        if (is_transient(kind.code))
            transient.insert(kind.code);
    CHECK(transient == std::set<ErrorCode> { ErrorCode::TransportFailure, ErrorCode::TransferIncomplete });
}

TEST_CASE("an error's own hint replaces its kind's, and context keeps the outermost first")
{
    auto error = make_error(ErrorCode::ConfigInvalid, "bad").with_hint("try this");
    CHECK(error.hint() == "try this");
    error.add_context("line 3");
    error.add_context("reading x");
    CHECK(error.to_text() == "reading x: line 3: bad");
}
