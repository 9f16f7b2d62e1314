#!/bin/bash
# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# The benchmark of synthflow-twiml against its peers and its limits, all on
# loopback, all behind one front nginx (private prefix, own pid files; every
# process it starts is stopped on exit, every loop is bounded):
#
#   prog    synthflow-twiml, FastCGI on a unix socket (spawn-fcgi, as the
#           shipped systemd socket does it), the shipped nginx params,
#           signature checks on, every request signed
#   null    bench/null-fcgi.c: a FastCGI responder printing a fixed TwiML,
#           the limit for any FastCGI program behind this nginx
#   return  nginx "return 200" with the same TwiML, the limit for anything
#           behind nginx
#   node    Synthflow's Express + twilio snippet (bench/peers/node), one
#           process, reverse-proxied
#   python  Synthflow's FastAPI + twilio snippet (bench/peers/python),
#           one uvicorn process, reverse-proxied
#
# The fake Synthflow is a second nginx: "return 200" with a 1.5 KB
# prepare_inbound reply, and a slow variant (echo_sleep, nginx's echo module)
# answering after 200 ms; its access log counts registrations and the TCP
# connections they came on ($connection).
#
# Scenario A: zero-latency fake, 32 connections (wrk, closed loop).
# Scenario B: 200 ms fake, 256 connections.
# Scenario C: 200 ms fake, open-loop arrivals at 4x (C4) and 10x (C10)
#   what the program's workers can serve (workers / 200 ms) for 10 s,
#   callers hanging up after 15 s as Twilio does: per kind of answer
#   (registered dial, direct dial, the web server's fallback, fallback,
#   5xx, timeout) the count and p50/p99 latency, registrations at the
#   fake, the program's outcomes, the front nginx's errors.
# The program's location has what an operator ships with
# SYNTHFLOW_FALLBACK_DIRECT on: error_page 502 503 504 to the
# @synthflow_fallback_direct location of nginx/synthflow-twiml-locations.conf
# (copied from it, with an access log of its own), so that a failed
# upstream is answered 200 TwiML; those answers are counted as their own
# kind (openloop's "front"; in A and B from that log), never as the
# program's.
# K: 10 000 calls (ab, 32 concurrent, kept alive): the TCP connections the
#   fake saw for them, per contestant that calls it.
# L: Synthflow over TLS 1.3 (HTTP/2 offered, ALPN), L_DELAY_MS (20) each
#   way, idle connections closed after 5 s, in a network namespace of the
#   bench's own (unshare -n; only lo, every process of L inside it): the
#   fake serves the same reply on a third port, "listen ssl http2" with a
#   CA and certificate made here by openssl, and only the packets to and
#   from that port are delayed, by an iptables NFQUEUE rule and
#   bench/delayer.c (this kernel has no netem), so nginx <-> contestant
#   traffic is not. Calibrated first with curl (a TCP connect ~ 1 RTT, a
#   cold TLS request ~ 3 RTT). Contestants: the program (and PROG_BEFORE,
#   another build of it, as "before"), the Express and FastAPI snippets
#   (trusting the CA through NODE_EXTRA_CA_CERTS and SSL_CERT_FILE), and
#   "direct", the front nginx proxying straight to the fake (keepalive,
#   TLS session reuse): the reference. At each of L_CONNS callers (wrk):
#   req/s, p50 and p99 as ratios to the reference of the same round, CPU
#   per call, and the TLS connections the fake saw (its log: $connection,
#   $ssl_session_reused, $ssl_protocol), new ones with a full or a resumed
#   handshake. Then, L_BURSTS times: L_QUIET (6) s idle, one call per
#   contestant (the first call after quiet), L_QUIET s idle again, L_BURST
#   (64) calls at once per contestant (ab): p50/p99/max and the
#   handshakes. SCENARIOS=L runs the whole script in the namespace; with
#   other scenarios, they run as before and L in a second run of this
#   script in its namespace, its report appended.
# Two more contestants, not run by default, price the CallSid table in
# Redis: "dedup" and "redis" are the program with SYNTHFLOW_DEDUP_SECONDS
# 600, so that the bodies, which repeat, are all dedup hits after their
# first call: "dedup" from the process's own table, "redis" from a private
# redis-server on a unix socket (SYNTHFLOW_DEDUP_REDIS), one Redis round
# trip each. Their ratio is the cost of that round trip per call:
#   SCENARIOS=A CONTESTANTS_A="prog dedup redis" bash bench/run.sh
#
# Each contestant's answer is checked to be the right TwiML before it is
# timed; contestants are interleaved (order rotated each round), ROUNDS
# rounds, medians reported. The report (markdown) goes to stdout, and to
# OUTPUT when set; progress to stderr.
#
# Usage: bash bench/setup.sh (once, as root), then make bench in the build
# tree, or bash bench/run.sh in a tree built in place; make bench passes
# ROUNDS, DURATION, WARMUP, SCENARIOS and OUTPUT through.
# Knobs (environment): ROUNDS=3 DURATION=10 WARMUP=3 SCENARIOS="A B C K"
#   CONTESTANTS_A="prog null return node python" (and dedup, redis, and
#   before: PROG_BEFORE, another build of the program, as in L; so also
#   in CONTESTANTS_B)
#   CONTESTANTS_B="prog node python"  CONN_A=32 CONN_B=256
#   PROG_THREADS (default: the program's SYNTHFLOW_THREADS default)
#   C_DURATION (default DURATION) C_FACTORS="4 10" TWILIO_TIMEOUT=15
#   C_SOURCES=64 (openloop's source addresses, 127.0.0.2 and up)
#   PROG_BACKLOG=4096 (spawn-fcgi -b: the program's listen queue; the
#   kernel caps it at net.core.somaxconn, which this script does not
#   change: it says so in the report when the cap is lower)
#   (SCENARIOS=C runs scenario C alone)
#   FRONT_WORKERS=2 UPSTREAM_KEEPALIVE=8 WRK_THREADS=2 BODIES=8
#   PROG=path/to/synthflow-twiml  PYTHON=/usr/bin/python3  OUTPUT=file
#   CC=cc FCGI_CFLAGS= FCGI_LIBS=-lfcgi (to build the two helpers)
#   KEEP_TMP=1 (keep the temp dir with every log)
#   L: L_CONNS="32 256" L_DELAY_MS=20 L_DURATION (default DURATION)
#   L_QUIET=6 L_BURST=64 L_BURSTS (default ROUNDS) L_KEEPALIVE=5
#   CONTESTANTS_L="before prog node python direct" (before: only with
#   PROG_BEFORE=path/to/another/synthflow-twiml)
# Needs (Debian 12; bench/setup.sh installs them): nginx
#   libnginx-mod-http-echo wrk apache2-utils spawn-fcgi libfcgi-dev
#   python3-fastapi python3-uvicorn python3-httpx python3-multipart
#   python3-twilio curl procps, for L iptables iproute2 util-linux
#   openssl libnetfilter-queue-dev (and root: a network namespace), a C
#   compiler, and Node.js 18 or later with npm (not installed by
#   bench/setup.sh). The node peer's packages are
#   the tree of bench/peers/node/package-lock.json (npm ci): installed by
#   bench/setup.sh, or here when missing, in bench/peers/node, or in the
#   build tree when the source tree is read-only.

set -u
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/nginx-conf.sh"
. "$top_srcdir/bench/lib.sh"
. "$top_srcdir/tests/tls-setup.sh"
PROG=${PROG:-$top_builddir/synthflow-twiml}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
SCENARIOS=${SCENARIOS:-A B C K L}
CONTESTANTS_A=${CONTESTANTS_A:-prog null return node python}
CONTESTANTS_B=${CONTESTANTS_B:-prog node python}
CONN_A=${CONN_A:-32}
CONN_B=${CONN_B:-256}
SLOW_MS=200
C_DURATION=${C_DURATION:-$DURATION}
C_FACTORS=${C_FACTORS:-4 10}
TWILIO_TIMEOUT=${TWILIO_TIMEOUT:-15}
C_SOURCES=${C_SOURCES:-64}
PROG_BACKLOG=${PROG_BACKLOG:-4096}
K_REQUESTS=${K_REQUESTS:-10000}
FRONT_WORKERS=${FRONT_WORKERS:-2}
UPSTREAM_KEEPALIVE=${UPSTREAM_KEEPALIVE:-8}
WRK_THREADS=${WRK_THREADS:-2}
BODIES=${BODIES:-8}
PYTHON=${PYTHON:-/usr/bin/python3}
NGINX_BIN=${NGINX_BIN:-nginx}
ECHO_MODULE=${ECHO_MODULE:-/usr/lib/nginx/modules/ngx_http_echo_module.so}
NODE_DIR=${NODE_DIR:-$top_srcdir/bench/peers/node}
FCGI_CFLAGS=${FCGI_CFLAGS:-}
FCGI_LIBS=${FCGI_LIBS:--lfcgi}
PY_DIR=$top_srcdir/bench/peers/python
MAX_SECONDS=${MAX_SECONDS:-3600}
OUTPUT=${OUTPUT:-}
CC=${CC:-cc}
PROG_BEFORE=${PROG_BEFORE:-}
L_CONNS=${L_CONNS:-32 256}
L_DELAY_MS=${L_DELAY_MS:-20}
L_DURATION=${L_DURATION:-$DURATION}
L_QUIET=${L_QUIET:-6}
L_BURST=${L_BURST:-64}
L_BURSTS=${L_BURSTS:-$ROUNDS}
L_KEEPALIVE=${L_KEEPALIVE:-5}
CONTESTANTS_L=${CONTESTANTS_L:-${PROG_BEFORE:+before }prog node python direct}
# nginx reads NGINX from its environment (inherited sockets): keep it out.
unset NGINX

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

for f in $C_FACTORS; do
	case $f in
	''|*[!0-9]*|0) die "C_FACTORS must be positive whole numbers" ;;
	esac
done
for v in ROUNDS DURATION WARMUP CONN_A CONN_B C_DURATION C_SOURCES \
    L_DELAY_MS L_DURATION L_QUIET L_BURST L_BURSTS L_KEEPALIVE \
    PROG_BACKLOG TWILIO_TIMEOUT K_REQUESTS FRONT_WORKERS UPSTREAM_KEEPALIVE WRK_THREADS \
    BODIES MAX_SECONDS; do
	case ${!v} in
	''|*[!0-9]*|0) die "$v must be a positive whole number" ;;
	esac
