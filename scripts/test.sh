#!/usr/bin/env bash
# The one test command (README, CI): type-check, lint, then every *.test.ts with node's test runner.
# The file list is built here: sorted, and nothing from node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json --noEmit
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
mapfile -t files < <(find packages -name '*.test.ts' -not -path '*/node_modules/*' | sort)
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" "${files[@]}"
