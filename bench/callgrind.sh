#!/bin/bash
# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# Instructions per request, counted by valgrind --tool=callgrind: a figure
# that does not move with the machine's load, to guard against regressions.
# All on loopback, private prefixes, everything stopped on exit.
#
#   CGI      the program run as CGI once per request (CGI_REQUESTS times,
#            default 20; every run is the same), Ir per run: start-up,
#            one call to the fake Synthflow, the answer, exit.
#   FastCGI  the program under callgrind on a unix socket behind nginx
#            (shipped params, fastcgi_keep_conn), warmed up with 20 calls;
#            counters zeroed, FCGI_REQUESTS (default 200) signed calls one at
#            a time (ab -k -c 1), counters dumped: Ir total / requests, and
#            the 10 functions with the most inclusive Ir.
#   keep-alive  without valgrind: the TCP connections the fake Synthflow saw
#            ($connection in its access log) for K_REQUESTS (10 000) calls
#            at 32 concurrent through the default number of workers.
#
# The fake Synthflow is nginx "return 200" with a prepare_inbound reply.
# Usage: make bench-callgrind in the build tree, or bash bench/callgrind.sh
# in a tree built in place (KEEP_TMP=1 keeps the callgrind.out files;
# CGI_REQUESTS, FCGI_REQUESTS, K_REQUESTS as above). Needs valgrind nginx
# apache2-utils curl python3 (bash bench/setup.sh installs them).

set -u
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/nginx-conf.sh"
. "$top_srcdir/bench/lib.sh"
# The program starts slowly under valgrind.
WAIT_SECONDS=30
PYTHON=/usr/bin/python3
PROG=${PROG:-$top_builddir/synthflow-twiml}
CGI_REQUESTS=${CGI_REQUESTS:-20}
FCGI_REQUESTS=${FCGI_REQUESTS:-200}
K_REQUESTS=${K_REQUESTS:-10000}
NGINX_BIN=${NGINX_BIN:-nginx}
unset NGINX

say() { echo "callgrind: $*" >&2; }
die() { say "$*"; exit 1; }
for t in valgrind callgrind_control callgrind_annotate "$NGINX_BIN" ab curl; do
	command -v "$t" >/dev/null 2>&1 || die "$t is missing (Debian: valgrind nginx apache2-utils curl)"
done
[ -x "$PROG" ] || die "$PROG: build the program first"

T=$(mktemp -d "${TMPDIR:-/tmp}/synthflow-callgrind.XXXXXX") || exit 1
chmod 0755 "$T"
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do stop "$p"; done
	if [ -n "${KEEP_TMP:-}" ]; then say "files kept in $T"; else
		rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM


API_KEY=sk-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
AUTH_TOKEN=tok-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
FAKE_PORT=$(free_port)
FRONT_PORT=$(free_port)
REPLY='{"status":"ok","call_status":"registered","synthflow_call_id":"sf-0b6c1a2e-7d4f-4c1b-9a7e-5f3d2c1b0a98","direction":"inbound","model_id":"model-bench-1","workspace_id":null,"custom_variables":{"CallSid":"CA0123456789abcdef0123456789abcdef"},"duration":null,"end_call_reason":null,"judge_results":null,"is_voicemail":null,"lead_phone_number":"+15551230000","timeline":[],"twilio_call_sid":null,"agents_used":[],"executed_actions":[],"prompt_variables":{},"recording_url":null,"transcript":null,"error_message":null,"start_time":1744309477691,"labels":[],"agent_phone_number":"+15557650000","timezone":null}'
mkdir -p "$T/nginx"
nginx_conf_head "$T/nginx" "$T/nginx.pid" "$T/nginx-error.log" level=warn \
    connections=4096 >"$T/nginx.conf" || die "cannot write nginx.conf"
cat >>"$T/nginx.conf" <<NGINX
	access_log off;
	log_format reg '\$connection';
	keepalive_requests 1000000;
	keepalive_timeout 75s;
	upstream prog {
		server unix:$T/prog.sock;
		keepalive 8;
	}
	server {
		listen 127.0.0.1:$FAKE_PORT;
		location = /v2/prepare_inbound {
			access_log $T/registrations.log reg;
			default_type application/json;
			return 200 '$REPLY';
		}
	}
	server {
		listen 127.0.0.1:$FRONT_PORT;
		location = /_ready { return 204; }
		location = /twilio/voice {
			include $top_srcdir/nginx/synthflow-twiml-fastcgi.conf;
			fastcgi_pass prog;
		}
	}
}
NGINX
"$NGINX_BIN" -p "$T/nginx" -c "$T/nginx.conf" -e "$T/nginx-error.log" &
PIDS="$PIDS $!"
wait_for curl -sf "http://127.0.0.1:$FRONT_PORT/_ready" ||
    die "nginx did not start: $(cat "$T/nginx-error.log")"