done
[ "$ROUNDS" -le 20 ] && [ "$DURATION" -le 120 ] && [ "$C_DURATION" -le 60 ] &&
    [ "$C_SOURCES" -le 250 ] ||
    die "ROUNDS <= 20, DURATION <= 120, C_DURATION <= 60, C_SOURCES <= 250"
for v in $L_CONNS; do
	case $v in
	''|*[!0-9]*|0) die "L_CONNS must be positive whole numbers" ;;
	esac
done
[ "$L_DELAY_MS" -le 1000 ] && [ "$L_DURATION" -le 120 ] &&
    [ "$L_QUIET" -le 60 ] && [ "$L_BURST" -le 1000 ] &&
    [ "$L_BURSTS" -le 20 ] || die "L_DELAY_MS <= 1000, L_DURATION <= 120, \
L_QUIET <= 60, L_BURST <= 1000, L_BURSTS <= 20"
[ -z "$PROG_BEFORE" ] || [ -x "$PROG_BEFORE" ] ||
    die "PROG_BEFORE=$PROG_BEFORE is not an executable"

# Scenario L lives in a network namespace of its own (BENCH_NETNS set
# inside it): alone, the whole script runs there; with other scenarios,
# they run here and L afterwards in a second run of this script there.
L_RUN= L_APART=
case " $SCENARIOS " in *" L "*) L_RUN=1 ;; esac
if [ -n "$L_RUN" ] && [ -z "${BENCH_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
	    unshare -n true 2>/dev/null ||
	    die "scenario L needs root and unshare -n (a network namespace)"
	if [ "$(echo $SCENARIOS)" = L ]; then
		exec env BENCH_NETNS=1 unshare -n bash "$0" "$@"
	fi
	L_APART=1 L_RUN=
	SCENARIOS=$(echo " $SCENARIOS " | sed 's/ L / /g')
fi
if [ -n "${BENCH_NETNS:-}" ]; then
	ip link set lo up || die "cannot bring lo up in the namespace"
	[ "$(ip -o link show | grep -vc ': lo:')" = 0 ] ||
	    die "the namespace has more than lo"
fi

# The peers (node, python) take part in A, B and K only: SCENARIOS=C
# needs neither, nor npm, and neither do A and B without them among their
# contestants.
PEERS=
for s in $SCENARIOS; do
	case $s in
	A) c=$CONTESTANTS_A ;;
	B) c=$CONTESTANTS_B ;;
	K) c=node ;;
	L) [ -n "$L_RUN" ] || continue; c=$CONTESTANTS_L ;;
	*) continue ;;
	esac
	case " $c " in *" node "*|*" python "*) PEERS="node npm" ;; esac
done
missing=
REDIS=
case " $CONTESTANTS_A $CONTESTANTS_B " in *" redis "*) REDIS=redis-server ;; esac
for t in "$NGINX_BIN" wrk ab spawn-fcgi $PEERS $REDIS curl ps "${CC%% *}" \
    "$PYTHON"; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
[ -f "$ECHO_MODULE" ] || missing="$missing $ECHO_MODULE"
printf '#include <fcgiapp.h>\n' | $CC $FCGI_CFLAGS -E - >/dev/null 2>&1 ||
    missing="$missing fcgiapp.h"
[ -z "$PEERS" ] ||
    "$PYTHON" -c 'import fastapi, uvicorn, httpx, multipart, twilio' \
    2>/dev/null || missing="$missing python3-fastapi/uvicorn/httpx/multipart/twilio"
[ -x "$PROG" ] || missing="$missing $PROG"
if [ -n "$L_RUN" ]; then
	for t in iptables ip openssl ab; do
		command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
	done
	printf '#include <libnetfilter_queue/libnetfilter_queue.h>\n' |
	    $CC -E - >/dev/null 2>&1 ||
	    missing="$missing libnetfilter_queue.h (libnetfilter-queue-dev)"
fi
[ -z "$missing" ] || die "missing:$missing (Debian 12: bash bench/setup.sh \
as root installs all but Node.js; build the program first)"

# The node peer's packages: where bench/setup.sh put them, or where an
# earlier run did when the source tree was read-only; else npm ci here.
node_ok() {
	[ -d "$1/node_modules/express" ] && [ -d "$1/node_modules/twilio" ]
}
if ! node_ok "$NODE_DIR" && node_ok "$top_builddir/bench/peers/node"; then
	NODE_DIR=$top_builddir/bench/peers/node
fi
if [ -n "$PEERS" ] && ! node_ok "$NODE_DIR"; then
	# A read-only source tree (make distcheck): install in the build tree.
	if [ ! -w "$NODE_DIR" ]; then
		mkdir -p "$top_builddir/bench/peers/node" &&
		    cp "$NODE_DIR/package.json" "$NODE_DIR/package-lock.json" \
		    "$NODE_DIR/server.js" "$top_builddir/bench/peers/node/" ||
		    die "cannot copy $NODE_DIR"
		NODE_DIR=$top_builddir/bench/peers/node
	fi
	say "npm ci in $NODE_DIR (express, twilio and their dependencies as in package-lock.json)"
	(cd "$NODE_DIR" && timeout 600 npm ci --no-audit --no-fund \
	    --update-notifier=false --loglevel=error >&2) || die "npm ci failed in $NODE_DIR"
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/synthflow-bench.XXXXXX") || exit 1
chmod 0755 "$T"		# nginx workers run as nobody
PIDS=
cleanup() {
	trap - EXIT INT TERM
	[ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null
	all=$PIDS
	for p in $all; do kill "$p" 2>/dev/null; done
	for p in $all; do stop "$p"; done
	if [ -n "${KEEP_TMP:-}" ]; then say "logs kept in $T"; else
		rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# The whole run is bounded: past MAX_SECONDS it stops itself.
( trap 'kill "$s" 2>/dev/null; exit 0' TERM
  sleep "$MAX_SECONDS" & s=$!
  wait "$s" && kill -TERM $$ ) >/dev/null 2>&1 &
WATCHDOG=$!

API_KEY=sk-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
AUTH_TOKEN=tok-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
MODEL_ID=model-bench-1
TO=+15557650000
CALL_ID=sf-0b6c1a2e-7d4f-4c1b-9a7e-5f3d2c1b0a98
TWIML='<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Sip>sip:'$TO'@sip.synthflow.ai:32681?X-EI=S.'$CALL_ID';</Sip></Dial></Response>'
CLK_TCK=$(getconf CLK_TCK)


# The process tree under a pid (itself included).
tree() {
	ps -e -o pid=,ppid= | awk -v root="$1" '
	    { parent[$1] = $2 }
	    END {
		n = 1; want[root] = 1; print root
		do {
			added = 0
			for (p in parent)
				if (!(p in want) && (parent[p] in want)) {
					want[p] = 1; print p; added = 1
				}
		} while (added)
	    }'
}
# Clock ticks of user and of system time of the processes given (all
# threads), as "USER SYSTEM".
cpu_ticks() {
	u=0 s=0
	for p; do
		read -r tu ts < <(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null |
		    awk '{ print $12, $13 }')
		u=$((u + ${tu:-0})) s=$((s + ${ts:-0}))
	done
	echo "$u $s"
}
# Busy and total clock ticks of the whole machine, as "BUSY TOTAL".
machine_ticks() {
	awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }' \
	    /proc/stat
}
# Clock ticks of this script's waited-for children (wrk, under timeout).
children_ticks() {
	sed 's/.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }'
}
# Sum of the peak resident sets (VmHWM, kB) of the processes given.
peak_rss() {
	s=0
	for p; do
		k=$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		s=$((s + ${k:-0}))
	done
	echo "$s"
}

# ---------------------------------------------------------------------------
# Helpers built from source.
$CC -O2 $FCGI_CFLAGS -o "$T/null-fcgi" "$top_srcdir/bench/null-fcgi.c" \
    $FCGI_LIBS -lpthread || die "cannot build bench/null-fcgi.c"
$CC -O2 -o "$T/openloop" "$top_srcdir/bench/openloop.c" ||
    die "cannot build bench/openloop.c"
if [ -n "$L_RUN" ]; then
	$CC -O2 -o "$T/delayer" "$top_srcdir/bench/delayer.c" \
	    -lnetfilter_queue || die "cannot build bench/delayer.c"
fi

# What the program runs with by default, unless PROG_THREADS says otherwise.
DEFAULT_THREADS=$(SYNTHFLOW_API_KEY=x SYNTHFLOW_MODEL_ID=m \
    TWILIO_AUTH_TOKEN=t SYNTHFLOW_CONFIG=/dev/null "$PROG" --check 2>/dev/null |
    sed -n 's/^SYNTHFLOW_THREADS="\([0-9]*\)".*/\1/p')
THREADS=${PROG_THREADS:-${DEFAULT_THREADS:-32}}

# ---------------------------------------------------------------------------
# The fake Synthflow.
FAKE_PORT=$(free_port)
SLOW_PORT=$(free_port)
FRONT_PORT=$(free_port)
TLS_PORT=$(free_port)
mkdir -p "$T/fake" "$T/front"
# A realistic prepare_inbound reply (Synthflow's documented fields), 1.5 KB.
REPLY='{"status":"ok","call_status":"registered","synthflow_call_id":"'$CALL_ID'","direction":"inbound","model_id":"'$MODEL_ID'","workspace_id":null,"custom_variables":{"CallSid":"CA0123456789abcdef0123456789abcdef","CallerName":"Jane Doe"},"duration":null,"end_call_reason":null,"judge_results":null,"is_voicemail":null,"lead_phone_number":"+15551230000","voicemail_not_detected_during_call_but_detected_in_post_call":null,"voicemail_during_call_but_not_voicemail_in_post_call":null,"timeline":[],"twilio_call_sid":null,"egress_recording_url":null,"agents_used":[],"original_payload":null,"executed_actions":[],"prompt_variables":{},"voicemail_message_left":null,"recording_sid":null,"secondary_call_id":null,"recording_url":null,"payload_received":null,"language":null,"type_of_call":null,"recording_duration":null,"transcript":null,"error_message_payload_validation":null,"error_message":null,"node_and_stage_time_track":{},"start_time":1744309477691,"campaign_name":null,"lead_name":null,"labels":[],"agent_phone_number":"'$TO'","deployment_type":null,"timezone":null,"answered_by":null,"call_cost":null,"ended_at":null,"started_at":null,"telephony_provider":"twilio","sip_trunk":"sip.synthflow.ai:32681","region":"global","metadata":{"source":"api","api_version":"v2","request_id":"req-6f1e2d3c4b5a69788796a5b4c3d2e1f0"}}'
# Scenario L's fake: TLS 1.3 offering HTTP/2, idle connections closed
# after L_KEEPALIVE s, a CA and a certificate for 127.0.0.1 and
# synthflow.test (the name the front nginx verifies: it checks no IP).
TLS_SERVER=
if [ -n "$L_RUN" ]; then
	tls_certs "$T/tls" "IP:127.0.0.1, DNS:synthflow.test" ||
	    die "openssl could not make the bench's CA: $(tail -3 "$T/tls/openssl.log")"
	CA=$T/tls/ca.pem
	TLS_SERVER="server {
		listen 127.0.0.1:$TLS_PORT ssl http2 backlog=4096;
		ssl_certificate $T/tls/server.pem;
		ssl_certificate_key $T/tls/server.key;
		ssl_protocols TLSv1.3;
		keepalive_timeout ${L_KEEPALIVE}s;
		location = /_ready { return 204; }
		location = /v2/prepare_inbound {
			access_log $T/fake/tls.log tls;
			return 200 '$REPLY';
		}
	}"
