#!/bin/sh
# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# Soak: SOAK_REQUESTS (default 200000) signed calls at 64 concurrent through
# nginx to the program (FastCGI, unix socket) and the fake Synthflow, all on
# loopback. Reports errors, the program's RSS and open fds after warm-up and
# at the end. Usage, from a tree built in place: sh bench/soak.sh; from a
# separate build tree: top_builddir=$PWD sh SRCDIR/bench/soak.sh. Needs what
# make check needs (.ci/setup) and ab (apache2-utils).
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
top_builddir=${top_builddir:-$top_srcdir}
. "$top_srcdir/tests/setup.sh"
need ab

REQUESTS=${SOAK_REQUESTS:-200000}
CONNECTIONS=${SOAK_CONNECTIONS:-64}
start_fake
start_prog_fcgi
start_nginx
fake_mode ok

BODY="CallSid=CA0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B15551230000&To=%2B15557650000&CallerName=Jane+Doe&Direction=inbound&CallStatus=ringing&ApiVersion=2010-04-01"
SIG=$(sign "$BASE/twilio/voice" CallSid=CA0123456789abcdef0123456789abcdef \
    AccountSid=AC0123456789abcdef0123456789abcdef From=+15551230000 \
    To=+15557650000 "CallerName=Jane Doe" Direction=inbound \
    CallStatus=ringing ApiVersion=2010-04-01)
pid=$(pgrep -f -n "^$PROG" || echo "$PROG_PID")
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
fds() { ls "/proc/$pid/fd" | wc -l; }

printf '%s' "$BODY" >"$T/body.form"
load() {	# load N: N signed calls at $CONNECTIONS concurrent, kept alive
	ab -q -k -n "$1" -c "$CONNECTIONS" -p "$T/body.form" \
	    -T application/x-www-form-urlencoded -H "X-Twilio-Signature: $SIG" \
	    "$BASE/twilio/voice"
}

# Warm-up: every worker, the keep-alive connections, the allocator.
load 5000 >"$T/warmup.out"
rss0=$(rss) fds0=$(fds)
fake0=$(fake_count)

: >"$T/samples"
( while kill -0 "$pid" 2>/dev/null; do
	echo "$(date +%s) $(rss) $(fds)" >>"$T/samples"; sleep 5
  done ) &
sampler=$!
load "$REQUESTS" >"$T/soak.out"
kill "$sampler" 2>/dev/null
rss1=$(rss) fds1=$(fds)
fake1=$(fake_count)

sent=$(awk '/^Complete requests/ { print $3 }' "$T/soak.out")
failed=$(awk '/^Failed requests/ { print $3 }' "$T/soak.out")
non2xx=$(awk '/^Non-2xx responses/ { print $3 }' "$T/soak.out")
forwarded=$(grep -c 'outcome=forwarded' "$T/prog.log")
echo "== soak: $sent requests at $CONNECTIONS concurrent ($(date -u +%F), $(nproc) cores)"
grep -E '^Requests per second|^Time taken|^  50%|^  99%' "$T/soak.out"
echo "failed requests: ${failed:-?}"
echo "non-2xx answers: ${non2xx:-0}"
echo "registrations at the fake: $((fake1 - fake0)); forwarded log lines (with warm-up): $forwarded"
echo "program RSS after warm-up: ${rss0} kB, at the end: ${rss1} kB"
echo "program fds after warm-up: $fds0, at the end: $fds1"
echo "RSS/fd samples every 5 s (time kB fds):"
sed 's/^/  /' "$T/samples"
