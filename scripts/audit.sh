#!/usr/bin/env bash
# Supply chain checks (`make audit`, .ci/run): pip-audit over the packages installed in
# .venv (the project's own editable install left out) and bandit over the application's
# code ([tool.bandit] in pyproject.toml; what it flags and was kept carries a
# `# nosec BXXX` with the reason on the line above).
#
# pip-audit asks PyPI's JSON API for each installed release's known vulnerabilities.
# A machine that reaches PyPI only through a mirror of the package index (as the
# project's build machines do) gets no answer for any release, and one without the
# internet none at all: then nothing could be audited, the script says so and passes,
# unless AUDIT_STRICT=1 (README «Supply chain»). A known vulnerability fails it, as does
# a bandit finding.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
report=$(mktemp)
log=$(mktemp)
trap 'rm -f "$report" "$log"' EXIT

echo "pip-audit: the packages of .venv"
status=0
.venv/bin/pip-audit --local --skip-editable --progress-spinner off --timeout 15 \
  --format json --output "$report" ${PIP_AUDIT_ARGS:-} >"$log" 2>&1 || status=$?
"$py" - "$report" "$status" "${AUDIT_STRICT:-0}" "$log" <<'EOF'
import json
import sys

path, status, strict, log = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
try:
    with open(path, encoding="utf-8") as handle:
        dependencies = json.load(handle)["dependencies"]
except (OSError, ValueError, KeyError):
    with open(log, encoding="utf-8", errors="replace") as handle:
        output = handle.read()
    if "ConnectionError" in output or "Timeout" in output:
        print(
            "pip-audit: NOT AUDITED — its vulnerability service cannot be reached from this "
            "machine; run `make audit` where it can (README «Supply chain»)."
        )
        sys.exit(1 if strict else 0)
    sys.stderr.write(output)
    sys.exit(f"pip-audit failed (exit {status}) and wrote no report")
audited = [d for d in dependencies if "skip_reason" not in d]
skipped = [d for d in dependencies if "skip_reason" in d]
found = [(d, v) for d in audited for v in d.get("vulns", ())]
for dependency, vuln in found:
    fixed = ", ".join(vuln.get("fix_versions") or ()) or "no fixed release"
    print(f"  {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
if found:
    sys.exit(f"pip-audit: {len(found)} known vulnerabilities in {len(audited)} packages")
if status not in (0, 1):
    with open(log, encoding="utf-8", errors="replace") as handle:
        sys.stderr.write(handle.read())
    sys.exit(f"pip-audit failed (exit {status})")
if not audited:
    print(
        f"pip-audit: NOT AUDITED — the vulnerability service answered for none of the "
        f"{len(skipped)} packages (no per-release data behind this machine's PyPI mirror); "
        "run `make audit` where pypi.org answers (README «Supply chain»)."
    )
    sys.exit(1 if strict else 0)
for dependency in skipped:
    print(f"  not audited: {dependency['skip_reason']}")
print(f"pip-audit: no known vulnerabilities in {len(audited)} packages ({len(skipped)} skipped)")
if strict and skipped:
    sys.exit(1)
EOF

echo "bandit: the application's code"
.venv/bin/bandit --configfile pyproject.toml --recursive . --quiet --severity-level low
echo "bandit: no findings"