fi
nginx_conf_head "$T/fake" "$T/fake/nginx.pid" "$T/fake/error.log" \
    level=warn connections=8192 main="load_module $ECHO_MODULE" \
    main="worker_rlimit_nofile 20000" >"$T/fake/nginx.conf" ||
    die "cannot write the fake's nginx.conf"
cat >>"$T/fake/nginx.conf" <<NGINX
	access_log off;
	log_format reg '\$connection \$connection_requests \$msec';
	log_format tls '\$connection \$connection_requests \$msec \$ssl_session_reused \$ssl_protocol \$server_protocol';
	# The clients decide when to close (Synthflow's own limits unknown).
	keepalive_requests 1000000;
	keepalive_timeout 75s;
	default_type application/json;
	server {
		listen 127.0.0.1:$FAKE_PORT backlog=4096;
		location = /_ready { return 204; }
		location = /v2/prepare_inbound {
			access_log $T/fake/registrations.log reg;
			return 200 '$REPLY';
		}
	}
	server {
		listen 127.0.0.1:$SLOW_PORT backlog=4096;
		location = /_ready { return 204; }
		location = /v2/prepare_inbound {
			access_log $T/fake/registrations.log reg;
			echo_read_request_body;
			echo_sleep $(awk "BEGIN { print $SLOW_MS / 1000 }");
			echo '$REPLY';
		}
	}
	$TLS_SERVER
}
NGINX
"$NGINX_BIN" -p "$T/fake" -c "$T/fake/nginx.conf" -e "$T/fake/error.log" &
FAKE_NGINX=$!
PIDS="$PIDS $FAKE_NGINX"
wait_for curl -sf "http://127.0.0.1:$FAKE_PORT/_ready" &&
    wait_for curl -sf "http://127.0.0.1:$SLOW_PORT/_ready" ||
    die "the fake Synthflow (nginx) did not start: $(cat "$T/fake/error.log")"
REGLOG=$T/fake/registrations.log
: >"$REGLOG"
if [ -n "$L_RUN" ]; then
	wait_for curl -sf --cacert "$CA" "https://127.0.0.1:$TLS_PORT/_ready" ||
	    die "the fake's TLS server did not start: $(tail -3 "$T/fake/error.log")"
	# L counts the TLS server's registrations (with their connections).
	REGLOG=$T/fake/tls.log
	: >"$REGLOG"
fi
regs() { wc -l <"$REGLOG"; }
# Answers of the front nginx's own fallback (its log, once it runs).
fallbacks() { cat "$T/front/fallback.log" 2>/dev/null | wc -l; }

# ---------------------------------------------------------------------------
# The front nginx, one location per contestant.
# The shipped fallback location, with a log counting its answers.
FALLBACK_LOC=$(awk '/^location @synthflow_fallback_direct \{/,/^\}/' \
    "$top_srcdir/nginx/synthflow-twiml-locations.conf" |
    sed "1a\\
	access_log $T/front/fallback.log fallback;")
case $FALLBACK_LOC in
*"return"*"<Sip>sip:$TO@"*) ;;
*) die "no @synthflow_fallback_direct dialling $TO in nginx/synthflow-twiml-locations.conf" ;;
esac
# Scenario L's reference: the front proxying straight to the TLS fake
# ("direct": the fake's JSON, no TwiML), its connections kept and their
# sessions reused.
L_UPSTREAMS= L_LOCATIONS=
if [ -n "$L_RUN" ]; then
	L_UPSTREAMS="	upstream fake_tls {
		server 127.0.0.1:$TLS_PORT;
		keepalive 64;
	}"
	L_LOCATIONS="		location = /direct/twilio/voice {
			proxy_pass https://fake_tls/v2/prepare_inbound;
			proxy_http_version 1.1;
			proxy_set_header Connection \"\";
			proxy_ssl_protocols TLSv1.3;
			proxy_ssl_verify on;
			proxy_ssl_trusted_certificate $CA;
			proxy_ssl_name synthflow.test;
			proxy_ssl_server_name on;
			proxy_ssl_session_reuse on;
		}"
fi
# The other FastCGI contestants: an upstream and a location each.
FCGI_UPSTREAMS= FCGI_LOCATIONS=
# The program built before ("before"), shipped as the program is.
if [ -n "$PROG_BEFORE" ]; then
	FCGI_UPSTREAMS+="	upstream before {
		server unix:$T/before.sock;
		keepalive $UPSTREAM_KEEPALIVE;
	}
"
	FCGI_LOCATIONS+="		location = /before/twilio/voice {
			include $top_srcdir/nginx/synthflow-twiml-fastcgi.conf;
			fastcgi_pass before;
			error_page 502 503 504 = @synthflow_fallback_direct;
		}
"
fi
for c in null dedup redis; do
	FCGI_UPSTREAMS+="	upstream $c {
		server unix:$T/$c.sock;
		keepalive $UPSTREAM_KEEPALIVE;
	}
"
	FCGI_LOCATIONS+="		location = /$c/twilio/voice {
			include $top_srcdir/nginx/synthflow-twiml-fastcgi.conf;
			fastcgi_pass $c;
		}
"
done
nginx_conf_head "$T/front" "$T/front/nginx.pid" "$T/front/error.log" \
    level=warn workers="$FRONT_WORKERS" connections=16384 \
    main="worker_rlimit_nofile 20000" >"$T/front/nginx.conf" ||
    die "cannot write the front nginx.conf"
cat >>"$T/front/nginx.conf" <<NGINX
	access_log off;
	log_format fallback '\$msec \$request_time';
	keepalive_requests 1000000;
	upstream prog {
		server unix:$T/prog.sock;
		# keepalive x worker_processes below the workers: synthflow-twiml(8)
		keepalive $UPSTREAM_KEEPALIVE;
	}
$FCGI_UPSTREAMS
	upstream node {
		server 127.0.0.1:\${NODE_PORT};
		keepalive 64;
	}
	upstream python {
		server 127.0.0.1:\${PY_PORT};
		keepalive 64;
	}
$L_UPSTREAMS
	server {
		# reuseport: the kernel spreads wrk's connections evenly over
		# the workers.
		listen 127.0.0.1:$FRONT_PORT backlog=4096 reuseport;
		server_name localhost;
		location = /_ready { return 204; }
		location = /prog/twilio/voice {
			include $top_srcdir/nginx/synthflow-twiml-fastcgi.conf;
			fastcgi_pass prog;
			error_page 502 503 504 = @synthflow_fallback_direct;
		}
$FALLBACK_LOC
$FCGI_LOCATIONS
		location = /return/twilio/voice {
			default_type "text/xml; charset=utf-8";
			return 200 '$TWIML';
		}
		location = /node/twilio/voice {
			proxy_pass http://node;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host \$http_host;
		}
		location = /python/twilio/voice {
			proxy_pass http://python;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host \$http_host;
		}
$L_LOCATIONS
	}
}
NGINX
NODE_PORT=$(free_port)
PY_PORT=$(free_port)
sed -i -e "s/\${NODE_PORT}/$NODE_PORT/" -e "s/\${PY_PORT}/$PY_PORT/" \
    "$T/front/nginx.conf"
"$NGINX_BIN" -p "$T/front" -c "$T/front/nginx.conf" -e "$T/front/error.log" &
FRONT_NGINX=$!
PIDS="$PIDS $FRONT_NGINX"
wait_for curl -sf "http://127.0.0.1:$FRONT_PORT/_ready" ||
    die "the front nginx did not start: $(cat "$T/front/error.log")"
BASE=http://127.0.0.1:$FRONT_PORT