: >"$T/registrations.log"

# One Twilio-like call, signed for the URL it is sent to.
params=(AccountSid=AC0123456789abcdef0123456789abcdef ApiVersion=2010-04-01
    CallSid=CA0123456789abcdef0123456789abcdef CallStatus=ringing
    Called=+15557650000 Caller=+15551230000 "CallerName=Jane Doe"
    Direction=inbound From=+15551230000 FromCity=OAKLAND FromCountry=US
    FromState=CA To=+15557650000 ToCity=SAN\ FRANCISCO ToCountry=US
    ToState=CA)
BODY=$(printf '%s\n' "${params[@]}" | /usr/bin/python3 -c '
import sys, urllib.parse
print(urllib.parse.urlencode([tuple(l.rstrip("\n").split("=", 1)) for l in sys.stdin]), end="")')
printf '%s' "$BODY" >"$T/body"
URL=http://127.0.0.1:$FRONT_PORT/twilio/voice
SIG=$(TWILIO_AUTH_TOKEN=$AUTH_TOKEN "$PROG" --sign "$URL" "${params[@]}" 2>/dev/null) ||
    die "--sign failed"
export SYNTHFLOW_API_KEY="$API_KEY" SYNTHFLOW_MODEL_ID=model-bench-1 \
    TWILIO_AUTH_TOKEN="$AUTH_TOKEN" SYNTHFLOW_API_URL=http://127.0.0.1:$FAKE_PORT
# Every request registered (ab repeats one body) and answered as in 2.4.
export SYNTHFLOW_DEDUP_SECONDS=0 SYNTHFLOW_DIAL_ACTION=off SYNTHFLOW_TRANSFER=off
unset SYNTHFLOW_CONFIG
ir() {	# ir CALLGRIND-OUT: the total Ir
	awk '/^(summary|totals):/ { print $2; exit }' "$1"
}

# CGI: one process per call.
say "CGI: $CGI_REQUESTS runs under callgrind"
i=1
: >"$T/cgi.ir"
while [ $i -le "$CGI_REQUESTS" ]; do
	env REQUEST_METHOD=POST CONTENT_TYPE=application/x-www-form-urlencoded \
	    CONTENT_LENGTH=${#BODY} REQUEST_URI=/twilio/voice \
	    HTTP_HOST=127.0.0.1:$FRONT_PORT SERVER_NAME=localhost \
	    SERVER_PORT=$FRONT_PORT SERVER_PROTOCOL=HTTP/1.1 \
	    GATEWAY_INTERFACE=CGI/1.1 SCRIPT_NAME=/twilio/voice \
	    HTTP_X_TWILIO_SIGNATURE="$SIG" \
	    valgrind -q --tool=callgrind --callgrind-out-file="$T/cgi.$i.out" \
	    "$PROG" <"$T/body" >"$T/cgi.answer" 2>>"$T/cgi.log" ||
	    die "CGI run $i failed: $(tail -3 "$T/cgi.log")"
	grep -q '<Sip>' "$T/cgi.answer" ||
	    die "CGI run $i did not dial: $(cat "$T/cgi.answer")"
	ir "$T/cgi.$i.out" >>"$T/cgi.ir"
	[ -n "${KEEP_TMP:-}" ] || rm -f "$T/cgi.$i.out"
	i=$((i + 1))
done
CGI_IR=$(sort -n "$T/cgi.ir" | awk '{ v[NR] = $1; s += $1 } END {
    printf "%.0f (min %d, max %d)", s / NR, v[1], v[NR] }')

# FastCGI: the program under callgrind behind nginx.
say "FastCGI: $FCGI_REQUESTS calls under callgrind"
valgrind -q --tool=callgrind --callgrind-out-file="$T/fcgi.out" \
    "$PROG" --listen "unix:$T/prog.sock" 2>>"$T/fcgi.log" &
VG=$!
PIDS="$PIDS $VG"
wait_for test -S "$T/prog.sock" || die "the program did not start under valgrind"
chmod 0666 "$T/prog.sock"
load() {	# load N CONCURRENCY
	ab -q -k -n "$1" -c "$2" -s 60 -p "$T/body" \
	    -T application/x-www-form-urlencoded -H "X-Twilio-Signature: $SIG" \
	    "$URL" >"$T/ab.out" 2>&1
	awk '/^Complete requests/ { c = $3 } /^Failed requests/ { f = $3 }
	    /^Non-2xx/ { n = $3 } END { if (c == 0 || f > 0 || n > 0) exit 1 }' \
	    "$T/ab.out" || die "load failed: $(cat "$T/ab.out")"
}
load 20 1
(cd "$T" && callgrind_control -z "$VG" >/dev/null) || die "callgrind_control -z failed"
r0=$(wc -l <"$T/registrations.log")
load "$FCGI_REQUESTS" 1
r1=$(wc -l <"$T/registrations.log")
(cd "$T" && callgrind_control -d "$VG" >/dev/null) || die "callgrind_control -d failed"
dump=$(ls -t "$T"/fcgi.out.* 2>/dev/null | head -n 1)
[ -n "$dump" ] || dump=$T/fcgi.out
FCGI_TOTAL=$(ir "$dump")
FCGI_IR=$((FCGI_TOTAL / FCGI_REQUESTS))
# The function table follows the "file:function" header; left out: the
# thread start-up frames, functions without a symbol, and the second entry
# of a function listed under both a relative and an absolute path.
TOP=$(callgrind_annotate --inclusive=yes "$dump" 2>/dev/null |
    awk -v top="$top_srcdir/" '/file:function/ { on = 1; getline; next }
	on && NF > 0 && !/clone\.S|pthread_create\.c|\?\?\?:0x/ && n < 10 {
		sub(/ \[.*\/lib\/x86_64-linux-gnu\//, " [")
		sub(/ \[\/.*\/synthflow-twiml\]/, "")
		if ((i = index($0, top)) > 0)
			$0 = substr($0, 1, i - 1) substr($0, i + length(top))
		fn = $0
		sub(/^ *[0-9,]+ \( *[0-9.]+%\) +/, "", fn)
		sub(/ \[.*/, "", fn)
		sub(/^.*:/, "", fn)
		if (fn in seen)
			next
		seen[fn] = 1
		print; n++
	}')
kill "$VG"
wait "$VG" 2>/dev/null

# Keep-alive: connections at the fake for K_REQUESTS calls, no valgrind.
say "keep-alive: $K_REQUESTS calls at 32 concurrent"
rm -f "$T/prog.sock"
"$PROG" --listen "unix:$T/prog.sock" 2>>"$T/prog.log" &
P=$!
PIDS="$PIDS $P"
wait_for test -S "$T/prog.sock" || die "the program did not start"
chmod 0666 "$T/prog.sock"
load 1000 32
k0=$(wc -l <"$T/registrations.log")
load "$K_REQUESTS" 32
k1=$(wc -l <"$T/registrations.log")
KCONN=$(tail -n +$((k0 + 1)) "$T/registrations.log" | sort -u | wc -l)
THREADS=$(awk '/serving FastCGI with/ { print $(NF - 1); exit }' "$T/prog.log")

echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), \`bash bench/callgrind.sh\`, $("$PROG" --version 2>&1 | head -n 1), valgrind $(valgrind --version | sed 's/valgrind-//')"
echo
echo "| mode | instructions (Ir) per request |"
echo "|---|--:|"
echo "| CGI, one process per call ($CGI_REQUESTS runs) | $CGI_IR |"
echo "| FastCGI behind nginx, kept-alive ($FCGI_REQUESTS calls, $((r1 - r0)) registrations) | $FCGI_IR |"
echo
echo "FastCGI: the 10 functions with the most inclusive Ir over the $FCGI_REQUESTS calls (total $FCGI_TOTAL):"
echo
echo '```'
echo "$TOP"
echo '```'
echo
echo "Keep-alive: $((k1 - k0)) registrations for $K_REQUESTS calls (32 concurrent, ${THREADS:-?} workers) came on $KCONN TCP connections to the fake Synthflow."
