#!/usr/bin/env bash
# Runs a test program against freshly started real servers (OpenSSH sshd with
# internal-sftp, nginx with WebDAV over TLS; Apache mod_dav and rclone's WebDAV server
# (webdav.sh); ProFTPD mod_sftp and rclone's SFTP server (sftp_servers.sh)), all on
# 127.0.0.1 at free high ports, and stops them by PID however the program ends.
#
#   run_with_servers.sh PROGRAM [ARGUMENTS...]
#
# The program gets the servers' sftp.env, https.env, webdav.env and sftp2.env variables
# in its environment,
# plus DCAGW_TEST_STATE (the state folder) and DCAGW_SERVERS (this folder, to stop and
# start a server mid-test with sshd.sh / nginx.sh stop|start).
# Needs root (a dedicated test user, a chroot). Exit code 77 (skipped) otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "run_with_servers.sh: needs root to create the SFTP test user and chroot; skipped" >&2
  exit 77
fi
# Not under /tmp: sshd refuses a chroot below a folder others may write.
base=/var/lib/dcagw-test
mkdir -p "$base"
chmod 0755 "$base"
state=$(mktemp -d -p "$base" run.XXXXXX)
chmod 0755 "$state"
cleanup() {
  "$here/sshd.sh" stop "$state/sftp" || true
  "$here/nginx.sh" stop "$state/https" || true
  "$here/webdav.sh" stop "$state/webdav" || true
  "$here/sftp_servers.sh" stop "$state/sftp2" || true
  # The test user keeps no usable password once its server is gone.
  usermod -p '*' dcagw-sftp 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT
"$here/sshd.sh" setup "$state/sftp" >/dev/null
"$here/nginx.sh" setup "$state/https" >/dev/null
"$here/webdav.sh" setup "$state/webdav" "$state/https" >/dev/null
"$here/sftp_servers.sh" setup "$state/sftp2" "$state/sftp" >/dev/null
set -a
# shellcheck disable=SC1091
source "$state/sftp/sftp.env"
# shellcheck disable=SC1091
source "$state/https/https.env"
# shellcheck disable=SC1091
source "$state/webdav/webdav.env"
# shellcheck disable=SC1091
source "$state/sftp2/sftp2.env"
set +a
export DCAGW_TEST_STATE=$state DCAGW_SERVERS=$here
"$@"
