#!/usr/bin/env bash
# A real OpenSSH sshd for the transport tests: internal-sftp only, one dedicated test user
# (dcagw-sftp), public-key authentication, and password authentication with a random
# password made per setup (for the gateway's opt-in password login), chrooted into a
# root-owned folder, on 127.0.0.1 at a free high port.
#
#   sshd.sh setup STATE   creates keys, user, chroot and config under STATE (an absolute
#                         path; must not be under a world-writable folder such as /tmp,
#                         because sshd refuses a chroot whose parents others can write),
#                         then starts the server and writes STATE/sftp.env
#   sshd.sh start STATE   starts it again with the same keys and port (after stop)
#   sshd.sh stop STATE    stops it and every connection it serves, by PID
#
# STATE/sftp.env holds SFTP_PORT, SFTP_USER, SFTP_KEY, SFTP_HOST_KEY_SHA256,
# SFTP_KNOWN_HOSTS, SFTP_KNOWN_HOSTS_WRONG (another key for this host and port),
# SFTP_OTHER_HOST_KEY_SHA256 and SFTP_OTHER_CLIENT_KEY (a key nobody trusts),
# SFTP_PROTECTED_KEY and SFTP_PROTECTED_KEY_PASSPHRASE (a key with a passphrase file),
# SFTP_PASSWORD_FILE (the user's password, 0600), SFTP_ROOT (the chroot: incoming/, outgoing/, outgoing/archive/,
# denied/ which the user cannot write).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"

action=${1:?usage: sshd.sh setup|start|stop STATE}
state=${2:?usage: sshd.sh setup|start|stop STATE}
user=dcagw-sftp

start() {
  mkdir -p /run/sshd
  # shellcheck disable=SC1091
  source "$state/sftp.env"
  /usr/sbin/sshd -f "$state/sshd_config" -E "$state/sshd.log"
  wait_listening "$SFTP_PORT"
}

case $action in
setup)
  mkdir -p "$state"
  chmod 0755 "$state"
  if ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin "$user"
  fi
  # A locked account ("!" password) may not log in even with a key when PAM is off; a
  # random password, new each setup, for the password-login tests.
  (umask 077 && openssl rand -hex 16 >"$state/password")
  usermod -p "$(openssl passwd -6 -stdin <"$state/password")" "$user"
  ssh-keygen -q -t ed25519 -N '' -C dcagw-test-host -f "$state/ssh_host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C dcagw-test-client -f "$state/client_key"
  ssh-keygen -q -t ed25519 -N '' -C dcagw-test-other -f "$state/other_host_key"
  # A second client key protected by a passphrase (read from a 0600 file).
  (umask 077 && openssl rand -hex 16 >"$state/client_key_passphrase")
  ssh-keygen -q -t ed25519 -N "$(cat "$state/client_key_passphrase")" -C dcagw-test-client-passphrase \
    -f "$state/client_key_protected"
  cat "$state/client_key.pub" "$state/client_key_protected.pub" >"$state/authorized_keys"
  chmod 0644 "$state/authorized_keys"
  root="$state/chroot"
  mkdir -p "$root"
  chown root:root "$root"
  chmod 0755 "$root"
  for folder in incoming outgoing outgoing/archive; do
    mkdir -p "$root/$folder"
    chown "$user:" "$root/$folder"
  done
  mkdir -p "$root/denied"
  chmod 0755 "$root/denied"
  port=$(free_port)
  cat >"$state/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $state/ssh_host_ed25519_key
PidFile $state/sshd.pid
AuthorizedKeysFile $state/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
AllowUsers $user
AllowTcpForwarding no
X11Forwarding no
Subsystem sftp internal-sftp
ForceCommand internal-sftp
ChrootDirectory $root
LogLevel VERBOSE
CONFIG
  fingerprint=$(ssh-keygen -lf "$state/ssh_host_ed25519_key.pub" | awk '{print $2}')
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$state/ssh_host_ed25519_key.pub")" >"$state/known_hosts"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$state/other_host_key.pub")" >"$state/known_hosts_wrong"
  cat >"$state/sftp.env" <<ENV
SFTP_PORT=$port
SFTP_USER=$user
SFTP_KEY=$state/client_key
SFTP_HOST_KEY_SHA256=$fingerprint
SFTP_KNOWN_HOSTS=$state/known_hosts
SFTP_KNOWN_HOSTS_WRONG=$state/known_hosts_wrong
SFTP_OTHER_HOST_KEY_SHA256=$(ssh-keygen -lf "$state/other_host_key.pub" | awk '{print $2}')
SFTP_OTHER_CLIENT_KEY=$state/other_host_key
SFTP_PROTECTED_KEY=$state/client_key_protected
SFTP_PROTECTED_KEY_PASSPHRASE=$state/client_key_passphrase
SFTP_PASSWORD_FILE=$state/password
SFTP_ROOT=$root
ENV
  start
  ;;
start) start ;;
stop)
  # shellcheck disable=SC1091
  source "$state/sftp.env"
  stop_by_pid_file "$state/sshd.pid" "$SFTP_PORT"
  ;;
*)
  echo "usage: sshd.sh setup|start|stop STATE" >&2
  exit 2
  ;;
esac
