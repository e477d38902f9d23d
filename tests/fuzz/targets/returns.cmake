# The agency return file reader (layouts/return_reader).
dcagw_fuzz_target(return_csv dcagw_layouts)
