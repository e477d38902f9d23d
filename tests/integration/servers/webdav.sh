#!/usr/bin/env bash
# Two more real WebDAV servers for the transport tests, besides nginx: Apache httpd 2.4
# with mod_dav (the most common one) and rclone's `serve webdav`, both over TLS with the
# test CA's server certificate that nginx.sh made, with basic authentication, on
# 127.0.0.1 at free high ports.
#
#   webdav.sh setup STATE HTTPS_STATE   makes the config and folders under STATE (using the
#                                        certificates in nginx.sh's HTTPS_STATE), starts both
#                                        and writes STATE/webdav.env
#   webdav.sh start STATE [apache|rclone]   starts them (or one) again with the same files
#   webdav.sh stop STATE [apache|rclone]    stops them (or one) by PID
#
# STATE/webdav.env: APACHE_PORT, APACHE_ROOT (served as /dca/: incoming/, outgoing/,
# outgoing/archive/, denied/ (every request refused), nomove/ (MOVE refused)),
# APACHE_POSTED (where /post/incoming/, a multipart/form-data upload endpoint run as CGI
# by cgi/receive_multipart.py, publishes the files it receives),
# RCLONE_WEBDAV_PORT, RCLONE_WEBDAV_ROOT (served as /dca/, the same folders but denied/
# and nomove/), WEBDAV_BASIC_AUTH_FILE ("user:password", 0600, for both).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"

action=${1:?usage: webdav.sh setup|start|stop STATE [HTTPS_STATE|apache|rclone]}
state=${2:?usage: webdav.sh setup|start|stop STATE [HTTPS_STATE|apache|rclone]}

start_apache() {
  /usr/sbin/apache2 -f "$state/apache.conf" -k start
  wait_listening "$APACHE_PORT"
}

start_rclone() {
  # No directory cache (rclone's default keeps a listing for 5 minutes, hiding files the
  # agency adds meanwhile; see docs/transport.md). setsid: it outlives this script.
  setsid /usr/bin/rclone serve webdav "$RCLONE_WEBDAV_ROOT" --baseurl /dca --addr "127.0.0.1:$RCLONE_WEBDAV_PORT" \
    --cert "$https_state/server.pem" --key "$https_state/server.key" --htpasswd "$state/htpasswd" \
    --dir-cache-time 0s --config /dev/null >"$state/rclone-webdav.log" 2>&1 </dev/null &
  echo $! >"$state/rclone-webdav.pid"
  wait_listening "$RCLONE_WEBDAV_PORT"
}

load_env() {
  # shellcheck disable=SC1091
  source "$state/webdav.env"
  https_state=$WEBDAV_HTTPS_STATE
}

case $action in
setup)
  https_state=${3:?usage: webdav.sh setup STATE HTTPS_STATE}
  mkdir -p "$state"
  chmod 0755 "$state"
  password=$(openssl rand -hex 12)
  (umask 077 && echo "dcagw:$password" >"$state/basic_auth")
  echo "dcagw:$(openssl passwd -apr1 "$password")" >"$state/htpasswd"
  chmod 0644 "$state/htpasswd"
  apache_root="$state/apache/dca"
  mkdir -p "$apache_root"/{incoming,outgoing/archive,denied,nomove} "$state/apache/posted"
  # A copy Apache's worker (nobody) can reach whatever the checkout's permissions.
  install -D -m 0755 "$here/cgi/receive_multipart.py" "$state/cgi/receive_multipart.py"
  # The lock database must be writable by Apache's worker (nobody).
  mkdir -p "$state/apache-lock"
  chown -R nobody:nogroup "$state/apache" "$state/apache-lock"
  rclone_root="$state/rclone/dca"
  mkdir -p "$rclone_root"/{incoming,outgoing/archive}
  apache_port=$(free_port)
  rclone_port=$(free_port)
  while [[ $rclone_port == "$apache_port" ]]; do rclone_port=$(free_port); done
  modules=/usr/lib/apache2/modules
  cat >"$state/apache.conf" <<CONFIG
ServerRoot $state
ServerName 127.0.0.1
PidFile $state/apache.pid
DefaultRuntimeDir $state
Mutex file:$state default
Listen 127.0.0.1:$apache_port
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule authz_user_module $modules/mod_authz_user.so
LoadModule authn_core_module $modules/mod_authn_core.so
LoadModule authn_file_module $modules/mod_authn_file.so
LoadModule auth_basic_module $modules/mod_auth_basic.so
LoadModule alias_module $modules/mod_alias.so
LoadModule dav_module $modules/mod_dav.so
LoadModule dav_fs_module $modules/mod_dav_fs.so
LoadModule socache_shmcb_module $modules/mod_socache_shmcb.so
LoadModule ssl_module $modules/mod_ssl.so
LoadModule cgid_module $modules/mod_cgid.so
LoadModule env_module $modules/mod_env.so
User nobody
Group nogroup
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
ErrorLog $state/apache-error.log
LogFormat "%m %U %>s" short
CustomLog $state/apache-access.log short
DAVLockDB $state/apache-lock/lockdb
SSLSessionCache shmcb:$state/apache-ssl-cache(512000)
SSLEngine on
SSLProtocol -all +TLSv1.2 +TLSv1.3
SSLCertificateFile $https_state/server.pem
SSLCertificateKeyFile $https_state/server.key
DocumentRoot $state/apache
<Directory />
  Require all denied
</Directory>
<Directory $apache_root>
  Dav On
  AuthType Basic
  AuthName dcagw
  AuthUserFile $state/htpasswd
  Require valid-user
</Directory>
<Directory $apache_root/denied>
  Require all denied
</Directory>
# A multipart/form-data upload endpoint: a tiny CGI program publishing the "file" part.
ScriptSock $state/apache-cgid.sock
ScriptAliasMatch "^/post/incoming/\$" "$state/cgi/receive_multipart.py"
SetEnv DCAGW_POSTED $state/apache/posted
<Location /post/>
  AuthType Basic
  AuthName dcagw
  AuthUserFile $state/htpasswd
  Require valid-user
</Location>
<Directory $state/cgi>
  Options +ExecCGI
  Require all granted
</Directory>
<Directory $apache_root/nomove>
  <Limit MOVE>
    Require all denied
  </Limit>
</Directory>
CONFIG
  cat >"$state/webdav.env" <<ENV
APACHE_PORT=$apache_port
APACHE_ROOT=$apache_root
APACHE_POSTED=$state/apache/posted
RCLONE_WEBDAV_PORT=$rclone_port
RCLONE_WEBDAV_ROOT=$rclone_root
WEBDAV_BASIC_AUTH_FILE=$state/basic_auth
WEBDAV_HTTPS_STATE=$https_state
ENV
  load_env
  start_apache
  start_rclone
  ;;
start)
  load_env
  [[ ${3:-apache} == apache ]] && start_apache
  [[ ${3:-rclone} == rclone ]] && start_rclone
  true
  ;;
stop)
  load_env
  [[ ${3:-apache} == apache ]] && stop_by_pid_file "$state/apache.pid" "$APACHE_PORT"
  [[ ${3:-rclone} == rclone ]] && stop_by_pid_file "$state/rclone-webdav.pid" "$RCLONE_WEBDAV_PORT"
  true
  ;;
*)
  echo "usage: webdav.sh setup|start|stop STATE [HTTPS_STATE|apache|rclone]" >&2
  exit 2
  ;;
esac