# ---------------------------------------------------------------------------
# Signed Twilio-like bodies: BODIES different calls (CallSid, From, caller
# name), the parameters of a real Twilio voice webhook, each signed for each
# contestant's URL with the program's --sign. Files: $T/req-NAME.tsv for
# wrk, $T/raw-NAME (NUL-separated HTTP requests, Connection: close) for
# openloop, $T/body-NAME-1 and $T/sig-NAME-1 for curl and ab.
call_params() {	# call_params I: one call's NAME=VALUE lines
	printf 'AccountSid=AC0123456789abcdef0123456789abcdef\n'
	printf 'ApiVersion=2010-04-01\n'
	printf 'CallSid=CA%032x\n' "$((0x5eed0000 + $1))"
	printf 'CallStatus=ringing\n'
	printf 'Called=%s\nCalledCity=SAN FRANCISCO\nCalledCountry=US\n' "$TO"
	printf 'CalledState=CA\nCalledZip=94105\n'
	printf 'Caller=+1555123%04d\nCallerCity=OAKLAND\nCallerCountry=US\n' "$1"
	printf 'CallerName=Caller Number %d\n' "$1"
	printf 'CallerState=CA\nCallerZip=94612\nDirection=inbound\n'
	printf 'From=+1555123%04d\nFromCity=OAKLAND\nFromCountry=US\n' "$1"
	printf 'FromState=CA\nFromZip=94612\n'
	printf 'StirVerstat=TN-Validation-Passed-A\n'
	printf 'To=%s\nToCity=SAN FRANCISCO\nToCountry=US\n' "$TO"
	printf 'ToState=CA\nToZip=94105\n'
}
urlencode_form() {	# NAME=VALUE lines on stdin -> one urlencoded form
	"$PYTHON" -c '
import sys, urllib.parse
pairs = [tuple(l.rstrip("\n").split("=", 1)) for l in sys.stdin if "=" in l]
sys.stdout.write(urllib.parse.urlencode(pairs))'
}
make_requests() {	# make_requests NAME
	path=/$1/twilio/voice
	: >"$T/req-$1.tsv"
	: >"$T/raw-$1"
	i=1
	while [ $i -le "$BODIES" ]; do
		body=$(call_params $i | urlencode_form)
		mapfile -t args < <(call_params $i)
		sig=$(TWILIO_AUTH_TOKEN=$AUTH_TOKEN "$PROG" --sign \
		    "$BASE$path" "${args[@]}" 2>/dev/null) || die "--sign failed"
		printf '%s\t127.0.0.1:%s\t%s\t%s\n' "$path" "$FRONT_PORT" \
		    "$sig" "$body" >>"$T/req-$1.tsv"
		printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nUser-Agent: TwilioProxy/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\0' \
		    "$path" "$FRONT_PORT" "$sig" "${#body}" "$body" \
		    >>"$T/raw-$1"
		if [ $i -eq 1 ]; then
			printf '%s' "$body" >"$T/body-$1-1"
			printf '%s' "$sig" >"$T/sig-$1-1"
		fi
		i=$((i + 1))
	done
}
for c in prog dedup redis null return node python ${PROG_BEFORE:+before} \
    ${L_RUN:+direct}; do
	make_requests "$c"
done

# ---------------------------------------------------------------------------
# Contestants. start_contestants API_URL NAME...; PID_name holds each root.
# The settings every peer gets; run as "${PEER_ENV[@]}" API_URL=... COMMAND &
# (a plain command, so that $! is the contestant itself).
PEER_ENV=(env -u SYNTHFLOW_CONFIG SYNTHFLOW_API_KEY="$API_KEY"
    SYNTHFLOW_MODEL_ID="$MODEL_ID" TWILIO_AUTH_TOKEN="$AUTH_TOKEN")
# L: every contestant trusts the bench's CA, each by its own setting.
[ -n "$L_RUN" ] && PEER_ENV+=(SYNTHFLOW_CA_FILE="$CA"
    NODE_EXTRA_CA_CERTS="$CA" SSL_CERT_FILE="$CA")
start_one() {	# start_one NAME API_URL
	case $1 in
	prog|before)
		# before: scenario L's other build of the program.
		bin=$PROG
		[ "$1" = before ] && bin=$PROG_BEFORE
		rm -f "$T/$1.sock"
		: >"$T/$1.log"
		# The snippets' work: every request registered (the bodies
		# repeat, so no dedup) and the same TwiML (no Dial action, no
		# referUrl).
		"${PEER_ENV[@]}" SYNTHFLOW_API_URL="$2" SYNTHFLOW_THREADS="$THREADS" \
		    SYNTHFLOW_DEDUP_SECONDS=0 SYNTHFLOW_DIAL_ACTION=off \
		    SYNTHFLOW_TRANSFER=off \
		    spawn-fcgi -n -s "$T/$1.sock" -M 0666 -b "$PROG_BACKLOG" \
		    -- "$bin" 2>>"$T/$1.log" &
		eval "PID_$1=\$!"
		wait_for test -S "$T/$1.sock" || die "the program ($1) did not start"
		;;
	dedup|redis)
		# Every call but a body's first a dedup hit: in the process's
		# table, or in Redis (one round trip).
		rm -f "$T/$1.sock"
		dedup_env=()
		if [ "$1" = redis ]; then
			mkdir -p "$T/redis-server"
			redis-server --save '' --appendonly no --port 0 \
			    --dir "$T/redis-server" --unixsocket "$T/redis-server/sock" \
			    --unixsocketperm 700 >"$T/redis-server/log" 2>&1 &
			PID_redis_server=$!
			PIDS="$PIDS $PID_redis_server"
			wait_for test -S "$T/redis-server/sock" ||
			    die "redis-server did not start"
			dedup_env=(SYNTHFLOW_DEDUP_REDIS="unix:$T/redis-server/sock")
		fi
		"${PEER_ENV[@]}" SYNTHFLOW_API_URL="$2" SYNTHFLOW_THREADS="$THREADS" \
		    SYNTHFLOW_DEDUP_SECONDS=600 "${dedup_env[@]}" \
		    SYNTHFLOW_DIAL_ACTION=off SYNTHFLOW_TRANSFER=off \
		    spawn-fcgi -n -s "$T/$1.sock" -M 0666 -b "$PROG_BACKLOG" \
		    -- "$PROG" 2>>"$T/$1.log" &
		eval "PID_$1=\$!"
		wait_for test -S "$T/$1.sock" || die "the program ($1) did not start"
		;;
	null)
		rm -f "$T/null.sock"
		spawn-fcgi -n -s "$T/null.sock" -M 0666 -- "$T/null-fcgi" \
		    "$THREADS" 2>>"$T/null.log" &
		PID_null=$!
		wait_for test -S "$T/null.sock" ||
		    die "the null responder did not start"
		;;
	return|direct)
		eval "PID_$1=\$FRONT_NGINX"
		return 0
		;;
	node)
		"${PEER_ENV[@]}" SYNTHFLOW_API_URL="$2" PORT="$NODE_PORT" \
		    WEBHOOK_PATH=/node/twilio/voice \
		    NODE_ENV=production node "$NODE_DIR/server.js" \
		    >>"$T/node.log" 2>&1 &
		PID_node=$!
		wait_for curl -s -o /dev/null "http://127.0.0.1:$NODE_PORT/" ||
		    die "the Express peer did not start: $(tail -5 "$T/node.log")"
		;;
	python)
		"${PEER_ENV[@]}" SYNTHFLOW_API_URL="$2" PORT="$PY_PORT" \
		    WEBHOOK_PATH=/python/twilio/voice \
		    "$PYTHON" "$PY_DIR/server.py" >>"$T/python.log" 2>&1 &
		PID_python=$!
		wait_for curl -s -o /dev/null "http://127.0.0.1:$PY_PORT/" ||
		    die "the FastAPI peer did not start: $(tail -5 "$T/python.log")"
		;;
	esac
	eval "PIDS=\"\$PIDS \$PID_$1\""
}
stop_one() {
	case $1 in return|direct) return 0 ;; esac
	eval "p=\${PID_$1:-}"
	[ -n "$p" ] && stop "$p"
	if [ "$1" = redis ] && [ -n "${PID_redis_server:-}" ]; then
		stop "$PID_redis_server"
		PID_redis_server=
	fi
	eval "PID_$1="
}

# check_answer NAME: one signed call, the answer must be the expected TwiML.
check_answer() {
	got=$(curl -s --max-time 10 -H "X-Twilio-Signature: $(cat "$T/sig-$1-1")" \
	    --data-binary "@$T/body-$1-1" \
	    -H 'Content-Type: application/x-www-form-urlencoded' \
	    -w '\n%{http_code}' "$BASE/$1/twilio/voice")
	status=${got##*$'\n'}
	body=$(printf '%s' "${got%$'\n'*}" | tr -d '\n')
	want=$TWIML
	# The reference answers the fake's own reply.
	[ "$1" = direct ] && want=$REPLY
	if [ "$status" != 200 ] || [ "$body" != "$want" ]; then
		say "$1 answered $status, not the expected TwiML:"
		say "  got:  $body"
		say "  want: $want"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------------------
# One timed run: run_wrk SCENARIO ROUND NAME CONNECTIONS; a line of
# results.tsv: scenario round name rps p50_us p99_us errors peak_rss_kb
# cpu_us_per_req front_us_per_req registrations requests user_us sys_us
# fake_us_per_req other_load_percent.
RESULTS=$T/results.tsv
: >"$RESULTS"
wrk_load() {	# wrk_load NAME CONNECTIONS SECONDS
	timeout $(($3 + 30)) wrk -t"$WRK_THREADS" -c"$2" -d"$3"s --latency \
	    --timeout 10s -s "$top_srcdir/bench/post.lua" \
	    "$BASE/$1/twilio/voice" -- "$T/req-$1.tsv"
}
run_wrk() {
	scen=$1 round=$2 name=$3 conns=$4
	eval "root=\$PID_$name"
	wrk_load "$name" "$conns" "$WARMUP" >/dev/null 2>&1
	sleep 0.5
	pids=$(tree "$root")
	fpids=$(tree "$FRONT_NGINX")
	kpids=$(tree "$FAKE_NGINX")
	read -r cu0 cs0 < <(cpu_ticks $pids)
	read -r fu0 fs0 < <(cpu_ticks $fpids)
	read -r ku0 ks0 < <(cpu_ticks $kpids)
	read -r xu0 xs0 < <(cpu_ticks ${DELAYER:-})
	read -r mb0 mt0 < <(machine_ticks)
	w0=$(children_ticks)
	r0=$(regs)
	out=$T/wrk-$scen-$round-$name.out
	wrk_load "$name" "$conns" "$DURATION" >"$out" 2>&1
	read -r cu1 cs1 < <(cpu_ticks $pids)
	read -r fu1 fs1 < <(cpu_ticks $fpids)
	read -r ku1 ks1 < <(cpu_ticks $kpids)
	read -r xu1 xs1 < <(cpu_ticks ${DELAYER:-})
	read -r mb1 mt1 < <(machine_ticks)
	w1=$(children_ticks)
	r1=$(regs)
	# What the rest of the machine used meanwhile, in % of all cores:
	# busy time not spent in the contestant, either nginx, wrk or L's
	# delayer.
	other=$(( (mb1 - mb0) - (cu1 + cs1 - cu0 - cs0) - (fu1 + fs1 - fu0 - fs0) \
	    - (w1 - w0) - (xu1 + xs1 - xu0 - xs0) ))
	case $name in
	return|direct) other=$((other + (cu1 + cs1 - cu0 - cs0))) ;;
	esac
	other=$(( (other - (ku1 + ks1 - ku0 - ks0)) * 100 / (mt1 - mt0 > 0 ? mt1 - mt0 : 1) ))
	[ "$other" -lt 0 ] && other=0
	rss=$(peak_rss $pids)
	line=$(grep '^BENCH ' "$out")
	[ -n "$line" ] || { say "wrk failed for $name:"; cat "$out" >&2; return 1; }
	eval "${line#BENCH }"
	errs=$((err_connect + err_read + err_write + err_status + err_timeout))
	awk -v s="$scen" -v r="$round" -v n="$name" -v req="$requests" \
	    -v us="$duration_us" -v p50="$p50_us" -v p99="$p99_us" \
	    -v e="$errs" -v rss="$rss" -v du=$((cu1 - cu0)) -v ds=$((cs1 - cs0)) \
	    -v df=$((fu1 + fs1 - fu0 - fs0)) -v dk=$((ku1 + ks1 - ku0 - ks0)) \
	    -v hz="$CLK_TCK" -v other="$other" \
	    -v reg=$((r1 - r0)) 'BEGIN {
		rps = req / (us / 1e6)
		k = req ? 1e6 / hz / req : 0
		printf "%s\t%s\t%s\t%.1f\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%d\t%d\t%.1f\t%.1f\t%.1f\t%d\n",
		    s, r, n, rps, p50, p99, e, rss, (du + ds) * k, df * k,
		    reg, req, du * k, ds * k, dk * k, other
	    }' >>"$RESULTS"
	say "  $scen round $round $name: $(awk -F'\t' 'END { printf "%s req/s, p99 %.1f ms, %d errors, other load %d%%", $4, $6 / 1000, $7, $16 }' "$RESULTS")"
}

