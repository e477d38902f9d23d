#include "gateway/inbound/inbound.hpp"

namespace dcagw::inbound {

base::Result<InboundKeys> InboundKeys::load(model::AgencyConfig const& agency)
{
    if (!agency.returns)
        return base::make_error(base::ErrorCode::ConfigInvalid, "agency " + agency.id + " has no 'returns' section: none of its return files can be opened (docs/configuration.md)");
    InboundKeys keys;
    if (agency.returns->encryption == model::ReturnEncryption::Age) {
        if (!agency.returns->decryption_key)
            return base::make_error(base::ErrorCode::ConfigInvalid, "agency " + agency.id + ": returns.decryption_key is missing");
        keys.m_age_identities = TRY_CONTEXT(crypto::AgeIdentity::load_file(*agency.returns->decryption_key), "loading the returns decryption key of agency " + agency.id);
    }
    return keys;
}

} // namespace dcagw::inbound
