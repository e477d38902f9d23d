#include "gateway/config/config_contract.hpp"

#include <array>

namespace dcagw::config::detail {

namespace {

constexpr std::array<std::string_view, 7> contract_keys { "commission", "fixed_fee_pence", "vat_basis_points", "commission_on_direct_payments",
    "remittance_basis", "payout_due_days", "description" };
constexpr std::array<std::string_view, 4> band_keys { "placement_number", "min_age_days", "max_age_days", "basis_points" };
constexpr std::array<std::string_view, 2> basis_names { "gross", "net" };
constexpr std::uint64_t max_basis_points = 10000;
constexpr std::size_t max_bands = 64;

model::CommissionBand check_band(Json const& value, std::string const& path, ProblemSink& sink)
{
    model::CommissionBand band;
    if (!expect_object(value, path, sink))
        return band;
    ObjectReader reader(value, path, sink, band_keys);
    if (auto number = reader.unsigned_integer("placement_number", Presence::Optional, 1))
        band.placement_number = static_cast<std::int64_t>(*number);
    if (auto days = reader.unsigned_integer("min_age_days", Presence::Optional))
        band.min_age_days = static_cast<std::int64_t>(*days);
    if (auto days = reader.unsigned_integer("max_age_days", Presence::Optional, 1)) {
        band.max_age_days = static_cast<std::int64_t>(*days);
        if (*band.max_age_days <= band.min_age_days)
            sink.add(reader.path_of("max_age_days"), "must be above min_age_days (" + std::to_string(band.min_age_days) + "): the band is empty");
    }
    if (auto points = reader.unsigned_integer("basis_points", Presence::Required)) {
        if (*points > max_basis_points)
            sink.add(reader.path_of("basis_points"), "must be at most 10000 (100%), not " + std::to_string(*points));
        band.basis_points = static_cast<std::int64_t>(*points);
    }
    return band;
}

} // namespace

model::AgencyContract check_contract(Json const& value, std::string const& path, ProblemSink& sink)
{
    model::AgencyContract contract;
    if (!expect_object(value, path, sink))
        return contract;
    ObjectReader reader(value, path, sink, contract_keys);
    (void)reader.string("description", Presence::Optional, ObjectReader::Emptiness::Allowed);
    if (auto const* bands = reader.array("commission", Presence::Required)) {
        if (bands->empty())
            sink.add(reader.path_of("commission"), "needs at least one band: every payment line must find its rate");
        if (bands->size() > max_bands)
            sink.add(reader.path_of("commission"), "has " + std::to_string(bands->size()) + " bands; at most " + std::to_string(max_bands));
        std::size_t index = 0;
        for (auto const& band : *bands) {
            if (index < max_bands)
                contract.commission.push_back(check_band(band, join_path(reader.path_of("commission"), index), sink));
            ++index;
        }
    }
    if (auto fee = reader.unsigned_integer("fixed_fee_pence", Presence::Optional))
        contract.fixed_fee_pence = static_cast<std::int64_t>(*fee);
    if (auto points = reader.unsigned_integer("vat_basis_points", Presence::Optional)) {
        if (*points > max_basis_points)
            sink.add(reader.path_of("vat_basis_points"), "must be at most 10000 (100%), not " + std::to_string(*points));
        contract.vat_basis_points = static_cast<std::int64_t>(*points);
    }
    if (auto due = reader.boolean("commission_on_direct_payments", Presence::Optional))
        contract.direct_payments = *due ? model::DirectPaymentCommission::Due : model::DirectPaymentCommission::NotDue;
    if (auto basis = reader.string("remittance_basis", Presence::Optional)) {
        if (*basis == "gross")
            contract.remittance = model::RemittanceBasis::Gross;
        else if (*basis == "net")
            contract.remittance = model::RemittanceBasis::Net;
        else
            sink.add(reader.path_of("remittance_basis"), "must be 'gross' or 'net', not " + in_quotes(*basis) + did_you_mean(*basis, basis_names));
    }
    if (auto days = reader.unsigned_integer("payout_due_days", Presence::Optional, 1))
        contract.payout_due_days = static_cast<std::int64_t>(*days);
    return contract;
}

} // namespace dcagw::config::detail
