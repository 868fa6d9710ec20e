#!/usr/bin/env bash
# Local single-node Apache Kafka 4.x (KRaft, broker + controller in one JVM) for
# development and integration tests, built from Maven Central jars. No Docker needed.
#
# Usage: scripts/kafka/kafka.sh {fetch|up|down|restart|status|reset}
#   fetch    download the broker jars into $STATE/lib (idempotent; skipped if present)
#   up       fetch if needed, format storage once, start the broker, wait until it answers
#   down     stop the broker (SIGTERM, SIGKILL after 20 s)
#   restart  down then up, keeping data (topics, offsets, transactions)
#   status   print whether the broker runs and answers (exit 0 only if it answers)
#   reset    down, then delete the broker data (keeps the jars)
#
# Environment:
#   KAFKA_STATE_DIR        state dir (default <repo>/.kafka; relative paths are taken from the repo root)
#   KAFKA_PORT             PLAINTEXT listener port (default 9092)
#   KAFKA_CONTROLLER_PORT  CONTROLLER listener port (default 9093)
#   PYTHON                 python with confluent_kafka for the readiness probe (default <repo>/.venv/bin/python)
#   KAFKA_UP_TIMEOUT       seconds to wait for readiness (default 90)
#   KAFKA_HEAP_OPTS        JVM heap options (default -Xmx512m -Xms256m)
#   MVN                    maven command (default mvn)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

