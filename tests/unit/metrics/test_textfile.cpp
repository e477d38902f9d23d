#include "gateway/metrics/textfile.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace dcagw;
using metrics::MetricType;
namespace fs = std::filesystem;

TEST_CASE("families carry HELP and TYPE once, then their samples with labels")
{
    metrics::TextfileWriter writer;
    REQUIRE(writer.family("dcagw_files_sent_total", MetricType::Counter, "Files delivered to each agency.").ok());
    REQUIRE(writer.sample("dcagw_files_sent_total", { { "agency", "ophelos" } }, 12).ok());
    REQUIRE(writer.sample("dcagw_files_sent_total", { { "agency", "indebted" } }, 0).ok());
    REQUIRE(writer.family("dcagw_suspense_value_pence", MetricType::Gauge, "Money in suspense, in pence.").ok());
    REQUIRE(writer.sample("dcagw_suspense_value_pence", {}, 12'345).ok());
    CHECK(writer.text()
        == "# HELP dcagw_files_sent_total Files delivered to each agency.\n"
           "# TYPE dcagw_files_sent_total counter\n"
           "dcagw_files_sent_total{agency=\"ophelos\"} 12\n"
           "dcagw_files_sent_total{agency=\"indebted\"} 0\n"
           "# HELP dcagw_suspense_value_pence Money in suspense, in pence.\n"
           "# TYPE dcagw_suspense_value_pence gauge\n"
           "dcagw_suspense_value_pence 12345\n");
}

TEST_CASE("label values and help text are escaped as the format requires")
{
    metrics::TextfileWriter writer;
    REQUIRE(writer.family("dcagw_failures_total", MetricType::Counter, "A \\ help\nline").ok());
    REQUIRE(writer.sample("dcagw_failures_total", { { "agency", "a\"b\\c\nd" }, { "job", "send" } }, 3).ok());
    CHECK(writer.text()
        == "# HELP dcagw_failures_total A \\\\ help\\nline\n"
           "# TYPE dcagw_failures_total counter\n"
           "dcagw_failures_total{agency=\"a\\\"b\\\\c\\nd\",job=\"send\"} 3\n");
}

TEST_CASE("names the format does not allow, and samples outside their family, are refused")
{
    metrics::TextfileWriter writer;
    CHECK(writer.family("9lives", MetricType::Gauge, "").is_error());
    CHECK(writer.family("__reserved", MetricType::Gauge, "").is_error());
    CHECK(writer.family("has-dash", MetricType::Gauge, "").is_error());
    REQUIRE(writer.family("dcagw:queue_depth", MetricType::Gauge, "Queue depth.").ok());
    CHECK(writer.family("dcagw:queue_depth", MetricType::Gauge, "again").is_error());
    CHECK(writer.sample("dcagw_other", {}, 1).is_error());
    CHECK(writer.sample("dcagw:queue_depth", { { "bad:label", "x" } }, 1).is_error());
}

TEST_CASE("the textfile is published whole, readable by the exporter, replacing the last one")
{
    auto const folder = fs::temp_directory_path() / ("dcagw-test-metrics-" + std::to_string(::getpid()));
    fs::remove_all(folder);
    fs::create_directories(folder);
    auto const path = folder / "dcagw.prom";
    REQUIRE(metrics::publish_textfile(path, "first 1\n").ok());
    REQUIRE(metrics::publish_textfile(path, "second 2\n").ok());
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "second 2\n");
    struct stat status {};
    REQUIRE(::stat(path.c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0644);
    std::size_t files = 0;
    for ([[maybe_unused]] auto const& entry : fs::directory_iterator(folder))
        ++files;
    CHECK(files == 1); // no temporary left behind
    fs::remove_all(folder);
}
