#!/usr/bin/env bash
# metagate load benchmarks: every figure next to a baseline measured in the same run on the same
# machine (bare Vert.x 5 server; plain JDBC SQLite group-commit loop; REST for gRPC; nginx and a
# direct call for upstream mode; pgbench for PostgreSQL). See bench/README.md.
#   bench/run.sh                  # all scenarios, 10 s each
#   DURATION=30s bench/run.sh     # longer runs
#   SCENARIOS="get set" bench/run.sh
#   PORT_BASE=18300 bench/run.sh  # ports PORT_BASE..PORT_BASE+10 must be free
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
SECONDS_JDBC=${SECONDS_JDBC:-10}
SCENARIOS=${SCENARIOS:-"startup get set bulk search batchoff grpc passthrough upcached coalesce overload sidecar postgres rss"}
REPEAT=${REPEAT:-3}
FILL_USERS=${FILL_USERS:-10000}
FILL_KEYS=${FILL_KEYS:-100}
PORT_BASE=${PORT_BASE:-18200}
UPSTREAM_DELAY_MS=${UPSTREAM_DELAY_MS:-5}
OVERLOAD_CONNS=${OVERLOAD_CONNS:-64}   # unloaded concurrency = http.maxInFlight; 3x this overloads
PROBES=${PROBES:-200}                  # rejection-latency probes during the overload run
SIDECAR_JAVA_OPTS=${SIDECAR_JAVA_OPTS:-"-Xms64m -Xmx192m"}  # as deploy/kubernetes-sidecar.yaml
API=$PORT_BASE ADMIN=$((PORT_BASE + 1)) BARE=$((PORT_BASE + 2)) FAKE=$((PORT_BASE + 3))
NGINX=$((PORT_BASE + 4)) UP_API=$((PORT_BASE + 5)) UP_ADMIN=$((PORT_BASE + 6)) PG=$((PORT_BASE + 7))
API2=$((PORT_BASE + 8)) ADMIN2=$((PORT_BASE + 9)) BPROXY=$((PORT_BASE + 10))
for port in $(seq "$PORT_BASE" $((PORT_BASE + 10))); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (someone else's server?): pick another PORT_BASE" >&2; exit 1
  fi
done
has() { case " $SCENARIOS " in *" $1 "*) return 0 ;; esac; return 1; }
JAR=target/metagate.jar
OUT=${OUT:-bench/results/latest.md}

