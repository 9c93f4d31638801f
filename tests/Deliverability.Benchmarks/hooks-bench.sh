#!/usr/bin/env bash
# Webhook ingest benchmark (docs/send-events.md): builds in Release and runs `hooks` with its defaults
# (200 SendGrid posts of 1,000 events, 8 in flight, the service restarted when half are sent; 10 s of single Mailgun
# posts, 16 in flight), each against a baseline endpoint in the same host that only reads the body. Extra arguments
# go to the benchmark, e.g.  tests/Deliverability.Benchmarks/hooks-bench.sh --batches 500 --singles-seconds 20
# Results: a table on stdout and JSON in artifacts/bench/hooks.json; exit 1 when an event answered 200 was not stored.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dotnet build tests/Deliverability.Benchmarks/Deliverability.Benchmarks.csproj -c Release -nologo -v quiet
exec dotnet tests/Deliverability.Benchmarks/bin/Release/net10.0/Deliverability.Benchmarks.dll hooks "$@"
