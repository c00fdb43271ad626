#!/usr/bin/env bash
# Runs the steps of the sample CI workflows (docs/ci/github-actions.yml and
# docs/ci/gitlab-ci.yml) on this machine, in a copy of the working tree, as
# CI would run them. Steps that need the CI service (uses: actions/…) are
# skipped. The parsing and running live in a Go test, so no YAML tool is
# needed: cmd/coopera/internal/cli/workflows_test.go.
#
#   .ci/workflows-local.sh            both files
#   .ci/workflows-local.sh github     only GitHub Actions
#   .ci/workflows-local.sh gitlab     only GitLab CI
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
case "$which" in
  all|github|gitlab) ;;
  *) echo "uso: $0 [all|github|gitlab]" >&2; exit 2 ;;
esac
COOPERA_CI_RUN="$which" exec go test -count=1 -timeout 60m -run '^TestCIWorkflows$' -v ./cmd/coopera/internal/cli