need() { # command package
  command -v "$1" >/dev/null && return
  echo "installing $2" >&2; apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
if has passthrough; then need nginx nginx; fi
if has overload; then need curl curl; fi
if has grpc; then need h2load nghttp2-client; fi
PGBIN=
if has postgres; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$PGBIN" ] || ! command -v pgbench >/dev/null; then
    echo "installing postgresql" >&2; apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
fi
./run.sh --version >/dev/null   # builds the jar and its class-data-sharing archive when stale
CDS=(-XX:SharedArchiveFile=target/metagate.jsa -Xshare:auto)
work=$(mktemp -d)
pids=()
javac -nowarn -cp "$JAR" -d "$work/classes" bench/src/*.java
CP="$JAR:$work/classes"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ ! -f "$work/nginx/nginx.pid" ] || kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  [ ! -d "$work/pg/data" ] || pg_as "$PGBIN/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
wait_200() { # url timeout_s
  local deadline=$(( $(now_ms) + ${2:-30} * 1000 ))
  until curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null | grep -q 200; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "timeout waiting for $1" >&2; return 1; }
    sleep 0.01
  done
}
start_bare() { java "$@" -cp "$CP" BareVertx $BARE >"$work/bare.log" 2>&1 & bare_pid=$!; pids+=($bare_pid); }
start_mg() { # api_port admin_port log_name [env assignments]; sets last_pid
  local api=$1 admin=$2 log=$3; shift 3
  env METAGATE_HTTP_PORT="$api" METAGATE_ADMIN_PORT="$admin" METAGATE_STORE_PATH="$work/data/metagate.db" \
    METAGATE_AUTH_DEV_ISSUER=true METAGATE_LOG_LEVEL=warn "$@" \
    java "${CDS[@]}" ${JAVA_OPTS:--Xms64m -Xmx384m} -jar "$JAR" --config conf/metagate.yaml >>"$work/$log.log" 2>&1 &
  last_pid=$!; pids+=($last_pid)
}
start_metagate() { start_mg "$API" "$ADMIN" metagate "$@"; mg_pid=$last_pid; } # local mode, SQLite
restart_metagate() { stop "$mg_pid"; start_metagate "$@"; wait_200 "http://127.0.0.1:$ADMIN/health/ready"; }
dur_s() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /ms$/) n /= 1000; else if (d ~ /m$/) n *= 60; else if (d ~ /h$/) n *= 3600; print n }'; }
rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
token() { METAGATE_STORE_PATH="$work/data/metagate.db" METAGATE_AUTH_DEV_ISSUER=true java -jar "$JAR" token --config conf/metagate.yaml --sub bench --org bench-org --roles ORG_OWNER; }

# a latency percentile of wrk --latency output ("50%", "99%") in ms
wrk_ms() { # wrk_output percentile
  echo "$1" | awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'
}
# wrk → "req_per_sec p99_ms"
run_wrk() { # conns script url; an unmeasured warm-up run first, so JIT compilation is done
  local t=$(( $1 < 2 ? $1 : 2 ))
  wrk -t$t -c"$1" -d"$WARMUP" -s "$2" "$3" >/dev/null
  local out; out=$(wrk -t$t -c"$1" -d"$DURATION" --latency -s "$2" "$3")
  echo "$out" >>"$work/wrk.log"
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(wrk_ms "$out" 99%)
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  [ -z "$non2xx" ] || echo "warning: $non2xx non-2xx responses in $2" >&2
  echo "$rps $p99"
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# Baseline and metagate measured alternately REPEAT times after one warm-up each; medians win,
# so a noisy neighbour hurts both sides alike. Prints "base_rps base_p99 mg_rps mg_p99".
compare() { # conns base_script base_url mg_script mg_url
  local t=$(( $1 < 2 ? $1 : 2 )) br=() bp=() mr=() mp=() r p
  wrk -t$t -c"$1" -d"$WARMUP" -s "$2" "$3" >/dev/null
  wrk -t$t -c"$1" -d"$WARMUP" -s "$4" "$5" >/dev/null
  local WARMUP_SAVED=$WARMUP; WARMUP=1s
  for _ in $(seq "$REPEAT"); do
    read -r r p < <(run_wrk "$1" "$2" "$3"); br+=("$r"); bp+=("$p")
    read -r r p < <(run_wrk "$1" "$4" "$5"); mr+=("$r"); mp+=("$p")
  done
  WARMUP=$WARMUP_SAVED
  echo "$(median "${br[@]}") $(median "${bp[@]}") $(median "${mr[@]}") $(median "${mp[@]}")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

rows=()
row() { # scenario value baseline ratio target notes
  rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); echo "  $1: $2 (baseline $3) ratio $4, target $5; $6" >&2
}

# wrk with metagate's CPU time over the measured run → "req_per_sec p99_ms server_us_per_request"
run_wrk_cpu() { # conns script; one unmeasured WARMUP run first, as run_wrk
  wrk -t2 -c"$1" -d"$WARMUP" -s "$2" "http://127.0.0.1:$API" >/dev/null
  local t0 out t1; t0=$(ticks "$mg_pid")
  out=$(wrk -t2 -c"$1" -d"$DURATION" --latency -s "$2" "http://127.0.0.1:$API")
  t1=$(ticks "$mg_pid"); echo "$out" >>"$work/wrk.log"
  local n; n=$(echo "$out" | awk '/requests in/ {print $1}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  [ -z "$non2xx" ] || echo "warning: $non2xx non-2xx responses in $2" >&2
  echo "$out" | awk -v n="$n" -v t=$((t1 - t0)) '/Requests\/sec/ {rps=$2}
    $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p=v}
    END {printf "%s %s %.1f\n", rps, p, (n > 0 ? t * 10000 / n : 0)}'
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, 1/100 s
# gRPC load client (src/GrpcLoad.java: Netty, raw HTTP/2 frames, 4 connections x 16 streams on 2
# threads by default) → "rps p99_ms errors server_us_per_call client_cpu_percent"
run_grpc() { # calls method
  # C1 only: a fresh JVM on a busy 2-core machine otherwise spends the warm-up waiting for C2 and
  # measures its own interpreter (~100 µs of client CPU per call, vs ~10 µs compiled by C1)
  local out; out=$(SERVER_PID=$mg_pid java -XX:TieredStopAtLevel=1 -cp "$CP" GrpcLoad "$API" "$TOKEN" "$2" "$1" "$(dur_s "$DURATION")" "$(dur_s "$GRPC_WARMUP")" "$USER_ID" "$KEY")
  echo "grpc $2 c=$1: $out" >>"$work/wrk.log"
  echo "$out" | awk '{sub(/%/, "", $8); print $2, $4, $6, $12, $8}'
}
# REST (wrk) and gRPC (GrpcLoad) alternately REPEAT times → "rest_rps rest_p99 rest_us grpc_rps
# grpc_p99 grpc_us grpc_errors client_cpu%" (medians; errors summed)
compare_grpc() { # conns lua method
  local rr=() rp=() ru=() gr=() gp=() gu=() gc=() ge=0 r p u e c
  GRPC_WARMUP=$WARMUP
  for i in $(seq "$REPEAT"); do
    read -r r p u < <(run_wrk_cpu "$1" "$2"); rr+=("$r"); rp+=("$p"); ru+=("$u")
    read -r r p e u c < <(run_grpc "$1" "$3"); gr+=("$r"); gp+=("$p"); gu+=("$u"); gc+=("$c"); ge=$((ge + e)) # a fresh JVM: warms for WARMUP each time
  done
  echo "$(median "${rr[@]}") $(median "${rp[@]}") $(median "${ru[@]}") $(median "${gr[@]}") $(median "${gp[@]}") $(median "${gu[@]}") $ge $(median "${gc[@]}")"
}
# Upstream mode: the fake ZITADEL (fixed delay), metagate in upstream mode in front of it, and
# nginx proxy_pass with upstream keepalive in front of the same fake. Started once, on first use.
upstream_up() {
  [ -z "${fake_pid:-}" ] || return 0
  java -cp "$CP" FakeZitadel "$FAKE" "$UPSTREAM_DELAY_MS" >"$work/fake.log" 2>&1 & fake_pid=$!; pids+=($fake_pid)
  wait_200 "http://127.0.0.1:$FAKE/fake/stats"
  start_mg "$UP_API" "$UP_ADMIN" upstream METAGATE_MODE=upstream METAGATE_UPSTREAM_URL="http://127.0.0.1:$FAKE"
  up_pid=$last_pid; wait_200 "http://127.0.0.1:$UP_ADMIN/health/ready"
}
fake_count() { curl -s "http://127.0.0.1:$FAKE/fake/stats" | sed "s/.*\"$1\":\([0-9]*\).*/\1/"; } # writes|reads|other
fake_writes() { fake_count writes; }
nginx_up() {
  [ ! -f "$work/nginx/nginx.pid" ] || return 0
  mkdir -p "$work/nginx/tmp"; chmod 1777 "$work/nginx/tmp"
  cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  upstream fake { server 127.0.0.1:$FAKE; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX;
    location / {
      proxy_pass http://fake;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
  nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf"
  wait_200 "http://127.0.0.1:$NGINX/management/v1/orgs/me"
}
# A throw-away PostgreSQL cluster in $work/pg (trust auth, loopback, port $PG), as user postgres
# when run as root. Databases: metagate (the store), pgbench (the baseline's table).
pg_up() {
  [ ! -d "$work/pg/data" ] || return 0
  mkdir -p "$work/pg"
  if [ "$(id -u)" = 0 ]; then chmod 755 "$work"; chown postgres "$work/pg"; fi
  pg_as "$PGBIN/initdb" -D "$work/pg/data" -A trust -U postgres >"$work/pg-init.log" 2>&1
  pg_as "$PGBIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
    -o "-p $PG -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  psql -q -h 127.0.0.1 -p "$PG" -U postgres -c "CREATE DATABASE metagate" -c "CREATE DATABASE pgbench"
  psql -q -h 127.0.0.1 -p "$PG" -U postgres -d pgbench -c "CREATE TABLE bench_metadata (org_id TEXT NOT NULL,
    user_id TEXT NOT NULL, key TEXT NOT NULL, value BYTEA NOT NULL, sequence BIGINT NOT NULL,
    creation_micros BIGINT NOT NULL, change_micros BIGINT NOT NULL, PRIMARY KEY (org_id, user_id, key))"
}
PG_ENV=(METAGATE_STORE_TYPE=postgres "METAGATE_STORE_URL=postgres://postgres:bench@127.0.0.1:$PG/metagate")

start_bare; wait_200 "http://127.0.0.1:$BARE/plaintext"
start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
TOKEN=$(token); export TOKEN
export USER_ID=bench KEY=greeting
seed() { # the user the read scenarios use (again after rss wiped the store)
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -X POST \
    "http://127.0.0.1:$API/management/v1/users/$USER_ID/metadata/_bulk" \
    -d '{"metadata":[{"key":"greeting","value":"aGVsbG8="},{"key":"key-1a","value":"eA=="},{"key":"key-1b","value":"eQ=="}]}'
}
seed

for s in $SCENARIOS; do case $s in
startup)
  stop "$bare_pid"; stop "$mg_pid"
  t0=$(now_ms); start_bare; wait_200 "http://127.0.0.1:$BARE/plaintext"; bare_ms=$(( $(now_ms) - t0 ))
  t0=$(now_ms); start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"; mg_ms=$(( $(now_ms) - t0 ))
  stop "$mg_pid"; CDS=(-Xshare:off)
  t0=$(now_ms); start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"; nocds_ms=$(( $(now_ms) - t0 ))
  stop "$mg_pid"; CDS=(-XX:SharedArchiveFile=target/metagate.jsa -Xshare:auto)
  start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
  row "startup to ready (ms, lower is better; as run.sh starts it, with CDS)" "$mg_ms" "$bare_ms (bare Vert.x first 200)" "$(ratio "$mg_ms" "$bare_ms")" "report" "without CDS ${nocds_ms} ms" ;;
get)
  read -r b_rps b_p99 m_rps m_p99 < <(compare 64 /dev/null "http://127.0.0.1:$BARE/plaintext" bench/lua/get.lua "http://127.0.0.1:$API")
  row "cached GET with JWT, 64 conns (req/s)" "$m_rps" "$b_rps (bare plaintext)" "$(ratio "$m_rps" "$b_rps")" "report" "p99 ${m_p99}ms vs ${b_p99}ms" ;;
