// base/file's write loop and folder fsync, and base/enum_names' lookups.
#include "gateway/base/enum_names.hpp"
#include "gateway/base/file.hpp"

#include "tests/support/temporary_folder.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <fcntl.h>
#include <unistd.h>

using namespace dcagw;

namespace {

std::string read_all(std::filesystem::path const& path)
{
    std::ifstream stream(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>() };
}

enum class Colour { Red, Green, Blue };
constexpr base::EnumNames<Colour, 3> colour_names { { {
    { Colour::Red, "red" },
    { Colour::Green, "green" },
    { Colour::Blue, "blue" },
} } };

// Listed out of order: the lookup must not rely on the index.
enum class Sparse { A = 1, B = 7 };
constexpr base::EnumNames<Sparse, 2> sparse_names { { { { Sparse::B, "b" }, { Sparse::A, "a" } } } };

} // namespace

TEST_CASE("enum names: both ways, exact, and unknown for the unlisted", "[base][enum_names]")
{
    static_assert(colour_names.name(Colour::Green) == "green");
    static_assert(colour_names.parse("blue") == Colour::Blue);
    for (auto const& entry : colour_names.entries())
        CHECK(colour_names.parse(colour_names.name(entry.value)) == entry.value);
    CHECK_FALSE(colour_names.parse("Red").has_value());
    CHECK_FALSE(colour_names.parse("").has_value());
    CHECK(colour_names.name(static_cast<Colour>(9)) == "unknown");
    CHECK(sparse_names.name(Sparse::A) == "a");
    CHECK(sparse_names.name(Sparse::B) == "b");
    CHECK(sparse_names.parse("b") == Sparse::B);
}

TEST_CASE("sync_directory returns the error instead of ignoring it", "[base][file]")
{
    test::TemporaryFolder folder("base-file");
    CHECK(base::sync_directory(folder.path()).ok());
    auto const missing = base::sync_directory(folder / "missing");
    REQUIRE(missing.is_error());
    CHECK(missing.error().code() == base::ErrorCode::FileWriteFailed);
    // procfs refuses fsync on a folder (EINVAL): the failure of the fsync itself.
    auto const refused = base::sync_directory("/proc/self");
    REQUIRE(refused.is_error());
    CHECK(refused.error().message().find("fsync") != std::string::npos);
}

TEST_CASE("the one write loop writes everything, through both sinks", "[base][file]")
{
    test::TemporaryFolder folder("base-file");
    std::string content;
    for (std::size_t index = 0; index < (3u << 20) + 17; ++index)
        content.push_back(static_cast<char>('a' + index % 26));

    auto file = base::AtomicFile::create(folder / "out.bin");
    REQUIRE(file.ok());
    auto atomic = file.release_value();
    REQUIRE(atomic.write(std::string_view(content).substr(0, 100)).ok());
    REQUIRE(atomic.write(std::string_view(content).substr(100)).ok());
    REQUIRE(atomic.commit().ok());
    CHECK(read_all(folder / "out.bin") == content);

    auto const path = folder / "through-descriptor.bin";
    int const descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    REQUIRE(descriptor >= 0);
    {
        base::DescriptorSink sink(descriptor);
        REQUIRE(sink.write(content).ok());
        REQUIRE(sink.finish().ok());
    }
    ::close(descriptor);
    CHECK(read_all(path) == content);

    // A write that fails is reported, with the reason.
    base::DescriptorSink closed(-1);
    REQUIRE(closed.write(content).is_error());
}
