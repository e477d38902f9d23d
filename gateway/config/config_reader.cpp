// The top level of the configuration (see config_reader.hpp): the creditor's own settings
// (state directory, input, limits, archive recipients, signing keys, audit), the list of
// problems and its text. Each agency is read by config_agency.cpp, its transport by
// config_transport.cpp; this file must never read an agency's settings itself.
#include "gateway/config/config_reader.hpp"

#include "gateway/base/file.hpp"
#include "gateway/config/config_agency.hpp"
#include "gateway/config/config_transport.hpp"
#include "gateway/config/mapping_reader_json.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>

namespace dcagw::config {

namespace {

using detail::Json;
using detail::ObjectReader;
using detail::Presence;
using detail::ProblemSink;

constexpr std::array<std::string_view, 14> config_keys { "$schema", "state_directory", "input", "input_format", "limits", "archive_recipients", "signing_key", "signing_public_key", "pgp_signing_key", "pgp_passphrase_file", "agencies", "description", "audit", "vanished" };
constexpr std::array<std::string_view, 2> audit_keys { "checkpoint_file", "creditor_retention_days" };
constexpr std::array<std::string_view, 1> vanished_keys { "max_share_percent" };
constexpr std::array<std::string_view, 4> limit_keys { "max_file_bytes", "max_record_bytes", "max_fields", "max_field_bytes" };
constexpr std::array<std::string_view, 4> input_format_names { "auto", "csv", "jsonl", "xml" };

std::filesystem::path config_folder(std::filesystem::path const& config_file)
{
    std::error_code error;
    auto absolute = std::filesystem::absolute(config_file, error);
    if (error)
        absolute = config_file;
    auto folder = absolute.lexically_normal().parent_path();
    return folder.empty() ? std::filesystem::path(".") : folder;
}

class ConfigChecker {
public:
    ConfigChecker(std::filesystem::path const& config_file, std::vector<ConfigProblem>& problems)
        : m_folder(config_folder(config_file))
        , m_problems(problems)
        , m_sink(config_file.string(), problems)
    {
        m_config.config_file = (m_folder / config_file.filename()).lexically_normal();
    }

    model::GatewayConfig take() { return std::move(m_config); }

    void check(std::string_view text)
    {
        auto document = detail::parse_document(text, m_sink);
        if (!document)
            return;
        try {
            check_document(*document);
        } catch (std::exception const& error) {
            // Accessors check types first, so this is a programming error; report it rather
            // than let an exception leave the module.
            m_sink.add("", std::string("internal error while checking: ") + error.what());
        }
    }

private:
    std::filesystem::path resolve(std::string const& text) const { return base::resolve_against(m_folder, text); }

    void check_document(Json const& document)
    {
        if (!detail::expect_object(document, "", m_sink))
            return;
        ObjectReader root(document, "", m_sink, config_keys);
        (void)root.string("description", Presence::Optional, ObjectReader::Emptiness::Allowed);
        (void)root.string("$schema", Presence::Optional);
        if (auto state = root.string("state_directory", Presence::Required))
            m_config.state_directory = resolve(*state);
        if (auto input = root.string("input", Presence::Optional))
            m_config.input = resolve(*input);
        if (auto format = root.string("input_format", Presence::Optional)) {
            static constexpr model::InputFormat formats[] = { model::InputFormat::Auto, model::InputFormat::Csv, model::InputFormat::JsonLines, model::InputFormat::Xml };
            auto const found = std::find(input_format_names.begin(), input_format_names.end(), *format);
            if (found == input_format_names.end())
                m_sink.add(root.path_of("input_format"), "must be 'auto', 'csv', 'jsonl' or 'xml', not " + detail::in_quotes(*format) + detail::did_you_mean(*format, input_format_names));
            else
                m_config.input_format = formats[found - input_format_names.begin()];
        }
        check_limits(root);
        if (auto recipients = root.string_array("archive_recipients", Presence::Required)) {
            if (recipients->empty())
                m_sink.add(root.path_of("archive_recipients"), "must list at least one age recipient: the creditor's own archive key");
            for (std::size_t index = 0; index < recipients->size(); ++index) {
                if (!detail::is_valid_age_recipient((*recipients)[index]))
                    m_sink.add(detail::join_path(root.path_of("archive_recipients"), index), detail::recipient_problem((*recipients)[index]));
            }
            m_config.archive_recipients = std::move(*recipients);
        }
        if (auto signing_key = root.string("signing_key", Presence::Optional)) {
            m_config.signing_key = resolve(*signing_key);
            check_secret_file(*m_config.signing_key, root.path_of("signing_key"));
        }
        if (auto public_key = root.string("signing_public_key", Presence::Optional)) {
            m_config.signing_public_key = resolve(*public_key);
            std::error_code error;
            if (!std::filesystem::is_regular_file(*m_config.signing_public_key, error))
                m_sink.add(root.path_of("signing_public_key"), "Ed25519 public key file not found: " + m_config.signing_public_key->string());
        }
        // The creditor's OpenPGP secret key signs what OpenPGP agencies receive.
        if (auto pgp_key = root.string("pgp_signing_key", Presence::Optional)) {
            m_config.pgp_signing_key = resolve(*pgp_key);
            check_secret_file(*m_config.pgp_signing_key, root.path_of("pgp_signing_key"));
        }
        if (auto passphrase = root.string("pgp_passphrase_file", Presence::Optional)) {
            m_config.pgp_passphrase_file = resolve(*passphrase);
            check_secret_file(*m_config.pgp_passphrase_file, root.path_of("pgp_passphrase_file"));
        }
        check_audit(root);
        check_vanished(root);
        m_config.agencies = detail::check_agencies(root, m_sink, m_problems, m_folder);
    }