# rotate N WORD...: the words rotated left by N (interleaving across rounds).
rotate() {
	n=$1; shift
	set -- "$@"
	k=$((n % $#))
	i=0
	for w; do
		[ $i -ge $k ] && printf '%s ' "$w"
		i=$((i + 1))
	done
	i=0
	for w; do
		[ $i -lt $k ] && printf '%s ' "$w"
		i=$((i + 1))
	done
}

scenario_closed() {	# scenario_closed A|B API_URL CONNECTIONS NAME...
	scen=$1 url=$2 conns=$3
	shift 3
	names="$*"
	f0=$(fallbacks)
	for c in $names; do start_one "$c" "$url"; done
	for c in $names; do
		check_answer "$c" || die "scenario $scen: $c answers wrongly"
	done
	say "scenario $scen: answers checked ($names); $ROUNDS rounds of ${DURATION}s at $conns connections"
	r=1
	while [ $r -le "$ROUNDS" ]; do
		for c in $(rotate $((r - 1)) $names); do
			run_wrk "$scen" "$r" "$c" "$conns" || die "run failed"
		done
		r=$((r + 1))
	done
	# What the program logged besides forwarded calls.
	if [ -n "${PID_prog:-}" ]; then
		grep -o 'outcome=[^ ]*' "$T/prog.log" | sort | uniq -c |
		    awk -v s="$scen" '{ printf "%s\t%s\t%s\n", s, $2, $1 }' \
		    >>"$T/outcomes.tsv"
		# nginx's own answers for the program: not the program's.
		printf '%s\tthe front nginx'"'"'s fallback (error_page)\t%d\n' \
		    "$scen" $(($(fallbacks) - f0)) >>"$T/outcomes.tsv"
	fi
	for c in $names; do stop_one "$c"; done
}

# Scenario C: open-loop overload of the program behind the 200 ms fake,
# once per factor of C_FACTORS; $T/c-FACTOR.env holds the figures.
scenario_c() {
	for f in $C_FACTORS; do scenario_c_run "$f"; done
}
scenario_c_run() {	# scenario_c_run FACTOR
	start_one prog "http://127.0.0.1:$SLOW_PORT"
	check_answer prog || die "scenario C: prog answers wrongly"
	rate=$(($1 * THREADS * 1000 / SLOW_MS))
	say "scenario C$1: $rate calls/s for ${C_DURATION}s ($1 x $THREADS workers / ${SLOW_MS} ms), callers hang up after ${TWILIO_TIMEOUT}s"
	r0=$(regs)
	e0=$(grep -c 'connect() to unix' "$T/front/error.log")
	l0=$(wc -l <"$T/front/error.log")
	f0=$(fallbacks)
	: >"$T/prog.log"
	"$T/openloop" -p "$FRONT_PORT" -r "$rate" -d "$C_DURATION" \
	    -t "$TWILIO_TIMEOUT" -s "$C_SOURCES" -f "$T/raw-prog" \
	    >"$T/c.out" 2>&1
	# Let the program drain its queue: wait until the fake has seen no
	# registration for 3 s (at most 60 s).
	last=$(regs) still=0 i=0
	while [ $still -lt 6 ] && [ $i -lt 120 ]; do
		sleep 0.5
		now=$(regs)
		if [ "$now" = "$last" ]; then still=$((still + 1)); else
			still=0; last=$now; fi
		i=$((i + 1))
	done
	{
		cat "$T/c.out"
		echo "C_REGS=$(($(regs) - r0)) C_RATE=$rate"
		echo "C_LOGGED=$(grep -c 'outcome=' "$T/prog.log")"
		echo "C_502=$(($(grep -c 'connect() to unix' "$T/front/error.log") - e0))"
		echo "C_FRONT_FALLBACKS=$(($(fallbacks) - f0))"
		# The front's error lines of this run, by kind.
		printf "C_FRONT_ERRORS='%s'\n" "$(tail -n +$((l0 + 1)) \
		    "$T/front/error.log" | grep -e '\[error\]' -e '\[crit\]' \
		    -e '\[alert\]' | sed -e 's/^[^]]*\] [0-9#]*: \*[0-9]* //' \
		    -e 's/ while .*//' -e 's/, client: .*//' \
		    -e 's|unix:/[^ ]*|unix:SOCKET|' | sort | uniq -c | sort -rn |
		    awk '{ n = $1; $1 = ""; printf "%s%s×%s", sep, n, $0; sep = "; " }')"
		printf "C_OUTCOMES='%s'\n" "$(grep -o 'outcome=[^ ]*' "$T/prog.log" |
		    sed 's/outcome=//' | sort | uniq -c | sort -rn |
		    awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')"
	} >"$T/c-$1.env"
	stop_one prog
}

# Scenario L's delay: bench/delayer.c holds every packet to and from the
# fake's TLS port L_DELAY_MS (iptables queues them to it; should it die,
# --queue-bypass lets them through undelayed). The namespace and its rules
# go with the bench's last process.
l_delay() {
	"$T/delayer" -d "$L_DELAY_MS" -q 0 -r "$T/delayer.ready" \
	    2>>"$T/delayer.log" &
	DELAYER=$!
	PIDS="$PIDS $DELAYER"
	wait_for test -e "$T/delayer.ready" ||
	    die "the delayer did not start: $(cat "$T/delayer.log")"
	for dir in --dport --sport; do
		iptables -w -A OUTPUT -p tcp "$dir" "$TLS_PORT" -j NFQUEUE \
		    --queue-num 0 --queue-bypass ||
		    die "iptables cannot queue the fake's TLS port to the delayer"
	done
}
# l_calibrate: the delay as curl sees it (5 cold TLS requests to the fake,
# the median by total time; and the front, which must stay undelayed) in
# L_CALIB; stops the bench when a connect is not about 1 RTT.
l_calibrate() {
	rtt=$((2 * L_DELAY_MS))
	read -r tc ta tt < <(for i in 1 2 3 4 5; do
		curl -s -o /dev/null --cacert "$CA" \
		    -w '%{time_connect} %{time_appconnect} %{time_total}\n' \
		    "https://127.0.0.1:$TLS_PORT/_ready"
	done | sort -n -k3 | sed -n 3p)
	tf=$(curl -s -o /dev/null -w '%{time_total}' "$BASE/_ready")
	L_CALIB=$(awk -v c="$tc" -v a="$ta" -v t="$tt" -v f="$tf" -v r="$rtt" \
	    'BEGIN { printf "calibration (curl, cold, median of 5): TCP connect %.1f ms = %.2f RTT, TLS 1.3 handshake done at %.1f ms = %.2f RTT, the whole request %.1f ms = %.2f RTT (RTT %d ms); the front nginx, undelayed: %.1f ms", c * 1000, c * 1000 / r, a * 1000, a * 1000 / r, t * 1000, t * 1000 / r, r, f * 1000 }')
	say "scenario L: $L_CALIB"
	awk -v c="$tc" -v r="$rtt" -v f="$tf" 'BEGIN {
		exit !(c * 1000 > 0.75 * r && c * 1000 < 1.5 * r + 5 &&
		    f * 1000 < r / 4) }' ||
	    die "scenario L: the delay is not what it should be ($L_CALIB)"
}
# tls_seen FROM TO: what the fake's TLS log says of its lines FROM+1..TO:
# connections, new ones (their first request), of them full handshakes and
# resumed sessions, and the most common protocol, tab-separated.
tls_seen() {
	awk -v from="$1" -v to="$2" 'NR > from && NR <= to {
		conn[$1] = 1; proto[$6]++
		if ($2 == 1) { new++; if ($4 == "r") res++; else full++ }
	    }
	    END {
		n = 0; for (c in conn) n++
		best = "-"; m = 0
		for (p in proto) if (proto[p] > m) { m = proto[p]; best = p }
		printf "%d\t%d\t%d\t%d\t%s\n", n, new, full, res, best
	    }' "$REGLOG"
}
# l_first ROUND NAME and l_burst ROUND NAME, after quiet: one call (curl),
# or L_BURST at once (ab); a line of $T/l-quiet.tsv each: kind round name
# failed p50_ms p99_ms max_ms connections new full resumed protocol.
l_first() {
	n0=$(regs)
	got=$(curl -s -o /dev/null --max-time 10 \
	    -H "X-Twilio-Signature: $(cat "$T/sig-$2-1")" \
	    -H 'Content-Type: application/x-www-form-urlencoded' \
	    --data-binary "@$T/body-$2-1" -w '%{http_code} %{time_total}' \
	    "$BASE/$2/twilio/voice")
	sleep 0.2
	ms=$(awk -v t="${got#* }" 'BEGIN { printf "%.1f", t * 1000 }')
	printf 'first\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n' "$1" "$2" \
	    "$([ "${got%% *}" = 200 ]; echo $?)" "$ms" "$ms" "$ms" \
	    "$(tls_seen "$n0" "$(regs)")" >>"$T/l-quiet.tsv"
}
l_burst() {
	n0=$(regs)
	out=$T/burst-$1-$2.out
	timeout 60 ab -q -n "$L_BURST" -c "$L_BURST" -p "$T/body-$2-1" \
	    -T application/x-www-form-urlencoded \
	    -H "X-Twilio-Signature: $(cat "$T/sig-$2-1")" \
	    "$BASE/$2/twilio/voice" >"$out" 2>&1
	sleep 0.2
	awk '/^Complete requests/ { done = $3 } /^Failed requests/ { f = $3 }
	    /^Non-2xx responses/ { x = $3 }
	    /^ *50%/ { p50 = $2 } /^ *99%/ { p99 = $2 } /^ *100%/ { mx = $2 }
	    END { printf "%d\t%s\t%s\t%s\n", n - done + f + x,
		p50 == "" ? "nan" : p50, p99 == "" ? "nan" : p99,
		mx == "" ? "nan" : mx }' n="$L_BURST" "$out" |
	    while IFS=$(printf '\t') read -r bad p50 p99 mx; do
		printf 'burst\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" \
		    "$bad" "$p50" "$p99" "$mx" "$(tls_seen "$n0" "$(regs)")"
	    done >>"$T/l-quiet.tsv"
}
# Scenario L: over TLS with latency (the head of this file says what).
# Results: L32, L256... lines of results.tsv; $T/l-tls.tsv: scenario
# round name and tls_seen's figures for each timed run; $T/l-quiet.tsv.
scenario_l() {
	names=$CONTESTANTS_L
	l_delay
	l_calibrate
	for c in $names; do start_one "$c" "https://127.0.0.1:$TLS_PORT"; done
	for c in $names; do
		check_answer "$c" || die "scenario L: $c answers wrongly"
	done
	: >"$T/l-tls.tsv"
	: >"$T/l-quiet.tsv"
	for conns in $L_CONNS; do
		say "scenario L: $ROUNDS rounds of ${L_DURATION}s at $conns callers ($names)"
		r=1
		while [ $r -le "$ROUNDS" ]; do
			for c in $(rotate $((r - 1)) $names); do
				DURATION=$L_DURATION run_wrk "L$conns" "$r" "$c" \
				    "$conns" || die "run failed"
				printf 'L%s\t%s\t%s\t%s\n' "$conns" "$r" "$c" \
				    "$(tls_seen "$r0" "$r1")" >>"$T/l-tls.tsv"
			done
			r=$((r + 1))
		done
	done
	r=1
	while [ $r -le "$L_BURSTS" ]; do
		order=$(rotate $((r - 1)) $names)
		say "scenario L: ${L_QUIET}s quiet, one call to each; ${L_QUIET}s quiet, $L_BURST calls at once to each (round $r)"
		sleep "$L_QUIET"
		for c in $order; do l_first "$r" "$c"; done
		sleep "$L_QUIET"
		for c in $order; do l_burst "$r" "$c"; done
		r=$((r + 1))
	done
	for c in prog before; do
		[ -s "$T/$c.log" ] || continue
		grep -o 'outcome=[^ ]*' "$T/$c.log" | sort | uniq -c |
		    awk -v s="L $c" '{ printf "%s\t%s\t%s\n", s, $2, $1 }' \
		    >>"$T/outcomes.tsv"
	done
	for c in $names; do stop_one "$c"; done
}

