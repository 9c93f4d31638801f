#!/usr/bin/env bash
# Audit-throughput benchmark: builds in Release and runs it with its defaults
# (10,000 domains served by NSD on 127.0.0.1, concurrency 64). Extra arguments go to the benchmark, e.g.
#   tests/Deliverability.Benchmarks/bench.sh --dns-cache both
#   tests/Deliverability.Benchmarks/bench.sh --synthetic-checks      # harness test only, not the product's figures
#   tests/Deliverability.Benchmarks/bench.sh blacklists              # BlacklistChecker, 1,000 IPs x 10 zones (artifacts/bench/blacklists.json)
#   tests/Deliverability.Benchmarks/bench.sh alerts                  # alert evaluation over 10,000 domains' latest results, burst of 1,000 changes (artifacts/bench/alerts.json)
#   tests/Deliverability.Benchmarks/bench.sh audit-cli               # monitor audit --file on the same 10,000 domains, rated against the in-process audits (artifacts/bench/audit-cli.json);
#                                                                    # runs the Native AOT CLI it publishes to artifacts/cli-aot, or each --cli given: a monitor.dll or an
#                                                                    # executable (e.g. --cli artifacts/cli-aot/monitor --cli src/Deliverability.Cli/bin/Release/net10.0/monitor.dll)
#   tests/Deliverability.Benchmarks/bench.sh load-engine             # the load generator at 5,000 arrivals/s in process (artifacts/bench/load-engine.json)
#   tests/Deliverability.Benchmarks/bench.sh loadtest-smtp           # monitor loadtest smtp vs smtp-source on smtp-sink, peak RSS at 5,000 msg/s
#   tests/Deliverability.Benchmarks/bench.sh loadtest-http           # monitor loadtest http vs wrk on a local nginx (rounds: wrk, ours, wrk)
#   tests/Deliverability.Benchmarks/bench.sh dashboard               # overview render with 1,000 domains, memory per open dashboard (Chromium; artifacts/bench/dashboard.json)
#   tests/Deliverability.Benchmarks/bench.sh sending-rollups         # a day of 1,000,000 send events read from the rollups vs the raw events (artifacts/bench/sending-rollups.json)
#   tests/Deliverability.Benchmarks/bench.sh forecast                # LightGBM fit on a year of hourly orders (< 10 s), backtest scores (artifacts/bench/forecast.json)
#   tests/Deliverability.Benchmarks/bench.sh hooks                   # webhook ingest: SendGrid batches and Mailgun singles against a body-reading baseline, across a restart (artifacts/bench/hooks.json)
#   tests/Deliverability.Benchmarks/bench.sh cluster [--domains 10000] [--interval 00:01:00] [--intervals 3]
#                                                                    # two Release service processes on one private PostgreSQL audit the NSD domains every minute;
#                                                                    # each domain once per interval, misfires, PostgreSQL load, node CPU/RSS, fail-over after a kill -9 (artifacts/bench/cluster.json)
#   tests/Deliverability.Benchmarks/bench.sh dmarc-parse             # DMARC parser MB/s vs bare XmlReader (100 MB), peak RSS importing a generated 500 MB report (artifacts/bench/dmarc-parse.json)
#   tests/Deliverability.Benchmarks/bench.sh dmarc-mailbox --reports 10000  # 10,000 report e-mails from a private Dovecot through the importer into SQLite vs fetching them only (artifacts/bench/dmarc-mailbox.json)
# Results: a table on stdout and JSON in artifacts/bench/audit-throughput.json (or --out).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [ "${1:-}" = "loadtest-smtp" ] || [ "${1:-}" = "loadtest-http" ]; then
  missing=()
  [ -x /usr/sbin/smtp-source ] || missing+=(postfix)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
  [ -x /usr/bin/time ] || missing+=(time)
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  dotnet build src/Deliverability.Cli/Deliverability.Cli.csproj -c Release -nologo -v quiet
  exec tests/Deliverability.Benchmarks/loadtest-bench.sh "$1"
fi

if [ "${1:-}" = "hooks" ]; then
  shift
  exec tests/Deliverability.Benchmarks/hooks-bench.sh "$@"
fi

if [ "${1:-}" = "forecast" ] || [ "${1:-}" = "sending-rollups" ] || [ "${1:-}" = "dmarc-parse" ] || [ "${1:-}" = "dmarc-mailbox" ]; then
  dotnet build tests/Deliverability.Benchmarks/Deliverability.Benchmarks.csproj -c Release -nologo -v quiet
  exec dotnet tests/Deliverability.Benchmarks/bin/Release/net10.0/Deliverability.Benchmarks.dll "$@"
fi

if [ "${1:-}" = "cluster" ]; then
  missing=()
  command -v nsd >/dev/null 2>&1 || [ -x /usr/sbin/nsd ] || missing+=(nsd)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing ${missing[*]} ..."
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # Builds the service in Release too (a project reference): the nodes run src/Deliverability.Server/bin/Release.
  dotnet build tests/Deliverability.Benchmarks/Deliverability.Benchmarks.csproj -c Release -nologo -v quiet
  exec dotnet tests/Deliverability.Benchmarks/bin/Release/net10.0/Deliverability.Benchmarks.dll "$@"
fi

missing=()
command -v nsd >/dev/null 2>&1 || [ -x /usr/sbin/nsd ] || missing+=(nsd)
command -v dnsperf >/dev/null 2>&1 || missing+=(dnsperf)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet build tests/Deliverability.Benchmarks/Deliverability.Benchmarks.csproj -c Release -nologo -v quiet
if [ "${1:-}" = "audit-cli" ]; then
  # The CLI as docs/cli.md publishes it for bulk audits: Native AOT (no JIT at run time, compiled whole ahead of time),
  # in its own intermediate folder so that it never mixes with a ReadyToRun publish's. The publish reports trim/AOT
  # warnings for the commands that need reflection (EF Core, ML.NET): not for this build, so they stay warnings here.
  # About 8 minutes of CPU (30 minutes of wall time on a loaded machine).
  case " $* " in
    *" --cli "*) ;;  # the caller names the CLI(s) to run
    *)
      dotnet publish src/Deliverability.Cli/Deliverability.Cli.csproj -c Release -r linux-x64 -p:PublishAot=true \
        -p:TreatWarningsAsErrors=false -p:IntermediateOutputPath=obj/aot/ -o artifacts/cli-aot -nologo -v quiet -clp:ErrorsOnly
      set -- "$@" --cli artifacts/cli-aot/monitor ;;
  esac
fi
exec dotnet tests/Deliverability.Benchmarks/bin/Release/net10.0/Deliverability.Benchmarks.dll "$@"
