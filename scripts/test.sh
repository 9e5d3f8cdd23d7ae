#!/usr/bin/env bash
# Runs every Hera test on this machine, from a fresh checkout:
#   1. starts the real PostgreSQL and ClickHouse the tests use (installing them from Debian's packages if
#      missing; loopback only, non-default ports, data in a temporary directory), see scripts/test-services.sh;
#   2. builds the solution (warnings are errors) and runs every test project;
#   3. prints one closing line "N passed, N failed, N skipped" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# Assigned on its own line so that a failing start stops the script (eval of "" would succeed).
service_env="$(scripts/test-services.sh start)"
eval "$service_env"
export HERA_TEST_PG HERA_TEST_CH

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"

dotnet build HeraGrains.sln -c "$configuration" -nologo
log=$(mktemp)
status=0
dotnet test HeraGrains.sln -c "$configuration" --no-build -nologo 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed: / {
    gsub(",", "");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1);
      if ($i == "Passed:") p += $(i+1);
      if ($i == "Skipped:") s += $(i+1);
    }
  }
  END { print p+0, f+0, s+0 }' "$log")
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