# K: TCP connections the fake saw for K_REQUESTS calls, per contestant.
scenario_k() {
	: >"$T/k.tsv"
	for c in prog node python; do
		start_one "$c" "http://127.0.0.1:$FAKE_PORT"
		ab -q -k -n 2000 -c 32 -p "$T/body-$c-1" \
		    -T application/x-www-form-urlencoded \
		    -H "X-Twilio-Signature: $(cat "$T/sig-$c-1")" \
		    "$BASE/$c/twilio/voice" >/dev/null 2>&1
		n0=$(regs)
		timeout 300 ab -q -k -n "$K_REQUESTS" -c 32 -p "$T/body-$c-1" \
		    -T application/x-www-form-urlencoded \
		    -H "X-Twilio-Signature: $(cat "$T/sig-$c-1")" \
		    "$BASE/$c/twilio/voice" >"$T/k-$c.out" 2>&1
		sleep 0.2
		n1=$(regs)
		conns=$(tail -n +$((n0 + 1)) "$REGLOG" | awk '{ print $1 }' |
		    sort -u | wc -l)
		failed=$(awk '/^Failed requests/ { print $3 }' "$T/k-$c.out")
		non2xx=$(awk '/^Non-2xx responses/ { print $3 }' "$T/k-$c.out")
		printf '%s\t%d\t%d\t%s\t%s\n' "$c" $((n1 - n0)) "$conns" \
		    "${failed:-?}" "${non2xx:-0}" >>"$T/k.tsv"
		stop_one "$c"
	done
}

START=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$T/outcomes.tsv"
for s in $SCENARIOS; do
	case $s in
	A) scenario_closed A "http://127.0.0.1:$FAKE_PORT" "$CONN_A" \
	    $CONTESTANTS_A ;;
	B) scenario_closed B "http://127.0.0.1:$SLOW_PORT" "$CONN_B" \
	    $CONTESTANTS_B ;;
	C) scenario_c ;;
	K) scenario_k ;;
	L) scenario_l ;;
	*) die "unknown scenario $s" ;;
	esac
done
if [ -n "$L_APART" ]; then
	say "scenario L: a second run of this script, in a network namespace of its own"
	SCENARIOS=L OUTPUT= bash "$0" >"$T/l-report.md" ||
	    say "scenario L failed (its progress above)"
fi
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------
# The report.
peer_versions="peers not run"
if [ -n "$PEERS" ]; then
	node_v=$(node --version)
	express_v=$(node -p 'require("'"$NODE_DIR"'/node_modules/express/package.json").version')
	twilio_node_v=$(node -p 'require("'"$NODE_DIR"'/node_modules/twilio/package.json").version')
	pyvers=$("$PYTHON" -c '
import sys
from importlib.metadata import version
print("python %s, fastapi %s, uvicorn %s, httpx %s, twilio %s" % (
    sys.version.split()[0], version("fastapi"), version("uvicorn"),
    version("httpx"), version("twilio")))')
	peer_versions="node $node_v, express $express_v, twilio-node $twilio_node_v; $pyvers"
fi
cmd=
for v in ROUNDS DURATION WARMUP SCENARIOS PROG_THREADS C_DURATION C_FACTORS \
    C_SOURCES PROG_BACKLOG \
    CONN_A CONN_B FRONT_WORKERS UPSTREAM_KEEPALIVE WRK_THREADS BODIES \
    CONTESTANTS_A CONTESTANTS_B PROG_BEFORE CONTESTANTS_L L_CONNS L_DELAY_MS \
    L_DURATION L_QUIET L_BURST L_BURSTS L_KEEPALIVE; do
	if [ -n "${!v+set}" ] && printenv "$v" >/dev/null; then
		case ${!v} in
		*' '*) cmd="$cmd$v=\"${!v}\" " ;;
		*) cmd="$cmd$v=${!v} " ;;
		esac
	fi
done
cmd="${cmd}bash bench/run.sh"

REPORT=$T/report.md
{
	echo "Run: $START, \`$cmd\`"
	echo
	echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), Linux $(uname -r); load average $LOAD0 before, $LOAD1 after"
	echo "- $("$PROG" --version 2>&1 | head -n 1) ($THREADS FastCGI workers, spawn-fcgi, unix socket, shipped nginx params); $("$NGINX_BIN" -v 2>&1 | sed 's/.*: //'), front: $FRONT_WORKERS workers, upstream keepalive $UPSTREAM_KEEPALIVE; $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $WRK_THREADS threads"
	echo "- $peer_versions"
	somax=$(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo '?')
	echo "- the program's listen queue: spawn-fcgi -b $PROG_BACKLOG (net.core.somaxconn $somax$([ "$somax" != '?' ] && [ "$somax" -lt "$PROG_BACKLOG" ] && echo ": the kernel caps it at $somax")), the front's backlog 4096; scenario C's calls from $C_SOURCES source addresses (127.0.0.2 and up); the program's location falls back to the shipped @synthflow_fallback_direct (error_page 502 503 504)"
	echo "- each figure: median of $ROUNDS rounds of ${DURATION}s (after ${WARMUP}s of warm-up), contestants interleaved; errors (non-2xx answers and socket errors): all rounds; peak RSS: largest VmHWM sum of the contestant's processes (for nginx \`return\`: the whole front nginx); CPU: utime+stime of those processes per answered request, \"nginx µs/req\": the front nginx's for the same requests, \"fake µs/req\": the fake Synthflow's; ratios: req/s against the null responder and the Express snippet in the same round, median over rounds; Synthflow calls/req: registrations at the fake during the timed run per answer (above 1.00 by the calls in flight when wrk stops)"
	echo "- loopback only; wrk $WRK_THREADS threads, the contestants, both nginx and the fake share the $(nproc) cores; \"other processes' CPU\" (round by round) is the machine's busy time that none of them used: a run with more than a few % had company"
	echo
	"$PYTHON" - "$RESULTS" "$CONN_A" "$CONN_B" "$SLOW_MS" "$THREADS" <<'PY'
import statistics as st, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
conn_a, conn_b, slow_ms, threads = (int(x) for x in sys.argv[2:6])
label = {
    "prog": "synthflow-twiml (FastCGI, %d threads)" % threads,
    "before": "synthflow-twiml before (PROG_BEFORE, FastCGI, %d threads)" % threads,
    "dedup": "synthflow-twiml, dedup hits in the process (%d threads)" % threads,
    "redis": "synthflow-twiml, dedup hits in Redis, unix socket (%d threads)" % threads,
    "null": "null FastCGI responder (C, %d threads)" % threads,
    "return": "nginx `return 200`",
    "node": "Express snippet (1 node process)",
    "python": "FastAPI snippet (1 uvicorn process)",
}
def med(xs):
    return st.median(xs) if xs else float("nan")
