# base: the one JSON string decoder (base/json_string).
dcagw_fuzz_target(json_string dcagw_base)
