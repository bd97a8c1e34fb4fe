#!/usr/bin/env bash
# Makes sure the local services the test machine offers are up, starting any that is down:
# PostgreSQL :5432, Redis :6379, NATS JetStream :4222 and Mosquitto :1883, all required by the tests.
# The embedded default (SQLite + files) needs none of them.
set -uo pipefail

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_up() {
  local port=$1
  for _ in $(seq 1 60); do
    up "$port" && return 0
    sleep 0.5
  done
  return 1
}

ensure() {
  local name=$1 port=$2 required=$3
  shift 3
  if up "$port"; then
    echo "services: $name is up on :$port"
    return 0
  fi
  echo "services: $name is down on :$port, starting it"
  "$@" >/dev/null 2>&1 || true
  if wait_up "$port"; then
    echo "services: $name started on :$port"
  elif [ "$required" = required ]; then
    echo "services: $name did not come up on :$port" >&2
    return 1
  else
    echo "services: $name is not available on :$port (not required by the tests yet)" >&2
  fi
}

status=0
ensure PostgreSQL 5432 required bash -c 'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start' || status=1
ensure Redis 6379 required redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || status=1
ensure NATS 4222 required start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server || status=1
ensure Mosquitto 1883 required mosquitto -d -c /etc/mosquitto/mosquitto.conf
exit $status