got = {}
for scen in ("A", "B"):
    rs = [r for r in rows if r[0] == scen]
    if not rs:
        continue
    names = list(dict.fromkeys(r[2] for r in rs))
    rounds = sorted(set(r[1] for r in rs), key=int)
    by = {(r[1], r[2]): r for r in rs}
    if scen == "A":
        print("### Scenario A: zero-latency Synthflow, %d connections\n" % conn_a)
        print("| contestant | req/s | p50 ms | p99 ms | errors | peak RSS MB | CPU µs/req (user + sys) | nginx µs/req | fake µs/req | × null FastCGI | × Express | Synthflow calls/req |")
        print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    else:
        ideal = conn_b / (slow_ms / 1000)
        print("### Scenario B: %d ms Synthflow, %d connections (ideal %d req/s)\n" % (slow_ms, conn_b, ideal))
        print("| contestant | req/s | %% of ideal | p50 ms | p99 ms | p99 / %d ms | errors | peak RSS MB | CPU µs/req (user + sys) | nginx µs/req | fake µs/req | × Express | Synthflow calls/req |" % slow_ms)
        print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for n in names:
        mine = [by[(r, n)] for r in rounds if (r, n) in by]
        rps = med([float(x[3]) for x in mine])
        p50 = med([int(x[4]) for x in mine]) / 1000
        p99 = med([int(x[5]) for x in mine]) / 1000
        errs = sum(int(x[6]) for x in mine)
        rss = max(int(x[7]) for x in mine) / 1024
        cpu = med([float(x[8]) for x in mine])
        cpu_u = med([float(x[12]) for x in mine])
        cpu_s = med([float(x[13]) for x in mine])
        cpu_txt = "%.1f (%.0f + %.0f)" % (cpu, cpu_u, cpu_s)
        front = med([float(x[9]) for x in mine])
        fake = med([float(x[14]) for x in mine])
        calls = med([int(x[10]) / int(x[11]) if int(x[11]) else 0 for x in mine])
        def ratio(other):
            xs = [float(by[(r, n)][3]) / float(by[(r, other)][3])
                  for r in rounds if (r, n) in by and (r, other) in by
                  and float(by[(r, other)][3]) > 0]
            return "%.2f" % med(xs) if xs else "–"
        def cpu_ratio(other):
            xs = [float(by[(r, n)][8]) / float(by[(r, other)][8])
                  for r in rounds if (r, n) in by and (r, other) in by
                  and float(by[(r, other)][8]) > 0]
            return med(xs) if xs else None
        got[scen, n] = dict(rps=rps, p99=p99, rss=rss, cpu=cpu, errs=errs,
                            null=ratio("null"), node=ratio("node"),
                            cpu_null=cpu_ratio("null"),
                            cpu_before=cpu_ratio("before"))
        if scen == "A":
            print("| %s | %.0f | %.2f | %.2f | %d | %.1f | %s | %.1f | %.1f | %s | %s | %.2f |" % (
                label[n], rps, p50, p99, errs, rss, cpu_txt, front, fake,
                ratio("null"), ratio("node"), calls))
        else:
            print("| %s | %.0f | %.1f%% | %.1f | %.1f | %.2f | %d | %.1f | %s | %.1f | %.1f | %s | %.2f |" % (
                label[n], rps, 100 * rps / ideal, p50, p99, p99 / slow_ms,
                errs, rss, cpu_txt, front, fake, ratio("node"), calls))
    print()
    print("<details><summary>Scenario %s round by round: req/s (p99 ms) [other processes' CPU, %% of the machine]</summary>\n" % scen)
    print("| contestant | " + " | ".join("round %s" % r for r in rounds) + " |")
    print("|---|" + "--:|" * len(rounds))
    for n in names:
        cells = []
        for r in rounds:
            x = by.get((r, n))
            cells.append("%.0f (%.1f) [%s%%]" % (float(x[3]), int(x[5]) / 1000, x[15]) if x else "–")
        print("| %s | %s |" % (label[n], " | ".join(cells)))
    print("\n</details>\n")
def verdict(ok):
    return "met" if ok else "**missed**"
t = []
a = got.get(("A", "prog"))
if a:
    if a["node"] != "–":
        t.append("A: ≥ 6× the Express snippet: %s× — %s" % (a["node"], verdict(float(a["node"]) >= 6)))
    if a["null"] != "–":
        t.append("A: ≥ 0.5× the null FastCGI responder: %s× — %s" % (a["null"], verdict(float(a["null"]) >= 0.5)))
    t.append("A: CPU ≤ 40 µs per request: %.1f µs — %s" % (a["cpu"], verdict(a["cpu"] <= 40)))
    if a["cpu_null"] is not None:
        t.append("A: CPU per call ≤ 5× the null responder's (issue 17), median of the rounds' ratios: %.2f× — %s" % (a["cpu_null"], verdict(a["cpu_null"] <= 5)))
    if a["cpu_before"] is not None:
        t.append("A: CPU per call against PROG_BEFORE's, median of the rounds' ratios: %.2f×" % a["cpu_before"])
    t.append("A: peak RSS ≤ 8 MB at the default workers (%d): %.1f MB — %s" % (threads, a["rss"], verdict(a["rss"] <= 8)))
b = got.get(("B", "prog"))
if b:
    ideal = conn_b / (slow_ms / 1000)
    t.append("B: ≥ 97%% of ideal (%d req/s): %.1f%% — %s" % (ideal, 100 * b["rps"] / ideal, verdict(b["rps"] >= 0.97 * ideal)))
    t.append("B: p99 ≤ 1.15 × %d ms: %.0f ms — %s" % (slow_ms, b["p99"], verdict(b["p99"] <= 1.15 * slow_ms)))
    t.append("B: peak RSS at %d workers: %.1f MB (target ≤ 32 MB at 256 workers)" % (threads, b["rss"]))
if t:
    print("Targets of issue 4 for synthflow-twiml:\n")
    for x in t:
        print("- " + x)
    print()
PY
	if [ -s "$T/outcomes.tsv" ]; then
		printf 'Outcomes logged by the program (warm-up included): %s\n\n' \
		    "$(awk -F'\t' '{ printf "%s%s %s×%s", sep, $1 ":", $2, $3; sep = "; " }' "$T/outcomes.tsv")"
	fi
	for f in $C_FACTORS; do
		[ -s "$T/c-$f.env" ] || continue
		eval "$(cat "$T/c-$f.env")"
		echo "### Scenario C$f: overload, $SLOW_MS ms Synthflow, $C_RATE calls/s offered for ${C_DURATION}s ($f × $THREADS workers / $SLOW_MS ms), callers hang up after ${TWILIO_TIMEOUT}s"
		echo
		echo "| answer | count | p50 ms | p99 ms |"
		echo "|---|--:|--:|--:|"
		echo "| registered dial (X-EI=S.) | $registered | $registered_p50_ms | $registered_p99_ms |"
		echo "| direct dial (no registration) | $direct | $direct_p50_ms | $direct_p99_ms |"
		echo "| the front nginx's fallback (error_page, direct dial without X-EI) | $front | $front_p50_ms | $front_p99_ms |"
		echo "| fallback TwiML | $fallback | $fallback_p50_ms | $fallback_p99_ms |"
		echo "| 5xx | $status_5xx | $status_5xx_p50_ms | $status_5xx_p99_ms |"
		echo "| 4xx | $status_4xx | $status_4xx_p50_ms | $status_4xx_p99_ms |"
		echo "| caller hung up (${TWILIO_TIMEOUT} s) | $timeout | – | – |"
		echo "| socket error (connect: $error_connect, most often $connect_errno; reset or closed unanswered: $error_io) | $error | – | – |"
		echo
		bad=$((sent - registered - direct - front - fallback))
		own=$((sent - registered - direct - fallback))
		over=$((C_REGS - registered))
		v1=MISSED v2=MISSED v3=MISSED v4=MISSED v5=MISSED
		[ "$bad" -eq 0 ] && v1=met
		[ "$own" -eq 0 ] && v5=met
		[ "$say" -eq 0 ] && v2=met
		awk -v p="$direct_p99_ms" 'BEGIN { exit !(p < 50) }' && v3=met
		[ "$over" -le "$THREADS" ] && v4=met
		echo "$sent calls sent; Synthflow saw $C_REGS registrations; the program logged $C_LOGGED calls ($C_OUTCOMES); nginx logged $C_502 failed connects to the program's socket and answered $C_FRONT_FALLBACKS calls with its fallback; its error lines: ${C_FRONT_ERRORS:-none}; the run took ${seconds}s (openloop's open files limit $nofile)."
		echo
		echo "- every call answered 200 TwiML, no timeout (the front's fallback included): $bad others — $v1"
		echo "- every call answered 200 TwiML by the program itself: $own others ($front of them by the front's fallback) — $v5"
		echo "- no <Say> where the direct dial is due (SYNTHFLOW_FALLBACK_DIRECT on): $say — $v2"
		echo "- direct (shed) answers p99 < 50 ms: $direct_p99_ms ms — $v3"
		echo "- registrations ≤ registered-dial answers + workers: $C_REGS ≤ $registered + $THREADS — $v4"
		echo
	done
	[ -s "$T/l-tls.tsv" ] && "$PYTHON" - "$RESULTS" "$T/l-tls.tsv" \
	    "$T/l-quiet.tsv" "$L_DELAY_MS" "$THREADS" "$L_KEEPALIVE" \
	    "$L_QUIET" "$L_BURST" "$L_CALIB" <<'PY'
import statistics as st, sys
res, tls, quiet = sys.argv[1:4]
delay, threads, keep, quiet_s, burst = (int(x) for x in sys.argv[4:9])
calib = sys.argv[9]
rtt = 2 * delay
def rows_of(path, pred=lambda r: True):
    return [r for r in (l.rstrip("\n").split("\t") for l in open(path)
                        if l.strip()) if pred(r)]
res = rows_of(res, lambda r: r[0].startswith("L"))
tls = {(r[0], r[1], r[2]): r[3:] for r in rows_of(tls)}
quiet = rows_of(quiet)
label = {
    "prog": "synthflow-twiml (%d threads)" % threads,
    "before": "synthflow-twiml before (PROG_BEFORE, %d threads)" % threads,
    "node": "Express snippet (1 node process)",
    "python": "FastAPI snippet (1 uvicorn process)",
    "direct": "reference: the front nginx proxying to the fake",
}
def med(xs):
    return st.median(xs) if xs else float("nan")
