#!/usr/bin/env bash
# The one test command (README, CI): type-check, lint, then every *.test.ts with node's test runner.
# Node 20's --test does not expand globs itself, so the file list is built here.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json --noEmit
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
mapfile -t files < <(find packages -name '*.test.ts' -not -path '*/node_modules/*' | sort)
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" "${files[@]}"
