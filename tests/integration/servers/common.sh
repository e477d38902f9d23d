# Shared helpers of the real-server test harness (sourced by sshd.sh and nginx.sh).
# Servers listen on 127.0.0.1 only, on high ports found free at start, and are stopped by
# the PID they wrote, never by name.

# Prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if [[ -z $(ss -Hltn "sport = :$port") ]]; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# Waits until something listens on 127.0.0.1:$1 (up to 30 s: on a loaded 2-core CI
# machine, with another test's servers starting at the same time, 10 s was once too few).
wait_listening() {
  for _ in $(seq 1 300); do
    [[ -n $(ss -Hltn "sport = :$1") ]] && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# Prints the PIDs of every descendant of PID $1 (children first-level and below).
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# Stops the server whose PID file is $1, together with the processes it forked (the
# per-connection sshd processes outlive their master otherwise), and waits until the
# port $2 is closed.
stop_by_pid_file() {
  local pid_file=$1 port=$2 pid pids
  [[ -s $pid_file ]] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    pids="$pid $(descendants "$pid")"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
  fi
  rm -f "$pid_file"
  for _ in $(seq 1 50); do
    [[ -z $(ss -Hltn "sport = :$port") ]] && return 0
    sleep 0.1
  done
}
