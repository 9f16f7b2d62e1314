#!/bin/sh
# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# The whole job on loopback, for a person to watch: nginx, the program under
# spawn-fcgi and the fake Synthflow start in a temp dir; one signed call is
# placed; the TwiML answer and what "Synthflow" received are printed.
# Run from the top of a built tree: sh tests/demo.sh
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
top_builddir=${top_builddir:-$top_srcdir}
. "$top_srcdir/tests/setup.sh"

start_fake
# The shipped defaults (the tests' prog_env turns these four off).
export SYNTHFLOW_DIAL_ACTION=self SYNTHFLOW_FALLBACK_DIRECT=on \
    SYNTHFLOW_DEDUP_SECONDS=600 SYNTHFLOW_TRANSFER=self
start_prog_fcgi --threads 4
start_nginx
fake_mode ok

echo "== nginx on $BASE, the program on $T/app.sock, fake Synthflow on $FAKE_URL"
echo "== POST $BASE/twilio/voice, signed with X-Twilio-Signature:"
call /twilio/voice CallSid=CA0123456789abcdef0123456789abcdef \
    AccountSid=AC0123456789abcdef0123456789abcdef From=+15551230000 \
    To=+15557650000 "CallerName=Jane Doe" Direction=inbound
echo "HTTP $STATUS"
cat "$T/body"
echo "== what Synthflow received (POST /v2/prepare_inbound, key masked):"
"$CURL" -sf "$FAKE_URL/_requests" | "$PYTHON3" -c '
import json, sys
r = json.load(sys.stdin)[-1]
for k, v in r["headers"].items():
    if k.lower() == "authorization":
        v = v[:12] + "..."
    print("%s: %s" % (k, v))
print()
print(json.dumps(r["json"], indent=2))'
echo "== the program's log line:"
tail -n 1 "$T/prog.log"
[ "$STATUS" = 200 ] && grep -q '<Sip>' "$T/body"
