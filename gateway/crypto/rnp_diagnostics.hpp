// crypto/rnp_diagnostics: keeping librnp's own log lines away from the user (internal to
// the crypto module; only pgp_keyring.cpp calls it).
//
// librnp as Debian builds it (0.16, without NDEBUG) prints diagnostics such as
// "[signed_validate_signature() ./src/librepgp/stream-parse.cpp:809] signer's key not
// found" straight to the C `stderr` stream, whatever rnp_ffi_set_log_fd says, and its
// switch (set_rnp_log_switch, RNP_LOG_CONSOLE) is not exported or is ignored in such a
// build. Every failure those lines describe already reaches the user as one of our errors
// (`signature invalid`, `no match`, ...), so the lines are dropped.
//
// Owns: replacing, once per process and before the first librnp context exists, the C
// `stderr` stream by a line-buffered stream over the same descriptor that passes every
// line through unchanged except librnp's log lines ("[function() path:line] ..."). glibc
// documents stdin, stdout and stderr as ordinary variables that a program may set
// (glibc manual, "Standard Streams"); librnp writes through the same variable.
// Must never: drop a line that is not librnp's, reorder lines, or grow without bound.
#pragma once

#include <string_view>

namespace dcagw::crypto::detail {

// Installs the filtering stream (once; later calls do nothing). Called on the thread
// that creates the first librnp context, before any librnp worker thread starts.
void filter_librnp_diagnostics();

// Whether `line` (without its line end) has the shape of a librnp log line.
bool is_librnp_log_line(std::string_view line);

} // namespace dcagw::crypto::detail
