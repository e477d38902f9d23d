#!/usr/bin/env bash
# Two more real SFTP servers for the transport tests, besides OpenSSH: ProFTPD with
# mod_sftp (offering an RSA and an ed25519 host key) and rclone's `serve sftp`, with
# public-key authentication by the client key sshd.sh made, on 127.0.0.1 at free high
# ports. ProFTPD chroots the test user (dcagw-sftp) into its folder; rclone serves its
# folder as the login directory.
#
#   sftp_servers.sh setup STATE SFTP_STATE   makes keys, config and folders under STATE
#                                           (the client key from sshd.sh's SFTP_STATE), starts
#                                           both and writes STATE/sftp2.env
#   sftp_servers.sh start STATE [proftpd|rclone]   starts them (or one) again
#   sftp_servers.sh stop STATE [proftpd|rclone]    stops them (or one) by PID
#
# STATE/sftp2.env: PROFTPD_PORT, PROFTPD_ROOT, PROFTPD_RSA_SHA256, PROFTPD_ED25519_SHA256,
# RCLONE_SFTP_PORT, RCLONE_SFTP_ROOT, RCLONE_SFTP_HOST_KEY_SHA256; each root has
# incoming/, outgoing/ and outgoing/archive/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"

action=${1:?usage: sftp_servers.sh setup|start|stop STATE [SFTP_STATE|proftpd|rclone]}
state=${2:?usage: sftp_servers.sh setup|start|stop STATE [SFTP_STATE|proftpd|rclone]}
user=dcagw-sftp

start_proftpd() {
  /usr/sbin/proftpd -c "$state/proftpd.conf"
  wait_listening "$PROFTPD_PORT"
}

start_rclone() {
  # No directory cache: rclone's default keeps a listing for 5 minutes and hides files
  # the agency adds meanwhile (docs/transport.md). setsid: it outlives this script.
  setsid /usr/bin/rclone serve sftp "$RCLONE_SFTP_ROOT" --addr "127.0.0.1:$RCLONE_SFTP_PORT" \
    --key "$state/rclone_host_key" --authorized-keys "$state/authorized_keys" \
    --dir-cache-time 0s --config /dev/null >"$state/rclone-sftp.log" 2>&1 </dev/null &
  echo $! >"$state/rclone-sftp.pid"
  wait_listening "$RCLONE_SFTP_PORT"
}

fingerprint() { ssh-keygen -lf "$1" | awk '{print $2}'; }

case $action in
setup)
  sftp_state=${3:?usage: sftp_servers.sh setup STATE SFTP_STATE}
  mkdir -p "$state"
  chmod 0755 "$state"
  ssh-keygen -q -t rsa -b 3072 -m PEM -N '' -C dcagw-test-proftpd-rsa -f "$state/proftpd_rsa_key"
  ssh-keygen -q -t ed25519 -N '' -C dcagw-test-proftpd-ed25519 -f "$state/proftpd_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C dcagw-test-rclone -f "$state/rclone_host_key"
  cp "$sftp_state/client_key.pub" "$state/authorized_keys"
  # mod_sftp reads the RFC 4716 form of the client's public key.
  ssh-keygen -e -f "$sftp_state/client_key.pub" >"$state/authorized_keys.rfc4716"
  chmod 0644 "$state/authorized_keys" "$state/authorized_keys.rfc4716"
  proftpd_root="$state/proftpd"
  mkdir -p "$proftpd_root"
  chmod 0755 "$proftpd_root"
  for folder in incoming outgoing outgoing/archive; do
    mkdir -p "$proftpd_root/$folder"
    chown "$user:" "$proftpd_root/$folder"
  done
  rclone_root="$state/rclone"
  mkdir -p "$rclone_root"/{incoming,outgoing/archive}
  proftpd_port=$(free_port)
  rclone_port=$(free_port)
  while [[ $rclone_port == "$proftpd_port" ]]; do rclone_port=$(free_port); done
  cat >"$state/proftpd.conf" <<CONFIG
ServerType standalone
ServerName "dcagw test ProFTPD"
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
Port $proftpd_port
PidFile $state/proftpd.pid
ScoreboardFile $state/proftpd.scoreboard
SystemLog $state/proftpd.log
TransferLog none
WtmpLog off
UseReverseDNS off
User nobody
Group nogroup
<IfModule mod_cap.c>
  CapabilitiesEngine off
</IfModule>
<IfModule mod_delay.c>
  DelayEngine off
</IfModule>
<IfModule mod_auth_pam.c>
  AuthPAM off
</IfModule>
AuthOrder mod_auth_unix.c
RequireValidShell off
DefaultRoot $proftpd_root
ModulePath /usr/lib/proftpd
LoadModule mod_sftp.c
SFTPEngine on
SFTPLog $state/proftpd-sftp.log
SFTPHostKey $state/proftpd_rsa_key
SFTPHostKey $state/proftpd_ed25519_key
SFTPAuthMethods publickey
SFTPAuthorizedUserKeys file:$state/authorized_keys.rfc4716
AllowOverwrite on
<Limit LOGIN>
  AllowUser $user
  DenyAll
</Limit>
CONFIG
  cat >"$state/sftp2.env" <<ENV
PROFTPD_PORT=$proftpd_port
PROFTPD_ROOT=$proftpd_root
PROFTPD_RSA_SHA256=$(fingerprint "$state/proftpd_rsa_key.pub")
PROFTPD_ED25519_SHA256=$(fingerprint "$state/proftpd_ed25519_key.pub")
RCLONE_SFTP_PORT=$rclone_port
RCLONE_SFTP_ROOT=$rclone_root
RCLONE_SFTP_HOST_KEY_SHA256=$(fingerprint "$state/rclone_host_key.pub")
ENV
  # shellcheck disable=SC1091
  source "$state/sftp2.env"
  start_proftpd
  start_rclone
  ;;
start)
  # shellcheck disable=SC1091
  source "$state/sftp2.env"
  [[ ${3:-proftpd} == proftpd ]] && start_proftpd
  [[ ${3:-rclone} == rclone ]] && start_rclone
  true
  ;;
stop)
  [[ -s $state/sftp2.env ]] || exit 0
  # shellcheck disable=SC1091
  source "$state/sftp2.env"
  [[ ${3:-proftpd} == proftpd ]] && stop_by_pid_file "$state/proftpd.pid" "$PROFTPD_PORT"
  [[ ${3:-rclone} == rclone ]] && stop_by_pid_file "$state/rclone-sftp.pid" "$RCLONE_SFTP_PORT"
  true
  ;;
*)
  echo "usage: sftp_servers.sh setup|start|stop STATE [SFTP_STATE|proftpd|rclone]" >&2
  exit 2
  ;;
esac