set)
  read -r b_rps b_p99 m_rps m_p99 < <(compare 64 bench/lua/echo.lua "http://127.0.0.1:$BARE" bench/lua/set.lua "http://127.0.0.1:$API")
  set_rps=$m_rps
  row "durable single-key set, 64 conns (req/s)" "$m_rps" "$b_rps (bare JSON echo)" "$(ratio "$m_rps" "$b_rps")" "report" "p99 ${m_p99}ms vs ${b_p99}ms" ;;
bulk)
  jdbc=$(java -cp "$CP" JdbcGroupCommit "$work/jdbc" "$SECONDS_JDBC" 1000 | awk '/rows_per_sec/ {print $2}')
  for c in 1 16 64 256; do
    # one warm-up, then the median of REPEAT runs: one 5 s sample of a durable write rate swung
    # from 0.60 to 0.79 of the baseline between two runs on the same machine
    rr=() pp=(); WARMUP_SAVED=$WARMUP
    for i in $(seq "$REPEAT"); do
      read -r m_rps m_p99 < <(run_wrk $c bench/lua/bulk10.lua "http://127.0.0.1:$API")
      rr+=("$m_rps"); pp+=("$m_p99"); WARMUP=1s
    done
    WARMUP=$WARMUP_SAVED; m_rps=$(median "${rr[@]}"); m_p99=$(median "${pp[@]}")
    r=$(awk -v x="$m_rps" 'BEGIN { printf "%.0f", x * 10 }')
    row "durable 10-key bulk set, $c conns (rows/s)" "$r" "$jdbc (JDBC loop, 1000 rows/tx)" "$(ratio "$r" "$jdbc")" "report" "p99 ${m_p99}ms"
  done ;;
