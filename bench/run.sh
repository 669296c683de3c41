#!/usr/bin/env bash
# metagate load benchmarks: every figure next to a baseline measured in the same run on the same
# machine (bare Vert.x 5 server; plain JDBC SQLite group-commit loop). See bench/README.md.
#   bench/run.sh                  # all scenarios, 10 s each
#   DURATION=30s bench/run.sh     # longer runs
#   SCENARIOS="get set" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
SECONDS_JDBC=${SECONDS_JDBC:-10}
SCENARIOS=${SCENARIOS:-"startup get set bulk search batchoff rss"}
REPEAT=${REPEAT:-3}
FILL_USERS=${FILL_USERS:-10000}
FILL_KEYS=${FILL_KEYS:-100}
API=18080 ADMIN=19090 BARE=18081
JAR=target/metagate.jar
OUT=${OUT:-bench/results/latest.md}

command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y -qq wrk >/dev/null; }
./run.sh --version >/dev/null   # builds the jar and its class-data-sharing archive when stale
CDS=(-XX:SharedArchiveFile=target/metagate.jsa -Xshare:auto)
work=$(mktemp -d)
pids=()
javac -nowarn -cp "$JAR" -d "$work/classes" bench/src/*.java
CP="$JAR:$work/classes"
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
wait_200() { # url timeout_s
  local deadline=$(( $(now_ms) + ${2:-30} * 1000 ))
  until curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null | grep -q 200; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "timeout waiting for $1" >&2; return 1; }
    sleep 0.01
  done
}
start_bare() { java -cp "$CP" BareVertx $BARE >"$work/bare.log" 2>&1 & bare_pid=$!; pids+=($bare_pid); }
start_metagate() { # extra env assignments
  env METAGATE_HTTP_PORT=$API METAGATE_ADMIN_PORT=$ADMIN METAGATE_STORE_PATH="$work/data/metagate.db" \
    METAGATE_AUTH_DEV_ISSUER=true METAGATE_LOG_LEVEL=warn "$@" \
    java "${CDS[@]}" ${JAVA_OPTS:--Xms64m -Xmx384m} -jar "$JAR" --config conf/metagate.yaml >"$work/metagate.log" 2>&1 &
  mg_pid=$!; pids+=($mg_pid)
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
token() { METAGATE_STORE_PATH="$work/data/metagate.db" METAGATE_AUTH_DEV_ISSUER=true java -jar "$JAR" token --config conf/metagate.yaml --sub bench --org bench-org --roles ORG_OWNER; }

# wrk → "req_per_sec p99_ms"
run_wrk() { # conns script url; an unmeasured warm-up run first, so JIT compilation is done
  local t=$(( $1 < 2 ? $1 : 2 ))
  wrk -t$t -c"$1" -d"$WARMUP" -s "$2" "$3" >/dev/null
  local out; out=$(wrk -t$t -c"$1" -d"$DURATION" --latency -s "$2" "$3")
  echo "$out" >>"$work/wrk.log"
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
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
row() { rows+=("| $1 | $2 | $3 | $4 | $5 |"); echo "  $1: $2 (baseline $3) ratio $4 $5" >&2; }

start_bare; wait_200 "http://127.0.0.1:$BARE/plaintext"
start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
TOKEN=$(token); export TOKEN
export USER_ID=bench KEY=greeting
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -X POST \
  "http://127.0.0.1:$API/management/v1/users/$USER_ID/metadata/_bulk" \
  -d '{"metadata":[{"key":"greeting","value":"aGVsbG8="},{"key":"key-1a","value":"eA=="},{"key":"key-1b","value":"eQ=="}]}'

for s in $SCENARIOS; do case $s in
startup)
  stop "$bare_pid"; stop "$mg_pid"
  t0=$(now_ms); start_bare; wait_200 "http://127.0.0.1:$BARE/plaintext"; bare_ms=$(( $(now_ms) - t0 ))
  t0=$(now_ms); start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"; mg_ms=$(( $(now_ms) - t0 ))
  stop "$mg_pid"; CDS=(-Xshare:off)
  t0=$(now_ms); start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"; nocds_ms=$(( $(now_ms) - t0 ))
  stop "$mg_pid"; CDS=(-XX:SharedArchiveFile=target/metagate.jsa -Xshare:auto)
  start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
  row "startup to ready (ms, lower is better; as run.sh starts it, with CDS)" "$mg_ms" "$bare_ms (bare Vert.x first 200)" "$(ratio "$mg_ms" "$bare_ms")" "without CDS ${nocds_ms} ms" ;;
get)
  read -r b_rps b_p99 m_rps m_p99 < <(compare 64 /dev/null "http://127.0.0.1:$BARE/plaintext" bench/lua/get.lua "http://127.0.0.1:$API")
  row "cached GET with JWT, 64 conns (req/s)" "$m_rps" "$b_rps (bare plaintext)" "$(ratio "$m_rps" "$b_rps")" "p99 ${m_p99}ms vs ${b_p99}ms" ;;
set)
  read -r b_rps b_p99 m_rps m_p99 < <(compare 64 bench/lua/echo.lua "http://127.0.0.1:$BARE" bench/lua/set.lua "http://127.0.0.1:$API")
  set_rps=$m_rps
  row "durable single-key set, 64 conns (req/s)" "$m_rps" "$b_rps (bare JSON echo)" "$(ratio "$m_rps" "$b_rps")" "p99 ${m_p99}ms vs ${b_p99}ms" ;;
bulk)
  jdbc=$(java -cp "$CP" JdbcGroupCommit "$work/jdbc" "$SECONDS_JDBC" 1000 | awk '/rows_per_sec/ {print $2}')
  for c in 1 16 64 256; do
    read -r m_rps m_p99 < <(run_wrk $c bench/lua/bulk10.lua "http://127.0.0.1:$API")
    r=$(awk -v x="$m_rps" 'BEGIN { printf "%.0f", x * 10 }')
    row "durable 10-key bulk set, $c conns (rows/s)" "$r" "$jdbc (JDBC loop, 1000 rows/tx)" "$(ratio "$r" "$jdbc")" "p99 ${m_p99}ms"
  done ;;
search)
  read -r b_rps b_p99 m_rps m_p99 < <(compare 64 /dev/null "http://127.0.0.1:$BARE/plaintext" bench/lua/search.lua "http://127.0.0.1:$API")
  row "list with key query, 64 conns (req/s)" "$m_rps" "$b_rps (bare plaintext)" "$(ratio "$m_rps" "$b_rps")" "p99 ${m_p99}ms vs ${b_p99}ms" ;;
batchoff)
  [ -n "${set_rps:-}" ] || read -r set_rps _ < <(run_wrk 64 bench/lua/set.lua "http://127.0.0.1:$API")
  stop "$mg_pid"; start_metagate METAGATE_BATCH_MAX_SIZE=1; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
  offs=() offps=()
  for _ in $(seq "$REPEAT"); do read -r r p < <(run_wrk 64 bench/lua/set.lua "http://127.0.0.1:$API"); offs+=("$r"); offps+=("$p"); done
  off_rps=$(median "${offs[@]}"); off_p99=$(median "${offps[@]}")
  row "group commit vs one fsync per request, single-key set, 64 conns (req/s)" "$set_rps" "$off_rps (batch.maxSize=1)" "$(ratio "$set_rps" "$off_rps")" "p99 off ${off_p99}ms"
  stop "$mg_pid"; start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready" ;;
rss)
  stop "$mg_pid"; rm -rf "$work/data/metagate.db"*; start_metagate; wait_200 "http://127.0.0.1:$ADMIN/health/ready"
  idle_kb=$(awk '/VmRSS/ {print $2}' /proc/$mg_pid/status)
  java -cp "$CP" Fill "http://127.0.0.1:$API" "$TOKEN" "$FILL_USERS" "$FILL_KEYS" >&2
  sleep 2
  rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$mg_pid/status)
  keys=$(( FILL_USERS * FILL_KEYS ))
  row "RSS after $keys keys, default config (MiB)" "$(( rss_kb / 1024 ))" "$(( 256 + 200 )) (cache.maxBytes + 200 MiB target)" "$(ratio "$rss_kb" $(( (256 + 200) * 1024 )))" "idle $(( idle_kb / 1024 )) MiB" ;;
esac; done

mkdir -p "$(dirname "$OUT")"
{
  echo "# metagate benchmark results"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(java -version 2>&1 | head -1), wrk -t2 (-t1 for 1 connection), ${WARMUP} warm-up + ${DURATION} measured per run; get/set/search: median of ${REPEAT} alternating runs per side"
  echo
  echo "| scenario | metagate | baseline (same run) | ratio | notes |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$OUT"
cat "$OUT"