STATE="${KAFKA_STATE_DIR:-.kafka}"
case "$STATE" in
  /*) ;;
  *) STATE="$ROOT/$STATE" ;;
esac
LIB="$STATE/lib"
DATA="$STATE/data"
LOGS="$STATE/logs"
PIDFILE="$STATE/kafka.pid"
PROPS="$STATE/server.properties"
CONSOLE_LOG="$LOGS/console.log"
BROKER_LOG="$LOGS/broker.log"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
KAFKA_UP_TIMEOUT="${KAFKA_UP_TIMEOUT:-90}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
MVN="${MVN:-mvn}"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

log() { echo "kafka.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Fingerprint of the inputs of `fetch`: a changed pom triggers a new fetch.
pom_stamp() { cksum < "$SCRIPT_DIR/pom.xml" | cut -d' ' -f1; }

lib_ready() {
  [[ -f "$LIB/.fetched" ]] && [[ "$(cat "$LIB/.fetched")" == "$(pom_stamp)" ]]
}

cmd_fetch() {
  if lib_ready; then
    log "jars already in $LIB"
    return 0
  fi
  command -v "$MVN" >/dev/null 2>&1 || die "maven ('$MVN') not found; it is needed to fetch the Kafka jars"
  command -v java >/dev/null 2>&1 || die "java not found (Java 17+ is needed)"
  mkdir -p "$STATE"
  local tmp="$STATE/lib.tmp.$$"
  rm -rf "$tmp"
  log "fetching Kafka jars from Maven Central into $LIB ..."
  local start=$SECONDS
  if ! "$MVN" -q -B -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime > "$STATE/fetch.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 40 "$STATE/fetch.log" >&2
    die "mvn dependency:copy-dependencies failed (full output in $STATE/fetch.log)"
  fi
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "no kafka_2.13 jar was fetched"; }
  pom_stamp > "$tmp/.fetched"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  log "fetched $(ls "$LIB"/*.jar | wc -l) jars in $((SECONDS - start)) s"
}

# PID of the running broker started by this script, or nothing.
running_pid() {
  [[ -f "$PIDFILE" ]] || return 0
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  # Guard against PID reuse: it must be our kafka.Kafka JVM.
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
    echo "$pid"
  fi
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

have_probe_python() {
  [[ -x "$PYTHON" ]] || command -v "$PYTHON" >/dev/null 2>&1 || return 1
  "$PYTHON" -c 'import confluent_kafka' >/dev/null 2>&1
}

# One readiness check: the AdminClient lists topics; without confluent_kafka the
# fallback is "the port accepts connections and the broker logged that it started".
answers() {
  if [[ "${_PROBE:-}" == python ]]; then
    "$PYTHON" "$SCRIPT_DIR/wait_ready.py" --bootstrap "$BOOTSTRAP" --timeout "${1:-3}" >/dev/null 2>&1
  else
    # Only log lines written since this start count (broker.log is appended to).
    port_open "$KAFKA_PORT" && tail -c +"$((${_LOG_OFFSET:-0} + 1))" "$BROKER_LOG" 2>/dev/null | grep -q 'Kafka Server started'

  fi
}

choose_probe() {
  if have_probe_python; then
    _PROBE=python
  else
    _PROBE=port
    log "note: '$PYTHON' cannot import confluent_kafka; readiness falls back to a port + log check"
  fi
}

log_tail() {
  local f
  for f in "$BROKER_LOG" "$CONSOLE_LOG"; do
    if [[ -s "$f" ]]; then
      echo "----- tail of $f -----" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

render_props() {
  sed -e "s#@STATE_DIR@#$STATE#g" \
      -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
      -e "s#@KAFKA_CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      "$SCRIPT_DIR/server.properties.in" > "$PROPS.tmp"
  mv "$PROPS.tmp" "$PROPS"
}

java_argv() {
  # shellcheck disable=SC2206
  JAVA_ARGV=(java $KAFKA_HEAP_OPTS -XX:+UseG1GC -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$SCRIPT_DIR/log4j2.properties"
    -Dkafka.logs.dir="$LOGS"
    -cp "$LIB/*" "$@")
}

java_cmd() {
  java_argv "$@"
  "${JAVA_ARGV[@]}"
}

format_storage() {
  if [[ -f "$DATA/meta.properties" ]]; then
    return 0
  fi
  local cid
  if [[ -s "$STATE/cluster.id" ]]; then
    cid="$(cat "$STATE/cluster.id")"
  else
    cid="$(java_cmd kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    [[ -n "$cid" ]] || die "could not generate a cluster id"
    echo "$cid" > "$STATE/cluster.id"
  fi
  log "formatting storage in $DATA (cluster id $cid)"
  java_cmd kafka.tools.StorageTool format -t "$cid" -c "$PROPS" >> "$LOGS/format.log" 2>&1 \
    || { tail -n 20 "$LOGS/format.log" >&2; die "storage format failed"; }
}

cmd_up() {
  local start=$SECONDS
  choose_probe
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]] && answers 3; then
    log "broker already running (pid $pid) and answering on $BOOTSTRAP"
    return 0
  fi
  if [[ -z "$pid" ]]; then
    lib_ready || cmd_fetch
    if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
      die "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is already in use by another process (not a broker started from $STATE); set KAFKA_PORT/KAFKA_CONTROLLER_PORT"
    fi
    mkdir -p "$DATA" "$LOGS"
    render_props
    format_storage
    log "starting broker on $BOOTSTRAP (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT), state in $STATE"
    : > "$CONSOLE_LOG"
    _LOG_OFFSET="$(stat -c %s "$BROKER_LOG" 2>/dev/null || echo 0)"
    # New session so that a Ctrl-C in the caller's terminal or the end of the
    # calling process group does not take the broker with it.
    # fd 9 (the lock) is closed for the JVM, or it would hold the lock while it runs.
    java_argv kafka.Kafka "$PROPS"
    setsid "${JAVA_ARGV[@]}" >> "$CONSOLE_LOG" 2>&1 < /dev/null 9>&- &
    pid=$!
    echo "$pid" > "$PIDFILE"
  else
    log "broker process $pid exists but does not answer yet; waiting"
  fi

  local deadline=$((SECONDS + KAFKA_UP_TIMEOUT))
  while (( SECONDS < deadline )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      log_tail
      die "broker process $pid exited during startup"
    fi
    if answers 3; then
      log "broker ready on $BOOTSTRAP (pid $pid) after $((SECONDS - start)) s"
      return 0
    fi
    sleep 1
  done
  log_tail
  die "broker (pid $pid) did not answer on $BOOTSTRAP within ${KAFKA_UP_TIMEOUT} s (it is left running; see $LOGS)"
}

cmd_down() {
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PIDFILE"
    log "broker not running"
    return 0
  fi
  log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker did not stop within 20 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$PIDFILE"
  log "broker stopped"
}

cmd_status() {
  choose_probe 2>/dev/null
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    echo "kafka: stopped (state $STATE)"
    return 1
  fi
  if answers 3; then
    echo "kafka: running, pid $pid, answering on $BOOTSTRAP (state $STATE)"
    return 0
  fi
  echo "kafka: process $pid running but not answering on $BOOTSTRAP (state $STATE)"
  return 1
}

cmd_restart() {
  cmd_down
  cmd_up
}

cmd_reset() {
  cmd_down
  log "deleting broker data in $STATE (jars kept)"
  rm -rf "$DATA" "$LOGS" "$STATE/cluster.id" "$PROPS"
}

# Serialize up/down/restart/reset so that parallel callers (e.g. test workers) do not race.
with_lock() {
  mkdir -p "$STATE"
  if command -v flock >/dev/null 2>&1; then
    exec 9> "$STATE/.lock"
    flock -w 300 9 || die "could not take $STATE/.lock"
  fi
  "$@"
}

main() {
  local cmd="${1:-}"
  case "$cmd" in
    fetch)   with_lock cmd_fetch ;;
    up)      with_lock cmd_up ;;
    down)    with_lock cmd_down ;;
    restart) with_lock cmd_restart ;;
    status)  cmd_status ;;
    reset)   with_lock cmd_reset ;;
    *) echo "usage: $0 {fetch|up|down|restart|status|reset}" >&2; exit 2 ;;
  esac
}

main "$@"