search)
  read -r b_rps b_p99 m_rps m_p99 < <(compare 64 /dev/null "http://127.0.0.1:$BARE/plaintext" bench/lua/search.lua "http://127.0.0.1:$API")
  row "list with key query, 64 conns (req/s)" "$m_rps" "$b_rps (bare plaintext)" "$(ratio "$m_rps" "$b_rps")" "report" "p99 ${m_p99}ms vs ${b_p99}ms" ;;
batchoff)
  [ -n "${set_rps:-}" ] || read -r set_rps _ < <(run_wrk 64 bench/lua/set.lua "http://127.0.0.1:$API")
  restart_metagate METAGATE_BATCH_MAX_SIZE=1
  offs=() offps=()
  for _ in $(seq "$REPEAT"); do read -r r p < <(run_wrk 64 bench/lua/set.lua "http://127.0.0.1:$API"); offs+=("$r"); offps+=("$p"); done
  off_rps=$(median "${offs[@]}"); off_p99=$(median "${offps[@]}")
  row "group commit vs one fsync per request, single-key set, 64 conns (req/s)" "$set_rps" "$off_rps (batch.maxSize=1)" "$(ratio "$set_rps" "$off_rps")" "> 1" "p99 off ${off_p99}ms"
  restart_metagate ;;
rss)
  stop "$mg_pid"; rm -rf "$work/data/metagate.db"*; start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
  idle_kb=$(awk '/VmRSS/ {print $2}' /proc/$mg_pid/status)
  java -cp "$CP" Fill "http://127.0.0.1:$API" "$TOKEN" "$FILL_USERS" "$FILL_KEYS" >&2
  sleep 2
  rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$mg_pid/status)
  seed
  keys=$(( FILL_USERS * FILL_KEYS ))
  row "RSS after $keys keys, default config (MiB)" "$(( rss_kb / 1024 ))" "$(( 256 + 200 )) (cache.maxBytes + 200 MiB target)" "$(ratio "$rss_kb" $(( (256 + 200) * 1024 )))" "< 1" "idle $(( idle_kb / 1024 )) MiB" ;;
