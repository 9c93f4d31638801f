#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need when it is missing, then prints one closing line
# "N passed, N failed" summed over all test projects (read from the TRX results, not from dotnet's own summary).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests start as real servers on 127.0.0.1 (the DNS server runs in-process): PostgreSQL for the
# storage and job-store tests (a private cluster per fixture; the system service is not used); Dovecot for the placement
# tests' seed mailboxes (a private instance per fixture, never the system service); Chromium for the dashboard's browser
# tests (driven by Playwright at /usr/bin/chromium, no browser download); Postfix for the load tests' smtp-sink
# (/usr/sbin/smtp-sink on a free port per test, never the system Postfix service); libgomp1 for LightGBM's native
# library behind the forecaster (OpenMP; usually present already); Prometheus for the metrics test that scrapes the
# service (a private instance per test on a free port with its own data folder, never the system service);
# SpamAssassin's spamd for the message checks' spam score (a private spamd on a free port per fixture, network tests
# off, never the system service); Redis for the live push between nodes (a private redis-server per fixture on a free
# port, without persistence, never the system service).
required_packages=(postgresql dovecot-imapd chromium postfix libgomp1 prometheus spamassassin spamd redis-server)

missing=()
for package in "${required_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "Installing Debian packages the tests need: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK 10 (dotnet) is not on PATH" >&2
    exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet build Monitor.sln -v quiet -nologo

# One project at a time: each writes its own TRX file, and real servers of one project do not compete with another's.
status=0
for project in tests/*.Tests/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" --no-build --logger "trx;LogFileName=${name}.trx" --results-directory "$results" "$@" || status=$?
done

passed=0
failed=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
done

echo "${passed} passed, ${failed} failed"
if ((status != 0 || failed > 0)); then
    exit 1
fi
if ((passed == 0)); then
    echo "error: no test ran" >&2
    exit 1
fi
