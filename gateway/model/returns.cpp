#include "gateway/model/returns.hpp"

#include "gateway/base/enum_names.hpp"

namespace dcagw::model {

namespace {

constexpr base::EnumNames<ReturnKind, 7> return_kind_names { { {
    { ReturnKind::Acknowledgement, "acknowledgement" },
    { ReturnKind::Activity, "activity" },
    { ReturnKind::Closure, "closure" },
    { ReturnKind::Trace, "trace" },
    { ReturnKind::Payment, "payment" },
    { ReturnKind::Refund, "refund" },
    { ReturnKind::Payout, "payout" },
} } };

// The codes of domain.md, spelled as there: they appear in mappings, the ledger and the
// CLI's output.
constexpr base::EnumNames<ReturnReason, 23> return_reason_names { { {
    { ReturnReason::PaidInFull, "PIF" },
    { ReturnReason::Settled, "SET" },
    { ReturnReason::Arrangement, "ARR" },
    { ReturnReason::Traced, "TRC" },
    { ReturnReason::GoneAway, "GNA" },
    { ReturnReason::Deceased, "DEC" },
    { ReturnReason::InsolvencyBankruptcy, "INS-BKR" },
    { ReturnReason::InsolvencyIva, "INS-IVA" },
    { ReturnReason::InsolvencyDro, "INS-DRO" },
    { ReturnReason::InsolvencyTrustDeed, "INS-TD" },
    { ReturnReason::BreathingSpace, "BSM" },
    { ReturnReason::MentalHealthCrisis, "MHCM" },
    { ReturnReason::Dispute, "DSP" },
    { ReturnReason::Complaint, "CMP" },
    { ReturnReason::Vulnerable, "VUL" },
    { ReturnReason::MentalCapacity, "MCAP" },
    { ReturnReason::Emigrated, "EMG" },
    { ReturnReason::Uneconomic, "UNE" },
    { ReturnReason::ProcessExhausted, "PEX" },
    { ReturnReason::StatuteBarred, "SBD" },
    { ReturnReason::LackOfInformation, "LOI" },
    { ReturnReason::Abusive, "ABU" },
    { ReturnReason::Recalled, "RCL" },
} } };

} // namespace

std::string_view to_string(ReturnKind kind) { return return_kind_names.name(kind); }
std::optional<ReturnKind> return_kind_from_string(std::string_view text) { return return_kind_names.parse(text); }
std::string_view to_string(ReturnReason reason) { return return_reason_names.name(reason); }
std::optional<ReturnReason> return_reason_from_string(std::string_view text) { return return_reason_names.parse(text); }

} // namespace dcagw::model