grpc)
  # the same call from a C client (no JVM warm-up, little CPU): h2load posting one framed request,
  # 4 connections x 16 streams on 2 threads, the shape GrpcLoad uses; its grpc-status checked once
  n=$(( 4 + ${#USER_ID} + ${#KEY} ))
  printf "\\x00\\x00\\x00\\x00\\x$(printf %02x $n)\\x0a\\x$(printf %02x ${#USER_ID})%s\\x12\\x$(printf %02x ${#KEY})%s" "$USER_ID" "$KEY" >"$work/get.bin"
  gurl="http://127.0.0.1:$API/zitadel.management.v1.ManagementService/GetUserMetadata"
  h2=(h2load -c 4 -m 16 -t 2 -H "content-type: application/grpc" -H "te: trailers" -H "authorization: Bearer $TOKEN" -d "$work/get.bin")
  gst=$(curl -s -o /dev/null -D - --http2-prior-knowledge "${h2[@]:7:6}" --data-binary @"$work/get.bin" "$gurl" | tr -d '\r' | awk -F': ' 'tolower($1) == "grpc-status" { print $2 }')
  run_h2load() {
    local out; out=$("${h2[@]}" -D "$(dur_s "$DURATION")" --warm-up-time="$(dur_s "$WARMUP")" "$gurl" 2>&1); echo "$out" >>"$work/wrk.log"
    echo "$(echo "$out" | awk '/^finished in/ { print $4 }') $(echo "$out" | awk '/^requests:/ { print $10 + $12 + $14 }')"
  }
  # reads: metagate's gRPC path warmed first (REST's was, by the earlier scenarios or each wrk
  # warm-up), then wrk, GrpcLoad and h2load in turn REPEAT times
  "${h2[@]}" -D "$(dur_s "$WARMUP")" "$gurl" >/dev/null 2>&1
  GRPC_WARMUP=$WARMUP; rr=() rp=() ru=() gr=() gp=() gu=() gc=() hr=() ge=0 hf=0
  for i in $(seq "$REPEAT"); do
    read -r r p u < <(run_wrk_cpu 64 bench/lua/get.lua); rr+=("$r"); rp+=("$p"); ru+=("$u")
    read -r r p e u c < <(run_grpc 64 get); gr+=("$r"); gp+=("$p"); gu+=("$u"); gc+=("$c"); ge=$((ge + e))
    read -r r e < <(run_h2load); hr+=("$r"); hf=$((hf + e))
  done
  r_rps=$(median "${rr[@]}") r_p99=$(median "${rp[@]}") r_us=$(median "${ru[@]}")
  g_rps=$(median "${gr[@]}") g_p99=$(median "${gp[@]}") g_us=$(median "${gu[@]}") g_cpu=$(median "${gc[@]}") h_rps=$(median "${hr[@]}")
  row "gRPC unary GetUserMetadata (cached), 64 concurrent calls, GrpcLoad (req/s)" "$g_rps" "$r_rps (REST cached GET, wrk 64 conns)" "$(ratio "$g_rps" "$r_rps")" "≥ 1.0" "p99 ${g_p99}ms vs ${r_p99}ms; gRPC errors $ge; metagate CPU per call ${g_us}µs vs ${r_us}µs; client CPU ${g_cpu}% of a core"
  row "gRPC unary GetUserMetadata (cached), 4 conns x 16 streams, h2load (req/s)" "$h_rps" "$r_rps (REST cached GET, wrk 64 conns)" "$(ratio "$h_rps" "$r_rps")" "≥ 1.0" "failed/errored/timeout $hf; grpc-status of one call: ${gst:-none}"
  row "load client check: GrpcLoad vs h2load, same GetUserMetadata, same shape (req/s)" "$g_rps" "$h_rps (h2load)" "$(ratio "$g_rps" "$h_rps")" "≈ 1.0" "GrpcLoad is a JVM: ≪ 1 means the client, not metagate, limits the gRPC rows"
  read -r r_rps r_p99 r_us g_rps g_p99 g_us g_err g_cpu < <(compare_grpc 64 bench/lua/bulk10.lua bulk)
  row "gRPC unary BulkSetUserMetadata, 10 changed keys, 64 concurrent calls (req/s)" "$g_rps" "$r_rps (REST 10-key bulk, wrk 64 conns)" "$(ratio "$g_rps" "$r_rps")" "≥ 1.0" "p99 ${g_p99}ms vs ${r_p99}ms; gRPC errors $g_err; metagate CPU per call ${g_us}µs vs ${r_us}µs; client CPU ${g_cpu}% of a core" ;;
passthrough)
  upstream_up; nginx_up
  # the proxy path's JIT compilation needs far longer than WARMUP under full load on 2 cores
  # (measured: ~50 s to steady state); nginx needs none, so this warms metagate only
  wrk -t2 -c64 -d"${PASSTHROUGH_WARMUP:-40s}" -s bench/lua/passthrough.lua "http://127.0.0.1:$UP_API" >/dev/null
  read -r b_rps b_p99 m_rps m_p99 < <(compare 64 bench/lua/passthrough.lua "http://127.0.0.1:$NGINX" bench/lua/passthrough.lua "http://127.0.0.1:$UP_API")
  row "upstream mode pass-through, non-metadata GET, fake +${UPSTREAM_DELAY_MS} ms, 64 conns (req/s)" "$m_rps" "$b_rps (nginx proxy_pass, keepalive 64)" "$(ratio "$m_rps" "$b_rps")" "≥ 1.0, p99 ≤ nginx's" "p99 ${m_p99}ms vs ${b_p99}ms"
  # the floor of any Vert.x proxy here (bench/src/BareProxy.java), against the same nginx
  java ${JAVA_OPTS:--Xms64m -Xmx384m} -cp "$CP" BareProxy "$BPROXY" "$FAKE" >"$work/bareproxy.log" 2>&1 & bp_pid=$!; pids+=($bp_pid)
  wait_200 "http://127.0.0.1:$BPROXY/management/v1/orgs/me"
  wrk -t2 -c64 -d"${PASSTHROUGH_WARMUP:-40s}" -s bench/lua/passthrough.lua "http://127.0.0.1:$BPROXY" >/dev/null
  read -r b_rps b_p99 x_rps x_p99 < <(compare 64 bench/lua/passthrough.lua "http://127.0.0.1:$NGINX" bench/lua/passthrough.lua "http://127.0.0.1:$BPROXY")
  stop "$bp_pid"
  row "bare Vert.x proxy (no rules, ids, limits or metrics), same load (req/s)" "$x_rps" "$b_rps (nginx proxy_pass, keepalive 64)" "$(ratio "$x_rps" "$b_rps")" "report" "p99 ${x_p99}ms vs ${b_p99}ms; metagate's pass-through is $(ratio "$m_rps" "$x_rps") of this floor" ;;
upcached)
  upstream_up
  # one read confirms the credential for the user (ZITADEL accepted it); later reads are cached
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$UP_API/management/v1/users/$USER_ID/metadata/$KEY"
  r0=$(fake_count reads)
  read -r l_rps l_p99 u_rps u_p99 < <(compare 64 bench/lua/get.lua "http://127.0.0.1:$API" bench/lua/get.lua "http://127.0.0.1:$UP_API")
  up_reads=$(( $(fake_count reads) - r0 ))
  read -r d_rps d_p99 < <(run_wrk 64 bench/lua/get.lua "http://127.0.0.1:$FAKE")
  row "upstream mode cached GET, confirmed credential, 64 conns (req/s)" "$u_rps" "$l_rps (local mode cached GET)" "$(ratio "$u_rps" "$l_rps")" "≥ 0.50" "p99 ${u_p99}ms vs ${l_p99}ms; upstream reads during the runs: $up_reads (cache.ttl refetches)"
  row "upstream mode cached GET vs going direct to the fake (+${UPSTREAM_DELAY_MS} ms), 64 conns (req/s)" "$u_rps" "$d_rps (GET straight to the fake)" "$(ratio "$u_rps" "$d_rps")" "report" "p99 ${u_p99}ms vs ${d_p99}ms" ;;
coalesce)
  upstream_up
  n=${COALESCE_SETS:-1000}; w0=$(fake_writes)
  out=$(java -cp "$CP" Burst "http://127.0.0.1:$UP_API" "$TOKEN" "coalesce-$RANDOM" "$n")
  calls=$(( ( $(fake_writes) - w0 ) * 1000 / n ))
  row "upstream write calls per 1,000 concurrent single-key sets on one user" "$calls" "1000 (one call per set)" "$(ratio "$calls" 1000)" "≤ 50 calls" "$out" ;;
