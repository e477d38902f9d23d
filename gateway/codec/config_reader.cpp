#include "gateway/codec/config_reader.hpp"

#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/codec/config_transport.hpp"
#include "gateway/codec/mapping_reader.hpp"
#include "gateway/codec/mapping_reader_json.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

namespace dcagw::codec {

namespace {

using detail::Json;
using detail::ObjectReader;
using detail::Presence;
using detail::ProblemSink;

constexpr std::array<std::string_view, 12> config_keys { "$schema", "state_directory", "input", "input_format", "limits", "archive_recipients", "signing_key", "pgp_signing_key", "pgp_passphrase_file", "agencies", "description", "audit" };
constexpr std::array<std::string_view, 2> audit_keys { "checkpoint_file", "creditor_retention_days" };
constexpr std::array<std::string_view, 4> limit_keys { "max_file_bytes", "max_record_bytes", "max_fields", "max_field_bytes" };
constexpr std::array<std::string_view, 9> agency_keys { "id", "name", "enabled", "mapping", "pseudonym_key", "encryption", "agreement", "transport", "deletion_confirmation_days" };
constexpr std::array<std::string_view, 5> encryption_keys { "kind", "age_recipients", "age_recipient_files", "pgp_public_key", "pgp_armor" };
constexpr std::array<std::string_view, 4> agreement_keys { "reference", "version", "purpose", "lawful_basis" };
constexpr std::array<std::string_view, 4> input_format_names { "auto", "csv", "jsonl", "xml" };
constexpr std::array<std::string_view, 3> kind_names { "age", "openpgp", "both" };
constexpr std::size_t max_agencies = 100;
constexpr std::size_t max_recipient_file_bytes = 64 << 10;

// Syntax only: "age1" and 58 characters of the bech32 alphabet (a 32-byte X25519 key plus
// checksum). The checksum itself is verified by the crypto module when the key is used.
bool is_valid_age_recipient(std::string_view text)
{
    static constexpr std::string_view bech32_alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    if (text.size() != 62 || !text.starts_with("age1"))
        return false;
    return std::all_of(text.begin() + 4, text.end(), [](char c) { return bech32_alphabet.find(c) != std::string_view::npos; });
}

std::string recipient_problem(std::string_view text)
{
    if (!text.empty() && !text.starts_with("age1") && base::to_lower_ascii(text).starts_with("age1"))
        return "age recipients are written in lower case";
    return detail::in_quotes(text) + " is not an age recipient (age1 followed by 58 bech32 characters)";
}

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
                if (!is_valid_age_recipient((*recipients)[index]))
                    m_sink.add(detail::join_path(root.path_of("archive_recipients"), index), recipient_problem((*recipients)[index]));
            }
            m_config.archive_recipients = std::move(*recipients);
        }
        if (auto signing_key = root.string("signing_key", Presence::Optional)) {
            m_config.signing_key = resolve(*signing_key);
            check_secret_file(*m_config.signing_key, root.path_of("signing_key"));
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
        check_agencies(root);
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

    void check_public_file(std::filesystem::path const& path, std::string const& json_path, std::string_view what)
    {
        std::error_code error;
        if (!std::filesystem::is_regular_file(path, error))
            m_sink.add(json_path, std::string(what) + " not found: " + path.string());
    }

    void check_agencies(ObjectReader& root)
    {
        auto const* agencies = root.array("agencies", Presence::Required);
        if (agencies == nullptr)
            return;
        if (agencies->empty())
            m_sink.add(root.path_of("agencies"), "must list at least one agency");
        if (agencies->size() > max_agencies) {
            m_sink.add(root.path_of("agencies"), "lists more than " + std::to_string(max_agencies) + " agencies");
            return;
        }
        std::map<std::string, std::string> ids_seen;
        std::size_t index = 0;
        for (auto const& agency : *agencies) {
            auto const path = detail::join_path(root.path_of("agencies"), index++);
            if (detail::expect_object(agency, path, m_sink))
                check_agency(agency, path, ids_seen);
        }
    }

    void check_agency(Json const& value, std::string const& path, std::map<std::string, std::string>& ids_seen)
    {
        ObjectReader reader(value, path, m_sink, agency_keys);
        model::AgencyConfig agency;
        if (auto id = reader.string("id", Presence::Required)) {
            if (!detail::is_valid_agency_id(*id))
                m_sink.add(reader.path_of("id"), detail::in_quotes(*id) + " is not a valid agency id (1 to 40 of a-z, 0-9 and '-', not starting with '-')");
            if (auto [where, inserted] = ids_seen.emplace(*id, path); !inserted)
                m_sink.add(reader.path_of("id"), "duplicate agency id " + detail::in_quotes(*id) + " (first used at " + where->second + ")");
            agency.id = *id;
        }
        if (auto name = reader.string("name", Presence::Required))
            agency.name = *name;
        if (auto enabled = reader.boolean("enabled", Presence::Optional))
            agency.enabled = *enabled;
        if (auto mapping = reader.string("mapping", Presence::Required)) {
            agency.mapping_path = resolve(*mapping);
            check_agency_mapping(agency, reader.path_of("mapping"));
        }
        if (auto key = reader.string("pseudonym_key", Presence::Required)) {
            agency.pseudonym_key_path = resolve(*key);
            check_secret_file(agency.pseudonym_key_path, reader.path_of("pseudonym_key"));
        }
        if (auto const* encryption = reader.object("encryption", Presence::Required))
            check_encryption(*encryption, reader.path_of("encryption"), agency.encryption);
        if (auto const* agreement = reader.object("agreement", Presence::Required)) {
            ObjectReader terms(*agreement, reader.path_of("agreement"), m_sink, agreement_keys);
            for (auto [key, target] : { std::pair { "reference", &agency.agreement_reference }, std::pair { "version", &agency.agreement_version },
                     std::pair { "purpose", &agency.purpose }, std::pair { "lawful_basis", &agency.lawful_basis } }) {
                if (auto text = terms.string(key, Presence::Required))
                    *target = *text;
            }
        }
        if (auto const* transport = reader.object("transport", Presence::Optional))
            agency.transport = detail::check_transport(*transport, reader.path_of("transport"), m_sink, m_folder);
        if (auto days = reader.unsigned_integer("deletion_confirmation_days", Presence::Optional, 1))
            agency.deletion_confirmation_days = static_cast<std::int64_t>(*days);
        m_config.agencies.push_back(std::move(agency));
    }

    void check_agency_mapping(model::AgencyConfig& agency, std::string const& json_path)
    {
        auto text = base::read_file_limited(agency.mapping_path, detail::max_settings_file_bytes);
        if (text.is_error()) {
            if (text.error().code() == base::ErrorCode::FileNotFound)
                m_sink.add(json_path, "mapping file not found: " + agency.mapping_path.string());
            else
                m_sink.add(json_path, text.error().to_text());
            return;
        }
        detail::check_mapping_text(text.value(), agency.mapping_path.string(), agency.mapping, m_problems);
        if (!agency.mapping.agency.empty() && !agency.id.empty() && agency.mapping.agency != agency.id)
            m_sink.add(json_path, "the mapping is for agency " + detail::in_quotes(agency.mapping.agency) + ", not " + detail::in_quotes(agency.id));
    }

    void check_encryption(Json const& value, std::string const& path, model::EncryptionProfile& profile)
    {
        ObjectReader reader(value, path, m_sink, encryption_keys);
        std::optional<std::string> kind = reader.string("kind", Presence::Required);
        bool kind_known = false;
        if (kind) {
            kind_known = true;
            if (*kind == "age")
                profile.kind = model::EncryptionKind::Age;
            else if (*kind == "openpgp")
                profile.kind = model::EncryptionKind::OpenPgp;
            else if (*kind == "both")
                profile.kind = model::EncryptionKind::Both;
            else {
                kind_known = false;
                m_sink.add(reader.path_of("kind"), "must be 'age', 'openpgp' or 'both', not " + detail::in_quotes(*kind) + detail::did_you_mean(*kind, kind_names));
            }
        }
        std::size_t recipient_count = 0;
        if (auto recipients = reader.string_array("age_recipients", Presence::Optional)) {
            for (std::size_t index = 0; index < recipients->size(); ++index) {
                if (is_valid_age_recipient((*recipients)[index]))
                    ++recipient_count;
                else
                    m_sink.add(detail::join_path(reader.path_of("age_recipients"), index), recipient_problem((*recipients)[index]));
            }
            profile.age_recipients = std::move(*recipients);
        }
        if (auto files = reader.string_array("age_recipient_files", Presence::Optional)) {
            for (std::size_t index = 0; index < files->size(); ++index) {
                auto resolved = resolve((*files)[index]);
                recipient_count += check_recipient_file(resolved, detail::join_path(reader.path_of("age_recipient_files"), index));
                profile.age_recipient_files.push_back(std::move(resolved));
            }
        }
        if (auto key = reader.string("pgp_public_key", Presence::Optional)) {
            profile.pgp_public_key = resolve(*key);
            check_public_file(*profile.pgp_public_key, reader.path_of("pgp_public_key"), "OpenPGP public key file");
        }
        if (auto armor = reader.boolean("pgp_armor", Presence::Optional))
            profile.pgp_armor = *armor;
        if (!kind_known)
            return;
        bool const uses_age = profile.kind != model::EncryptionKind::OpenPgp;
        bool const uses_pgp = profile.kind != model::EncryptionKind::Age;
        bool const has_age_keys = reader.has("age_recipients") || reader.has("age_recipient_files");
        if (uses_age && recipient_count == 0 && !has_age_keys)
            m_sink.add(reader.path_of("age_recipients"), "kind '" + *kind + "' needs at least one age recipient (age_recipients or age_recipient_files)");
        else if (uses_age && recipient_count == 0)
            m_sink.add(reader.path_of("age_recipients"), "kind '" + *kind + "' needs at least one valid age recipient; none was found");
        if (!uses_age && has_age_keys)
            m_sink.add(reader.path_of(reader.has("age_recipients") ? "age_recipients" : "age_recipient_files"), "age recipients given but kind is 'openpgp': they would not be used");
        if (uses_pgp && !reader.has("pgp_public_key"))
            m_sink.add(reader.path_of("pgp_public_key"), "kind '" + *kind + "' needs pgp_public_key");
        if (!uses_pgp && reader.has("pgp_public_key"))
            m_sink.add(reader.path_of("pgp_public_key"), "pgp_public_key given but kind is 'age': it would not be used");
        if (!uses_pgp && reader.has("pgp_armor"))
            m_sink.add(reader.path_of("pgp_armor"), "pgp_armor given but kind is 'age': it would not be used");
    }

    // A recipients file as age reads it: one recipient a line; blank lines and lines
    // starting with '#' are ignored. Returns how many valid recipients it holds.
    std::size_t check_recipient_file(std::filesystem::path const& path, std::string const& json_path)
    {
        auto text = base::read_file_limited(path, max_recipient_file_bytes);
        if (text.is_error()) {
            if (text.error().code() == base::ErrorCode::FileNotFound)
                m_sink.add(json_path, "age recipient file not found: " + path.string());
            else
                m_sink.add(json_path, text.error().to_text());
            return 0;
        }
        std::size_t count = 0;
        std::size_t line_number = 0;
        for (auto line : base::split(text.value(), '\n')) {
            ++line_number;
            line = base::trim(line);
            if (line.empty() || line.front() == '#')
                continue;
            if (!is_valid_age_recipient(line)) {
                m_sink.add(json_path, path.string() + ": line " + std::to_string(line_number) + ": " + recipient_problem(line));
                continue;
            }
            ++count;
        }
        if (count == 0)
            m_sink.add(json_path, path.string() + ": holds no age recipient");
        return count;
    }

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

} // namespace dcagw::codec
