#!/usr/bin/env bash
# Dependency audit: pip-audit over the pinned requirements, in its own virtualenv (pip-audit's
# dependencies conflict with Rasa 3.6's pins). It reports; it does not fail the build, because
# Rasa 3.6, the last open-source release, pins many packages (tensorflow, sanic, SQLAlchemy,
# ...) to versions whose fixes it cannot take.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-audit
[ -x "$VENV/bin/pip-audit" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "pip-audit==2.10.1"; } \
  || { echo "audit: could not install pip-audit"; exit 0; }
echo "== pip-audit (requirements.txt)"
"$VENV/bin/pip-audit" --requirement requirements.txt --no-deps --disable-pip --progress-spinner off \
  --desc off 2>&1 | tee run-audit.log | grep -v "could not be audited" | tail -n 60
skipped=$(grep -c "could not be audited" run-audit.log || true)
[ "$skipped" -gt 0 ] && echo "audit: $skipped packages could not be checked (vulnerability service unreachable from here)."
rm -f run-audit.log
exit 0
