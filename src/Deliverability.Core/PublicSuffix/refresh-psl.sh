#!/usr/bin/env bash
# Replaces the shipped public_suffix_list.dat with the current list from publicsuffix.org.
# Run it from anywhere, review the diff, rebuild (the list is embedded in Deliverability.Core) and commit.
set -euo pipefail

url="https://publicsuffix.org/list/public_suffix_list.dat"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="$here/public_suffix_list.dat"
tmp="$(mktemp "$here/.public_suffix_list.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

curl --fail --silent --show-error --location --max-time 60 --retry 3 --output "$tmp" "$url"

# A truncated download or an HTML error page must never replace a good list.
for marker in "===BEGIN ICANN DOMAINS===" "===END ICANN DOMAINS===" "===BEGIN PRIVATE DOMAINS===" "===END PRIVATE DOMAINS==="; do
  if ! grep -qF -- "$marker" "$tmp"; then
    echo "refresh-psl: downloaded file lacks '$marker'; keeping the current list" >&2
    exit 1
  fi
done
rules="$(grep -cvE '^[[:space:]]*(//|$)' "$tmp" || true)"
if [ "$rules" -lt 5000 ]; then
  echo "refresh-psl: only $rules rules downloaded (expected several thousand); keeping the current list" >&2
  exit 1
fi

chmod 644 "$tmp"
mv -f "$tmp" "$target"
trap - EXIT
echo "refresh-psl: $rules rules written to $target"