overload)
  # http.maxInFlight = the unloaded concurrency (plus one slot for the rejection probe, which also
  # runs beside the unloaded phases); then 3x the clients. Two kinds of client, each
  # against unloaded runs of its own kind, alternated REPEAT times (medians win, as in compare()):
  # clients that wait the 503's Retry-After are src/RetryAfterLoad.java (wrk's delay() cannot keep
  # a wait on the refused connection; every refusal is timed by the client), clients that retry at
  # once are wrk with lua/overload_set_eager.lua (statuses counted by lua/statuses.lua, rejection
  # latency sampled by a sequential curl probe during a further 3x run).
  url="http://127.0.0.1:$API" over=$(( OVERLOAD_CONNS * 3 )) bound=$(( OVERLOAD_CONNS + 1 ))
  restart_metagate METAGATE_HTTP_MAX_IN_FLIGHT="$bound"
  st() { echo "$1" | awk -v k="$2" '/statuses/ { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print a[2] } }'; }
  per_s() { awk -v n="$(st "$1" ok)" -v s="$(st "$1" secs)" 'BEGIN { printf "%.0f", n / s }'; }
  probe() { # count out_file [curl options]: sequential sets on one kept-alive connection
    local n=$1 file=$2; shift 2
    curl -s "$@" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d '{"value":"eA=="}' \
      -w '\nPROBE %{http_code} %{time_total} %{num_connects}\n' "$url/management/v1/users/probe-[1-$n]/metadata/k" \
      | grep '^PROBE' >"$file"
  }
  probe_503s() { # probe output file → "p99 max n" of the probes answered 503 (ms), and connections opened
    awk '$2 == 503 { print $3 * 1000 }' "$1" | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f %.2f %d", v[int(NR * 0.99 + 0.999)], v[NR], NR; else printf "n/a n/a 0" }'
    awk '{ n += $4 } END { print " " n + 0 }' "$1"
  }
  # clients that wait Retry-After: one client JVM warms up (WARMUP at 1x, then at 3x) and then runs
  # the REPEAT alternating pairs of phases, one output line each. From the end of its warm-up a
  # curl probe sends 100 sets a second on its own connection; those answered 503 (only the 3x
  # phases refuse) time the rejection from outside the busy load client.
  probe_n=$(awk -v d="$(dur_s "$DURATION")" -v r="$REPEAT" 'BEGIN { printf "%d", d * r * 2 * 100 }')
  ( sleep "$(awk -v w="$(dur_s "$WARMUP")" 'BEGIN { print 2 * w + 2 }')"
    probe "$probe_n" "$work/probe-wait.txt" --rate 100/s ) & probe_pid=$!
  out=$(java -cp "$CP" RetryAfterLoad "$API" "$TOKEN" "$OVERLOAD_CONNS" "$(dur_s "$DURATION")" "$(dur_s "$WARMUP")" "$REPEAT")
  wait "$probe_pid" || true
  echo "$out" >>"$work/wrk.log"
  read -r probe_p99 probe_max probe_n503 probe_conns < <(probe_503s "$work/probe-wait.txt")
  us=() os=() u_p50s=() rej_p50s=() rej_p99s=() o_p99s=() rej_max=0 s503=0 s5xx=0 other=0 u503=0 fresh=
  while read -r line; do
    case $line in
      unloaded*) us+=("$(per_s "$line")") u_p50s+=("$(st "$line" p50_ms)") u503=$(( u503 + $(st "$line" s503) )) ;;
      overloaded*) os+=("$(per_s "$line")") rej_p50s+=("$(st "$line" refusal_p50_ms)") rej_p99s+=("$(st "$line" refusal_p99_ms)")
        o_p99s+=("$(st "$line" p99_ms)") s503=$(( s503 + $(st "$line" s503) ))
        rej_max=$(awk -v a="$rej_max" -v b="$(st "$line" refusal_max_ms)" 'BEGIN { print (b > a ? b : a) }') ;;
      fresh*) fresh=$line ;;
    esac
    s5xx=$(( s5xx + $(st "$line" s5xx) )) other=$(( other + $(st "$line" other) ))
  done <<<"$out"
  label="clients that wait Retry-After"
  u_ok=$(median "${us[@]}") o_ok=$(median "${os[@]}") u_p50=$(median "${u_p50s[@]}") rej_p99=$(median "${rej_p99s[@]}")
  row "3x overload ($over clients, maxInFlight $bound), $label: durable single-key sets served (200s/s, median of $REPEAT)" "$o_ok" "$u_ok (unloaded, $OVERLOAD_CONNS clients, same client, alternated)" "$(ratio "$o_ok" "$u_ok")" "≥ 0.95" "runs: 3x ${os[*]} / unloaded ${us[*]}; rejected 503 in the 3x runs: $s503; unloaded runs' 503s: $u503; client src/RetryAfterLoad.java"
  row "3x overload, $label: rejection latency, p99 of $probe_n503 probed 503s (ms)" "$probe_p99" "$u_p50 (unloaded p50 of served sets)" "$(ratio "$probe_p99" "$u_p50")" "< 5 ms each" "max ${probe_max}ms; probe connections opened: $probe_conns"
  row "3x overload, $label: rejection latency as the load client saw every 503, p50 / p99 (ms, medians of the 3x runs)" "$(median "${rej_p50s[@]}") / $rej_p99" "$u_p50 (unloaded p50 of served sets)" "$(ratio "$rej_p99" "$u_p50")" "report" "max ${rej_max}ms over all $s503 refusals; per run p99: ${rej_p99s[*]}; served sets' p99 in the same runs: ${o_p99s[*]}; includes each phase's start, when all $over connections send at once, and the load client's own wait for CPU"
  row "3x overload, $label, connection storm: rejection latency when all $over connections are new and send at once, p99 / max (ms)" "$(st "$fresh" refusal_p99_ms) / $(st "$fresh" refusal_max_ms)" "$u_p50 (unloaded p50 of served sets)" "$(ratio "$(st "$fresh" refusal_max_ms)" "$u_p50")" "report" "$(st "$fresh" s503) refusals; the rows above prime each connection with one GET first"
  row "3x overload, $label: 5xx other than 503" "$s5xx" "0" "n/a" "0" "all runs; other non-200/503 statuses: $other"
  # clients that ignore Retry-After: warm at 1x, then at 3x so the refusal path is compiled too
  wrk -t2 -c"$OVERLOAD_CONNS" -d"$WARMUP" -s bench/lua/overload_set_eager.lua "$url" >/dev/null
  wrk -t2 -c"$over" -d"$DURATION" -s bench/lua/overload_set_eager.lua "$url" >/dev/null
  eager=bench/lua/overload_set_eager.lua label="clients that ignore Retry-After"
  us=() os=() u_p50s=() s503=0 s5xx=0 other=0 u503=0
  for _ in $(seq "$REPEAT"); do
    u_out=$(wrk -t2 -c"$OVERLOAD_CONNS" -d"$DURATION" --latency -s "$eager" "$url")
    o_out=$(wrk -t2 -c"$over" -d"$DURATION" --latency -s "$eager" "$url")
    echo "$eager" "$u_out" "$o_out" >>"$work/wrk.log"
    us+=("$(per_s "$u_out")") os+=("$(per_s "$o_out")") u_p50s+=("$(wrk_ms "$u_out" 50%)")
    s503=$(( s503 + $(st "$o_out" s503) )) s5xx=$(( s5xx + $(st "$o_out" s5xx) + $(st "$u_out" s5xx) ))
    other=$(( other + $(st "$o_out" other) )) u503=$(( u503 + $(st "$u_out" s503) ))
    echo "  overload $label: unloaded ${us[-1]}/s, 3x ${os[-1]}/s" >&2
  done
  ( sleep 1; probe "$PROBES" "$work/probe.txt" ) & probe_pid=$!
  p_out=$(wrk -t2 -c"$over" -d"$DURATION" -s "$eager" "$url")
  wait "$probe_pid" || true
  s5xx=$(( s5xx + $(st "$p_out" s5xx) )) other=$(( other + $(st "$p_out" other) ))
  read -r rej_p99 rej_max rej_n conns < <(probe_503s "$work/probe.txt")
  u_ok=$(median "${us[@]}") o_ok=$(median "${os[@]}")
  row "3x overload ($over clients, maxInFlight $bound), $label: durable single-key sets served (200s/s, median of $REPEAT)" "$o_ok" "$u_ok (unloaded, $OVERLOAD_CONNS clients, same script, alternated)" "$(ratio "$o_ok" "$u_ok")" "report" "runs: 3x ${os[*]} / unloaded ${us[*]}; rejected 503 in the 3x runs: $s503; unloaded runs' 503s: $u503"
  row "3x overload, $label: rejection latency, p99 of $rej_n probed 503s (ms)" "$rej_p99" "$(median "${u_p50s[@]}") (unloaded p50 of served sets)" "$(ratio "$rej_p99" "$(median "${u_p50s[@]}")")" "report" "max ${rej_max}ms; probe connections opened: $conns; a 3x run of its own"
  row "3x overload, $label: 5xx other than 503" "$s5xx" "0" "n/a" "0" "all runs; other non-200/503 statuses in the 3x runs: $other"
  restart_metagate ;;
