#!/usr/bin/env bash
# Make sure PostgreSQL, Redis and Chromium are here and running; install them on a bare Debian machine.
set -euo pipefail

need_install=()
command -v pg_ctlcluster >/dev/null 2>&1 || need_install+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_install+=(redis-server)
[ -x /usr/bin/chromium ] || need_install+=(chromium)
if [ ${#need_install[@]} -gt 0 ]; then
  echo "Installing ${need_install[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # Stock Debian asks for a password on loopback; trust is fine for a local test database.
  if ! grep -q "careerpath-test" "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust # careerpath-test\nhost all all ::1/128 trust # careerpath-test' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
echo "redis: $(redis-cli -h 127.0.0.1 -p 6379 ping)"
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