def fmt(x, f="%.2f"):
    return "–" if x != x else f % x
print("### Scenario L: Synthflow over TLS 1.3 (HTTP/2 offered), %d ms each way (RTT %d ms), idle connections closed after %d s\n" % (delay, rtt, keep))
print("- " + calib)
print("- TLS columns: the connections the fake saw during the timed run, and the new ones among them (their first request in it) by handshake, full or resumed ($ssl_session_reused), all rounds; \"× ref\": the ratio to the reference in the same round, median over rounds; CPU: the contestant's processes per answered call, the TLS to the fake included (the reference's: the front nginx's, which is also its \"nginx\" column)\n")
got = {}
scens = sorted(set(r[0] for r in res), key=lambda x: int(x[1:]))
for scen in scens:
    rs = [r for r in res if r[0] == scen]
    names = list(dict.fromkeys(r[2] for r in rs))
    rounds = sorted(set(r[1] for r in rs), key=int)
    by = {(r[1], r[2]): r for r in rs}
    print("#### L: %s callers\n" % scen[1:])
    print("| contestant | req/s | × ref | p50 ms | × ref | p99 ms | × ref | errors | CPU µs/call (user + sys) | nginx µs/call | fake µs/call | TLS connections | new: full / resumed | protocol |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    for n in names:
        mine = [by[(r, n)] for r in rounds if (r, n) in by]
        def ratio(col):
            xs = [float(by[(r, n)][col]) / float(by[(r, "direct")][col])
                  for r in rounds if (r, n) in by and (r, "direct") in by
                  and float(by[(r, "direct")][col]) > 0]
            return med(xs)
        t = [tls.get((scen, r, n)) for r in rounds]
        t = [x for x in t if x]
        conns = med([int(x[0]) for x in t])
        full = sum(int(x[2]) for x in t)
        resumed = sum(int(x[3]) for x in t)
        proto = t[-1][4] if t else "-"
        g = dict(rps=med([float(x[3]) for x in mine]),
                 p50=med([int(x[4]) for x in mine]) / 1000,
                 p99=med([int(x[5]) for x in mine]) / 1000,
                 errs=sum(int(x[6]) for x in mine),
                 cpu=med([float(x[8]) for x in mine]),
                 cpu_u=med([float(x[12]) for x in mine]),
                 cpu_s=med([float(x[13]) for x in mine]),
                 front=med([float(x[9]) for x in mine]),
                 fake=med([float(x[14]) for x in mine]),
                 r_rps=ratio(3), r_p50=ratio(4), r_p99=ratio(5),
                 conns=conns, full=full, resumed=resumed, proto=proto)
        got[scen, n] = g
        print("| %s | %.0f | %s | %.1f | %s | %.1f | %s | %d | %.1f (%.0f + %.0f) | %.1f | %.1f | %s | %d / %d | %s |" % (
            label[n], g["rps"], fmt(g["r_rps"]), g["p50"], fmt(g["r_p50"]),
            g["p99"], fmt(g["r_p99"]), g["errs"], g["cpu"], g["cpu_u"],
            g["cpu_s"], g["front"], g["fake"], fmt(conns, "%.0f"), full,
            resumed, proto))
    print()
    print("<details><summary>L at %s callers round by round: req/s (p99 ms) {TLS connections, new full/resumed} [other processes' CPU, %% of the machine]</summary>\n" % scen[1:])
    print("| contestant | " + " | ".join("round %s" % r for r in rounds) + " |")
    print("|---|" + "--:|" * len(rounds))
    for n in names:
        cells = []
        for r in rounds:
            x, y = by.get((r, n)), tls.get((scen, r, n))
            cells.append("%.0f (%.1f) {%s, %s/%s} [%s%%]" % (
                float(x[3]), int(x[5]) / 1000, y[0], y[2], y[3], x[15])
                if x and y else "–")
        print("| %s | %s |" % (label[n], " | ".join(cells)))
    print("\n</details>\n")
print("#### L: after %d s of quiet: the first call, and %d calls at once\n" % (quiet_s, burst))
print("| contestant | first call ms | its handshake: full / resumed | burst p50 ms | p99 ms | max ms | p99 in RTT | burst: new connections full / resumed | failed |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
names = list(dict.fromkeys(q[2] for q in quiet))
bq = {}
for n in names:
    fs = [q for q in quiet if q[0] == "first" and q[2] == n]
    bs = [q for q in quiet if q[0] == "burst" and q[2] == n]
    def m(xs, i):
        return med([float(x[i]) for x in xs if x[i] != "nan"])
    b = dict(first=m(fs, 4), f_full=sum(int(x[9]) for x in fs),
             f_res=sum(int(x[10]) for x in fs), p50=m(bs, 4), p99=m(bs, 5),
             max=m(bs, 6), full=sum(int(x[9]) for x in bs),
             res=sum(int(x[10]) for x in bs),
             failed=sum(int(x[3]) for x in fs + bs))
    bq[n] = b
    print("| %s | %s | %d / %d | %s | %s | %s | %s | %d / %d | %d |" % (
        label[n], fmt(b["first"], "%.1f"), b["f_full"], b["f_res"],
        fmt(b["p50"], "%.0f"), fmt(b["p99"], "%.0f"), fmt(b["max"], "%.0f"),
        fmt(b["p99"] / rtt), b["full"], b["res"], b["failed"]))
print()
print("<details><summary>L after quiet, round by round: first call ms (full/resumed); burst p50/p99/max ms (full/resumed)</summary>\n")
rounds = sorted(set(q[1] for q in quiet), key=int)
print("| contestant | " + " | ".join("round %s" % r for r in rounds) + " |")
print("|---|" + "---|" * len(rounds))
for n in names:
    cells = []
    for r in rounds:
        f = [q for q in quiet if q[0] == "first" and q[1] == r and q[2] == n]
        b = [q for q in quiet if q[0] == "burst" and q[1] == r and q[2] == n]
        c = ""
        if f:
            c += "%s (%s/%s)" % (f[0][4], f[0][9], f[0][10])
        if b:
            c += "; %s/%s/%s (%s/%s)" % (b[0][4], b[0][5], b[0][6], b[0][9], b[0][10])
        cells.append(c or "–")
    print("| %s | %s |" % (label[n], " | ".join(cells)))
print("\n</details>\n")
def verdict(ok):
    return "met" if ok else "**missed**"
for who in ("before", "prog"):
    s32 = got.get(("L32", who))
    if not s32 or who not in bq:
        continue
    b = bq[who]
    t = []
    t.append("req/s at 32 callers ≥ 0.99 × the reference: %s — %s" % (fmt(s32["r_rps"]), verdict(s32["r_rps"] >= 0.99)))
    t.append("p99 at 32 callers ≤ 1.1 × the reference's: %s — %s" % (fmt(s32["r_p99"]), verdict(s32["r_p99"] <= 1.1)))
    for scen in scens:
        g = got.get((scen, who))
        if g:
            lim = min(int(scen[1:]), 4) if g["proto"].startswith("HTTP/2") else int(scen[1:])
            t.append("connections at %s callers ≤ %d (%s): %s — %s" % (scen[1:], lim, g["proto"], fmt(g["conns"], "%.0f"), verdict(g["conns"] <= lim)))
    hs = b["f_full"] + b["f_res"] + b["full"] + b["res"]
    rs = b["f_res"] + b["res"]
    t.append("handshakes after quiet resumed ≥ 90 %%: %d of %d — %s" % (rs, hs, verdict(hs > 0 and rs >= 0.9 * hs)))
    t.append("first call after quiet resumed: %d of %d — %s" % (b["f_res"], b["f_full"] + b["f_res"], verdict(b["f_full"] == 0 and b["f_res"] > 0)))
    t.append("burst p99 ≤ 4.5 RTT (%d ms; the fake answers at once): %s ms — %s" % (4.5 * rtt, fmt(b["p99"], "%.0f"), verdict(b["p99"] <= 4.5 * rtt)))
    if "node" in bq:
        t.append("burst p99 ≤ the Express snippet's (%s ms) — %s" % (fmt(bq["node"]["p99"], "%.0f"), verdict(b["p99"] <= bq["node"]["p99"])))
    if who == "prog" and ("L32", "before") in got:
        c0 = got["L32", "before"]["cpu"]
        t.append("CPU per call at 32 callers ≤ half of before's (%.1f µs): %.1f µs — %s" % (c0, s32["cpu"], verdict(s32["cpu"] <= c0 / 2)))
    print("Targets of issue 17 for %s:\n" % label[who])
    for x in t:
        print("- " + x)
    print()
PY
	if [ -s "$T/k.tsv" ]; then
		echo "### Keep-alive: TCP connections the fake Synthflow saw for $K_REQUESTS calls (ab -k, 32 concurrent)"
		echo
		echo "| contestant | registrations | TCP connections | failed | non-2xx |"
		echo "|---|--:|--:|--:|--:|"
		awk -F'\t' -v t="$THREADS" '{
			l = "FastAPI snippet"
			if ($1 == "prog") l = "synthflow-twiml (" t " threads)"
			if ($1 == "node") l = "Express snippet"
			printf "| %s | %s | %s | %s | %s |\n", l, $2, $3, $4, $5
		}' "$T/k.tsv"
		echo
	fi
} >"$REPORT"
errs=$(grep -v -e 'signal process started' "$T/front/error.log" "$T/fake/error.log" 2>/dev/null | grep -c -e '\[error\]' -e '\[crit\]' -e '\[alert\]')
[ "$errs" -gt 0 ] && printf 'nginx error log lines ([error] and worse, front and fake): %s; first: `%s`\n\n' \
    "$errs" "$(grep -h -m1 -e '\[error\]' -e '\[crit\]' -e '\[alert\]' "$T/front/error.log" "$T/fake/error.log" | head -n 1 | cut -c1-200)" >>"$REPORT"
[ -s "$T/l-report.md" ] && cat "$T/l-report.md" >>"$REPORT"
cat "$REPORT"
[ -n "$OUTPUT" ] && cp "$REPORT" "$OUTPUT"
exit 0