sidecar)
  # idle RSS with a 64 MiB cache and the sidecar JAVA_OPTS of deploy/kubernetes-sidecar.yaml,
  # after a short warm-up of reads and writes; baseline: bare Vert.x with the same JAVA_OPTS
  saved_opts=${JAVA_OPTS-}; JAVA_OPTS=$SIDECAR_JAVA_OPTS
  stop "$mg_pid"; start_metagate METAGATE_CACHE_MAX_BYTES=64MiB; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
  sleep 2; fresh=$(rss_mib "$mg_pid")
  wrk -t2 -c64 -d"$WARMUP" -s bench/lua/get.lua "http://127.0.0.1:$API" >/dev/null
  wrk -t2 -c64 -d"$WARMUP" -s bench/lua/set.lua "http://127.0.0.1:$API" >/dev/null
  sleep 2; warm=$(rss_mib "$mg_pid")
  stop "$bare_pid"; start_bare $SIDECAR_JAVA_OPTS; wait_200 "http://127.0.0.1:$BARE/plaintext"
  wrk -t2 -c64 -d"$WARMUP" "http://127.0.0.1:$BARE/plaintext" >/dev/null
  sleep 2; bare_rss=$(rss_mib "$bare_pid")
  stop "$bare_pid"; start_bare; wait_200 "http://127.0.0.1:$BARE/plaintext"
  JAVA_OPTS=$saved_opts; restart_metagate
  row "idle RSS, cache.maxBytes 64MiB, JAVA_OPTS $SIDECAR_JAVA_OPTS, after warm-up (MiB)" "$warm" "$bare_rss (bare Vert.x, same JAVA_OPTS, after warm-up)" "$(ratio "$warm" "$bare_rss")" "< 256 MiB" "right after ready ${fresh} MiB" ;;
