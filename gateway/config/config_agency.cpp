// The "agencies" part of the configuration (see config_agency.hpp): every agency's own
// settings and the files they name. Must never read a key, or the fields of the transport
// object (config_transport.cpp reads those).
#include "gateway/config/config_agency.hpp"
#include "gateway/config/config_returns.hpp"

#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/config/config_contract.hpp"
#include "gateway/config/config_lifecycle.hpp"
#include "gateway/config/config_transport.hpp"
#include "gateway/config/mapping_reader.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace dcagw::config::detail {

namespace {

constexpr std::array<std::string_view, 12> agency_keys { "id", "name", "enabled", "mapping", "pseudonym_key", "encryption", "agreement", "transport", "returns", "deletion_confirmation_days", "contract", "lifecycle_policy" };
constexpr std::array<std::string_view, 5> encryption_keys { "kind", "age_recipients", "age_recipient_files", "pgp_public_key", "pgp_armor" };
constexpr std::array<std::string_view, 4> agreement_keys { "reference", "version", "purpose", "lawful_basis" };
constexpr std::array<std::string_view, 3> kind_names { "age", "openpgp", "both" };
constexpr std::size_t max_agencies = 100;
constexpr std::size_t max_recipient_file_bytes = 64 << 10;

class AgencyChecker {
public:
    AgencyChecker(ProblemSink& sink, std::vector<ConfigProblem>& problems, std::filesystem::path const& folder)
        : m_sink(sink)
        , m_problems(problems)
        , m_folder(folder)
    {
    }

    std::vector<model::AgencyConfig> check(ObjectReader& root)
    {
        auto const* agencies = root.array("agencies", Presence::Required);
        if (agencies == nullptr)
            return {};
        if (agencies->empty())
            m_sink.add(root.path_of("agencies"), "must list at least one agency");
        if (agencies->size() > max_agencies) {
            m_sink.add(root.path_of("agencies"), "lists more than " + std::to_string(max_agencies) + " agencies");
            return {};
        }
        std::map<std::string, std::string> ids_seen;
        std::size_t index = 0;
        for (auto const& agency : *agencies) {
            auto const path = join_path(root.path_of("agencies"), index++);
            if (expect_object(agency, path, m_sink))
                check_agency(agency, path, ids_seen);
        }
        return std::move(m_agencies);
    }

private:
    std::filesystem::path resolve(std::string const& text) const { return base::resolve_against(m_folder, text); }

    void check_public_file(std::filesystem::path const& path, std::string const& json_path, std::string_view what)
    {
        std::error_code error;
        if (!std::filesystem::is_regular_file(path, error))
            m_sink.add(json_path, std::string(what) + " not found: " + path.string());
    }

    void check_agency(Json const& value, std::string const& path, std::map<std::string, std::string>& ids_seen)
    {
        ObjectReader reader(value, path, m_sink, agency_keys);
        model::AgencyConfig agency;
        if (auto id = reader.string("id", Presence::Required)) {
            if (!is_valid_agency_id(*id))
                m_sink.add(reader.path_of("id"), in_quotes(*id) + " is not a valid agency id (1 to 40 of a-z, 0-9 and '-', not starting with '-')");
            if (auto [where, inserted] = ids_seen.emplace(*id, path); !inserted)
                m_sink.add(reader.path_of("id"), "duplicate agency id " + in_quotes(*id) + " (first used at " + where->second + ")");
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
            check_secret_file(agency.pseudonym_key_path, reader.path_of("pseudonym_key"), m_sink);
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
            agency.transport = check_transport(*transport, reader.path_of("transport"), m_sink, m_folder);
        agency.returns = check_returns(reader.value("returns", Presence::Optional), path, agency.transport, m_sink, m_folder);
        if (agency.returns && agency.mapping.returns.empty() && !agency.mapping.agency.empty())
            m_sink.add(reader.path_of("returns"), "the agency's mapping declares no return layouts ('returns' in " + agency.mapping_path.filename().string() + "): no return file could be read");
        if (auto days = reader.unsigned_integer("deletion_confirmation_days", Presence::Optional, 1))
            agency.deletion_confirmation_days = static_cast<std::int64_t>(*days);
        if (auto const* contract = reader.object("contract", Presence::Optional))
            agency.contract = check_contract(*contract, reader.path_of("contract"), m_sink);
        agency.lifecycle_policy = check_lifecycle_policy(reader.value("lifecycle_policy", Presence::Optional), reader.path_of("lifecycle_policy"), agency, m_sink);
        m_agencies.push_back(std::move(agency));
    }

    void check_agency_mapping(model::AgencyConfig& agency, std::string const& json_path)
    {
        auto text = base::read_file_limited(agency.mapping_path, max_settings_file_bytes);
        if (text.is_error()) {
            if (text.error().code() == base::ErrorCode::FileNotFound)
                m_sink.add(json_path, "mapping file not found: " + agency.mapping_path.string());
            else
                m_sink.add(json_path, text.error().to_text());
            return;
        }
        check_mapping_text(text.value(), agency.mapping_path.string(), agency.mapping, m_problems);
        if (!agency.mapping.agency.empty() && !agency.id.empty() && agency.mapping.agency != agency.id)
            m_sink.add(json_path, "the mapping is for agency " + in_quotes(agency.mapping.agency) + ", not " + in_quotes(agency.id));
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
                m_sink.add(reader.path_of("kind"), "must be 'age', 'openpgp' or 'both', not " + in_quotes(*kind) + did_you_mean(*kind, kind_names));
            }
        }
        std::size_t recipient_count = 0;
        if (auto recipients = reader.string_array("age_recipients", Presence::Optional)) {
            for (std::size_t index = 0; index < recipients->size(); ++index) {
                if (is_valid_age_recipient((*recipients)[index]))
                    ++recipient_count;
                else
                    m_sink.add(join_path(reader.path_of("age_recipients"), index), recipient_problem((*recipients)[index]));
            }
            profile.age_recipients = std::move(*recipients);
        }
        if (auto files = reader.string_array("age_recipient_files", Presence::Optional)) {
            for (std::size_t index = 0; index < files->size(); ++index) {
                auto resolved = resolve((*files)[index]);
                recipient_count += check_recipient_file(resolved, join_path(reader.path_of("age_recipient_files"), index));
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

    ProblemSink& m_sink;
    std::vector<ConfigProblem>& m_problems;
    std::filesystem::path const& m_folder;
    std::vector<model::AgencyConfig> m_agencies;
};

} // namespace

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
    return in_quotes(text) + " is not an age recipient (age1 followed by 58 bech32 characters)";
}

std::vector<model::AgencyConfig> check_agencies(ObjectReader& root, ProblemSink& sink, std::vector<ConfigProblem>& problems,
    std::filesystem::path const& folder)
{
    return AgencyChecker(sink, problems, folder).check(root);
}

} // namespace dcagw::config::detail