    void check_audit(ObjectReader& root)
    {
        auto const* audit = root.object("audit", Presence::Optional);
        if (audit == nullptr)
            return;
        ObjectReader reader(*audit, root.path_of("audit"), m_sink, audit_keys);
        if (auto file = reader.string("checkpoint_file", Presence::Optional))
            m_config.audit.checkpoint_file = resolve(*file);
        if (auto days = reader.unsigned_integer("creditor_retention_days", Presence::Optional, 1))
            m_config.audit.creditor_retention_days = static_cast<std::int64_t>(*days);
    }

    void check_vanished(ObjectReader& root)
    {
        auto const* vanished = root.object("vanished", Presence::Optional);
        if (vanished == nullptr)
            return;
        ObjectReader reader(*vanished, root.path_of("vanished"), m_sink, vanished_keys);
        if (auto share = reader.unsigned_integer("max_share_percent", Presence::Optional, 0)) {
            if (*share > 100)
                m_sink.add(reader.path_of("max_share_percent"), "a share is a whole number of percent from 0 to 100");
            else
                m_config.vanished.max_share_percent = static_cast<unsigned>(*share);
        }
    }

    void check_limits(ObjectReader& root)
    {
        auto const* limits = root.object("limits", Presence::Optional);
        if (limits == nullptr)
            return;
        ObjectReader reader(*limits, root.path_of("limits"), m_sink, limit_keys);
        auto& target = m_config.limits;
        if (auto value = reader.unsigned_integer("max_file_bytes", Presence::Optional, 1))
            target.max_file_bytes = *value;
        if (auto value = reader.unsigned_integer("max_record_bytes", Presence::Optional, 1))
            target.max_record_bytes = static_cast<std::size_t>(*value);
        if (auto value = reader.unsigned_integer("max_fields", Presence::Optional, 1))
            target.max_fields = static_cast<std::size_t>(*value);
        if (auto value = reader.unsigned_integer("max_field_bytes", Presence::Optional, 1))
            target.max_field_bytes = static_cast<std::size_t>(*value);
    }

    // Secret keys are only checked, never read: existence and owner-only permissions.
    void check_secret_file(std::filesystem::path const& path, std::string const& json_path) { detail::check_secret_file(path, json_path, m_sink); }

    std::filesystem::path m_folder;
    std::vector<ConfigProblem>& m_problems;
    ProblemSink m_sink;
    model::GatewayConfig m_config;
};

// Two agencies sharing one broken mapping would otherwise list its problems twice.
void remove_repeated(std::vector<ConfigProblem>& problems)
{
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    std::erase_if(problems, [&](ConfigProblem const& problem) { return !seen.emplace(problem.file, problem.json_path, problem.reason).second; });
}

std::vector<ConfigProblem> check_into(std::filesystem::path const& config_file, model::GatewayConfig* out)
{
    std::vector<ConfigProblem> problems;
    auto text = base::read_file_limited(config_file, detail::max_settings_file_bytes);
    if (text.is_error()) {
        problems.push_back(ConfigProblem { config_file.string(), "", text.error().to_text() });
        return problems;
    }
    ConfigChecker checker(config_file, problems);
    checker.check(text.value());
    remove_repeated(problems);
    if (out != nullptr)
        *out = checker.take();
    return problems;
}

} // namespace

std::string to_text(ConfigProblem const& problem)
{
    if (problem.json_path.empty())
        return problem.file + ": " + problem.reason;
    return problem.file + ": " + problem.json_path + ": " + problem.reason;
}

std::string describe_first_problem(std::vector<ConfigProblem> const& problems)
{
    if (problems.empty())
        return "no problems";
    std::string text = to_text(problems.front());
    if (problems.size() > 1)
        text += " (and " + std::to_string(problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "") + ")";
    text += "; run `dcagw config check` to list every problem";
    return text;
}

std::vector<ConfigProblem> check_config(std::filesystem::path const& config_file)
{
    return check_into(config_file, nullptr);
}

base::Result<model::GatewayConfig> load_config(std::filesystem::path const& config_file)
{
    model::GatewayConfig config;
    auto problems = check_into(config_file, &config);
    if (!problems.empty())
        return base::make_error(base::ErrorCode::ConfigInvalid, describe_first_problem(problems));
    return config;
}

} // namespace dcagw::config