postgres)
  pg_up
  stop "$mg_pid"
  start_mg "$API" "$ADMIN" pg1 "${PG_ENV[@]}"; pg1_pid=$last_pid; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
  secs=$(awk -v s="$(dur_s "$DURATION")" 'BEGIN { printf "%d", s < 1 ? 1 : s + 0.999 }')
  wsecs=$(awk -v s="$(dur_s "$WARMUP")" 'BEGIN { printf "%d", s < 1 ? 1 : s + 0.999 }')
  pgb=(pgbench -n -h 127.0.0.1 -p "$PG" -U postgres -c 64 -j 2 -M prepared -f bench/pgbench/upsert.sql)
  "${pgb[@]}" -T "$wsecs" pgbench >/dev/null 2>&1
  pg_tps=$("${pgb[@]}" -T "$secs" pgbench 2>/dev/null | awk '/^tps/ { printf "%.0f", $3; exit }')
  read -r r1 p1 < <(run_wrk 64 bench/lua/bulk10.lua "http://127.0.0.1:$API")
  rows1=$(awk -v x="$r1" 'BEGIN { printf "%.0f", x * 10 }')
  row "PostgreSQL store, durable 10-key bulk set, 1 instance, 64 conns (rows/s)" "$rows1" "$pg_tps (pgbench single-row upsert, 64 clients)" "$(ratio "$rows1" "$pg_tps")" "≥ 0.50" "p99 ${p1}ms"
  start_mg "$API2" "$ADMIN2" pg2 "${PG_ENV[@]}"; pg2_pid=$last_pid; wait_200 "http://127.0.0.1:$ADMIN2/health/ready"
  for phase in warm measure; do
    d=$WARMUP; [ $phase = warm ] || d=$DURATION
    wrk -t1 -c32 -d"$d" -s bench/lua/bulk10.lua "http://127.0.0.1:$API" >"$work/pg-a.txt" &
    wa=$!
    wrk -t1 -c32 -d"$d" --latency -s bench/lua/bulk10.lua "http://127.0.0.1:$API2" >"$work/pg-b.txt"
    wait "$wa"
  done
  r2=$(cat "$work/pg-a.txt" "$work/pg-b.txt" | awk '/Requests\/sec/ { s += $2 } END { printf "%.0f", s * 10 }')
  row "PostgreSQL store, durable 10-key bulk set, 2 instances x 32 conns (rows/s)" "$r2" "$pg_tps (pgbench single-row upsert, 64 clients)" "$(ratio "$r2" "$pg_tps")" "≥ 0.50" "one instance: $rows1 rows/s"
  # staleness across instances: from a 200 on A until B (which had the old value cached) answers
  # the new one, i.e. until B's LISTEN connection delivered A's NOTIFY and B dropped its copy
  lag=$(java -cp "$CP" NotifyLag "http://127.0.0.1:$API" "http://127.0.0.1:$API2" "$TOKEN" "${LAG_SETS:-200}")
  read -r l50 l99 lmax < <(echo "$lag" | awk '{ print $3, $5, $7 }')
  row "PostgreSQL store: a set on instance A visible in instance B's cache, p99 of ${LAG_SETS:-200} (ms)" "$l99" "50 (target)" "$(ratio "$l99" 50)" "< 50 ms" "p50 ${l50} ms, max ${lmax} ms"
  stop "$pg2_pid"; stop "$pg1_pid"
  start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready" ;;
esac; done

mkdir -p "$(dirname "$OUT")"
{
  echo "# metagate benchmark results"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(java -version 2>&1 | head -1), wrk -t2 (-t1 for 1 connection), ${WARMUP} warm-up + ${DURATION} measured per run; get/set/search/grpc/passthrough/upcached: median of ${REPEAT} alternating runs per side; upstream fake delay ${UPSTREAM_DELAY_MS} ms; targets from issues 4-7"
  echo
  echo "| scenario | metagate | baseline (same run) | ratio | target | notes |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$OUT"
cat "$OUT"
