#!/usr/bin/env bash
# Adds a migration named $1 to both providers' sets of both models (the monitor's and the sign-in's), in
# src/Deliverability.Migrations/{Sqlite,Postgres}/{Monitor,SignIn}. A model that did not change gets none.
# Run it after adding or changing a row class; MigrationTests goes red until you do.
set -euo pipefail
name="${1:?usage: tools/add-migration.sh MigrationName}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
project=src/Deliverability.Migrations
dotnet build "$project" -v quiet -nologo >/dev/null
for provider in Sqlite Postgres; do
  for model in Monitor SignIn; do
    context="${provider}${model}DbContext"
    if dotnet ef migrations has-pending-model-changes --no-build --project "$project" --context "$context" >/dev/null 2>&1; then
      echo "$context: no change"
      continue
    fi
    dotnet ef migrations add "$name" --no-build --project "$project" --context "$context" \
      --output-dir "$provider/$model"
    dotnet build "$project" -v quiet -nologo >/dev/null
  done
done
