#!/usr/bin/env bash
# Installs everything the gateway needs to build and run, from Debian 12 packages only.
# Usage: scripts/install-dependencies.sh [--with-test-tools]
# Runs as root on a fresh minimal Debian 12 (no sudo); skips apt when all is present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ca-certificates
  libssl-dev libsodium-dev libcurl4-openssl-dev libpugixml-dev nlohmann-json3-dev
  libsqlite3-dev librnp-dev catch2
)
if [[ ${1:-} == --with-test-tools ]]; then
  # Real interoperability peers and servers the tests start on 127.0.0.1, plus the
  # tools the benchmark compares against.
  packages+=(age gnupg miller time openssh-server openssh-client nginx-light sqlite3 xxd clang libclang-rt-14-dev)
  # The JSON Schemas in schemas/ are checked by a real validator (tests/schemas).
  packages+=(python3-jsonschema)
  # The transport tests' server harness (tests/integration/servers): certificates made with
  # the openssl command, free ports and process trees found with ss and ps, curl's command
  # line as the HTTPS reference and for one raw SFTP request.
  packages+=(openssl iproute2 procps curl)
  # More real servers for the transport tests (docs/architecture.md): nginx's PROPFIND
  # module, Apache httpd with mod_dav and rclone (WebDAV and SFTP servers), ProFTPD with
  # mod_sftp (in proftpd-mod-crypto).
  packages+=(libnginx-mod-http-dav-ext apache2 rclone proftpd-core proftpd-mod-crypto)
  # The multipart/form-data receiver behind Apache (tests/integration/servers/cgi).
  packages+=(python3)
  # `script` (util-linux's, in bsdutils) gives the progress-line test a terminal
  # (tests/cli/progress_tty.sh).
  packages+=(bsdutils)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "dcagw setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
