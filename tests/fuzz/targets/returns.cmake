# The agency return file readers (layouts/return_reader: CSV and JSON Lines).
dcagw_fuzz_target(return_csv dcagw_layouts)
dcagw_fuzz_target(return_jsonl dcagw_layouts)
