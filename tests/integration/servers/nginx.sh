#!/usr/bin/env bash
# A real nginx for the transport tests: WebDAV (PUT, DELETE, MOVE, PROPFIND) and JSON
# directory listings over TLS with a test CA made here with the openssl command, on 127.0.0.1 at
# free high ports: one listener with server authentication and a bearer token, one that
# also requires a client certificate signed by the test CA.
#
#   nginx.sh setup STATE   makes the CA, certificates, token, web root and config under
#                          STATE, starts nginx and writes STATE/https.env
#   nginx.sh start STATE   starts it again (after stop) with the same files and ports
#   nginx.sh stop STATE    stops it by PID (master and workers)
#
# STATE/https.env: HTTPS_PORT, HTTPS_MTLS_PORT, HTTPS_CA (the test CA), HTTPS_OTHER_CA (an
# unrelated CA), HTTPS_CLIENT_CERT / HTTPS_CLIENT_KEY, HTTPS_TOKEN_FILE (bearer, for /dca/),
# HTTPS_BASIC_AUTH_FILE ("user:password", for /basic/, the same folders), HTTPS_PIN
# (sha256// pin of the server key), HTTPS_ROOT (the folder served as /dca/: incoming/,
# outgoing/, outgoing/archive/, denied/ which nginx's worker cannot write).
# Private keys are generated for each run and deleted with STATE; none is committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"

action=${1:?usage: nginx.sh setup|start|stop STATE}
state=${2:?usage: nginx.sh setup|start|stop STATE}

start() {
  /usr/sbin/nginx -p "$state" -c "$state/nginx.conf" -e "$state/error.log"
  # shellcheck disable=SC1091
  source "$state/https.env"
  wait_listening "$HTTPS_PORT"
  wait_listening "$HTTPS_MTLS_PORT"
}

certificate() { # name subject extensions: a P-256 key and a certificate signed by the test CA
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$state/$1.key" \
    -out "$state/$1.csr" -subj "$2" 2>/dev/null
  openssl x509 -req -in "$state/$1.csr" -CA "$state/ca.pem" -CAkey "$state/ca.key" -CAcreateserial \
    -out "$state/$1.pem" -days 2 -extfile <(printf '%b' "$3") 2>/dev/null
  chmod 0600 "$state/$1.key"
}

case $action in
setup)
  mkdir -p "$state"
  chmod 0755 "$state"
  for ca in ca other_ca; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$state/$ca.key" \
      -out "$state/$ca.pem" -days 2 -subj "/CN=dcagw test $ca" 2>/dev/null
  done
  certificate server /CN=127.0.0.1 \
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n'
  certificate client /CN=dcagw-test-client \
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n'
  pin=$(openssl x509 -in "$state/server.pem" -pubkey -noout | openssl pkey -pubin -outform der \
    | openssl dgst -sha256 -binary | base64)
  token=$(openssl rand -hex 24)
  (umask 077 && echo "$token" >"$state/token")
  # Basic authentication for the same folders under /basic/.
  password=$(openssl rand -hex 12)
  (umask 077 && echo "dcagw:$password" >"$state/basic_auth")
  echo "dcagw:$(openssl passwd -apr1 "$password")" >"$state/htpasswd"
  chmod 0644 "$state/htpasswd"
  root="$state/www/dca"
  mkdir -p "$root"/{incoming,outgoing/archive,denied}
  chown -R nobody:nogroup "$root/incoming" "$root/outgoing"
  port=$(free_port)
  mtls_port=$(free_port)
  while [[ $mtls_port == "$port" ]]; do mtls_port=$(free_port); done
  cat >"$state/nginx.conf" <<CONFIG
# PROPFIND (WebDAV listings) comes from the dav-ext module (libnginx-mod-http-dav-ext).
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
user nobody nogroup;
worker_processes 1;
pid $state/nginx.pid;
error_log $state/error.log;
events { worker_connections 64; }
http {
  # The connection serial number shows whether a session reused its connection.
  log_format with_connection '\$connection \$request_method \$uri \$status';
  access_log $state/access.log with_connection;
  client_body_temp_path $state/body_temp;
  proxy_temp_path $state/proxy_temp;
  fastcgi_temp_path $state/fastcgi_temp;
  uwsgi_temp_path $state/uwsgi_temp;
  scgi_temp_path $state/scgi_temp;
  client_max_body_size 0;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_certificate $state/server.pem;
  ssl_certificate_key $state/server.key;
  root $state/www;
  server {
    listen 127.0.0.1:$port ssl;
    location /dca/ {
      if (\$http_authorization != "Bearer $token") { return 401; }
      dav_methods PUT DELETE MOVE;
      dav_ext_methods PROPFIND OPTIONS;
      create_full_put_path on;
      dav_access user:rw group:r;
      autoindex on;
      autoindex_format json;
    }
    # An access rule, as an agency's server would refuse a folder. (A folder its worker
    # cannot write makes nginx answer PUT with 500, indistinguishable from a fault.)
    location /dca/denied/ { deny all; }
    location /basic/ {
      alias $state/www/dca/;
      auth_basic dcagw;
      auth_basic_user_file $state/htpasswd;
      dav_methods PUT DELETE MOVE;
      dav_ext_methods PROPFIND OPTIONS;
      autoindex on;
      autoindex_format json;
    }
    # The same folders, outgoing/ sent at 200 bytes a second, for the low-speed limit.
    location /slow/ {
      alias $state/www/dca/;
      autoindex on;
      autoindex_format json;
    }
    location /slow/outgoing/ {
      alias $state/www/dca/outgoing/;
      limit_rate 200;
    }
    # A server that sends its clients elsewhere: the gateway must not follow.
    location /dca/moved/ { return 302 https://127.0.0.2:$port/dca/incoming/; }
  }
  server {
    listen 127.0.0.1:$mtls_port ssl;
    ssl_client_certificate $state/ca.pem;
    ssl_verify_client on;
    location /dca/ {
      dav_methods PUT DELETE MOVE;
      dav_ext_methods PROPFIND OPTIONS;
      create_full_put_path on;
      autoindex on;
      autoindex_format json;
    }
  }
}
CONFIG
  cat >"$state/https.env" <<ENV
HTTPS_PORT=$port
HTTPS_MTLS_PORT=$mtls_port
HTTPS_CA=$state/ca.pem
HTTPS_OTHER_CA=$state/other_ca.pem
HTTPS_CLIENT_CERT=$state/client.pem
HTTPS_CLIENT_KEY=$state/client.key
HTTPS_TOKEN_FILE=$state/token
HTTPS_BASIC_AUTH_FILE=$state/basic_auth
HTTPS_PIN=sha256//$pin
HTTPS_ROOT=$root
ENV
  start
  ;;
start) start ;;
stop)
  # shellcheck disable=SC1091
  source "$state/https.env"
  stop_by_pid_file "$state/nginx.pid" "$HTTPS_PORT"
  ;;
*)
  echo "usage: nginx.sh setup|start|stop STATE" >&2
  exit 2
  ;;
esac
