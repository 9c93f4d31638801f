#!/usr/bin/env bash
# Load-generator benchmark, run by bench.sh loadtest-smtp | loadtest-http (see README.md, "Load generator").
#   loadtest-smtp: `monitor loadtest smtp` against Postfix's smtp-sink vs Postfix's smtp-source in the same run
#                  (same message size, sessions, messages per session), then the generator's peak RSS at 5,000 msg/s.
#   loadtest-http: `monitor loadtest http` vs wrk on the same local nginx endpoint, ROUNDS (2) times: wrk, ours, wrk.
# Everything runs on 127.0.0.1, bounded in time and count; ratios are ours / baseline measured in the same run.
set -euo pipefail
mode="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
monitor="${MONITOR:-$root/src/Deliverability.Cli/bin/Release/net10.0/monitor}"  # MONITOR: another build, e.g. the one before a change
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
trap "exit 143" INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"; }
user_opt=(); [ "$(id -u)" -eq 0 ] && user_opt=(-u postfix)

sessions=${SESSIONS:-20}
per_session=${MESSAGES_PER_SESSION:-500}
size=${SIZE:-1024}
seconds=${SECONDS_PER_RUN:-10}

if [ "$mode" = "loadtest-smtp" ]; then
  port=$(free_port)
  /usr/sbin/smtp-sink "${user_opt[@]}" -c 127.0.0.1:"$port" 1024 >/dev/null & pids+=($!)
  sleep 0.5
  total=$((sessions * per_session))
  echo "smtp-source: $sessions sessions x $per_session messages of $size B ($total messages)"
  start=$(date +%s.%N)
  /usr/sbin/smtp-source -s "$sessions" -m "$total" -l "$size" -d -f load@example.com -t sink@example.com 127.0.0.1:"$port"
  end=$(date +%s.%N)
  source_rate=$(python3 -c "print(round($total / ($end - $start), 1))")
  echo "smtp-source: $source_rate msg/s"
  # Ours at the rate smtp-source reached, same sessions and messages per session, for $seconds s: what it sustains.
  "$monitor" loadtest smtp --host 127.0.0.1 --port "$port" --from load@example.com --to sink@example.com \
    --rate "$source_rate" --duration "${seconds}s" --warm-up 2s --connections "$sessions" --messages-per-connection "$per_session" \
    --size "${size}B" --json > "$work/ours.json" || true
  ours_rate=$(json_field "$work/ours.json" 'round(d["okPerSecond"], 1)')
  p99=$(json_field "$work/ours.json" 'd["latencyMs"]["p99"]')
  echo "monitor loadtest smtp: $ours_rate msg/s accepted (p99 $p99 ms from the planned start)"
  echo "ratio: $(python3 -c "print(round($ours_rate / $source_rate, 2))") x smtp-source (target >= 0.8)"
  # Peak RSS of the generator at 5,000 msg/s planned.
  /usr/bin/time -f "%M" -o "$work/rss" "$monitor" loadtest smtp --host 127.0.0.1 --port "$port" --from load@example.com --to sink@example.com \
    --rate 5000 --duration "${seconds}s" --connections 50 --messages-per-connection 1000 --size "${size}B" --json > "$work/rss.json" || true
  echo "at 5000 msg/s planned: $(json_field "$work/rss.json" 'round(d["okPerSecond"], 1)') msg/s accepted, peak RSS $(( $(cat "$work/rss") / 1024 )) MB (target < 200 MB)"
elif [ "$mode" = "loadtest-http" ]; then
  port=$(free_port)
  mkdir -p "$work/nginx"
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$port; location / { return 200 "ok"; } }
}
CONF
  nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' & pids+=($!)
  sleep 0.5
  connections=${CONNECTIONS:-50}
  rounds=${ROUNDS:-2}
  # Like for like: the same endpoint, connections (one worker per connection for ours) and measured seconds. wrk is a
  # closed loop at saturation; ours is the open model asked for the rate wrk reached just before, so it can at best
  # equal wrk (a higher plan only adds dropped starts), each request timed from its planned start; its rate is the
  # requests answered 2xx per measured second. The machine is shared: wrk runs before and after ours, and ours is rated
  # against the mean of the two.
  wrk_run() { wrk -t 2 -c "$connections" -d "${seconds}s" "http://127.0.0.1:$port/send" | awk '/Requests\/sec/ {print $2}'; }
  ours_run() { # executable, rate, output file
    "$1" loadtest http --url "http://127.0.0.1:$port/send" --method GET --rate "$2" --duration "${seconds}s" --warm-up 2s \
      --connections "$connections" --json > "$3" || true
  }
  # MONITOR_BEFORE=path: another build (e.g. main's) rated in the same rounds, the two taking turns to go first.
  builds=("$monitor"); [ -n "${MONITOR_BEFORE:-}" ] && builds+=("$MONITOR_BEFORE")
  for round in $(seq 1 "$rounds"); do
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    wrk_before=$(wrk_run)
    # Outputs are named by the build's index: two builds may sit in folders of the same name (bin/Release/net10.0).
    order=("${!builds[@]}"); [ $((round % 2)) -eq 0 ] && [ "${#builds[@]}" -eq 2 ] && order=(1 0)
    for b in "${order[@]}"; do ours_run "${builds[$b]}" "$wrk_before" "$work/ours.$b.$round.json"; done
    wrk_after=$(wrk_run)
    load_after=$(cut -d' ' -f1 /proc/loadavg)
    wrk_mean=$(python3 -c "print(round(($wrk_before + $wrk_after) / 2, 1))")
    echo "round $round: wrk $wrk_before then $wrk_after requests/s ($connections connections, 2 threads, ${seconds} s); load average $load_before -> $load_after"
    for b in "${!builds[@]}"; do
      out="$work/ours.$b.$round.json"
      ours_rate=$(json_field "$out" 'round(d["okPerSecond"], 1)')
      echo "round $round: ${builds[$b]}: $ours_rate requests/s ok at a planned $wrk_before/s (p99 $(json_field "$out" 'd["latencyMs"]["p99"]') ms from the planned start), ratio $(python3 -c "print(round($ours_rate / $wrk_mean, 2))") x wrk's mean (target >= 0.5)"
    done
  done
fi
