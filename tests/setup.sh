# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# Shared prologue of the shell tests: TAP output, a private temp dir that is
# removed on exit, and starters for the fake Synthflow, the program and
# nginx, all on loopback. Source it: . "$top_srcdir/tests/setup.sh"

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PYTHON3:=python3}" "${NGINX:=nginx}" "${SPAWN_FCGI:=spawn-fcgi}"
# nginx reads NGINX from its environment (inherited sockets): keep it out.
NGINX_BIN=$NGINX
unset NGINX
: "${CGI_FCGI:=cgi-fcgi}" "${CURL:=curl}" "${MANDOC:=mandoc}" "${AWK:=awk}"
. "$top_srcdir/tests/nginx-conf.sh"

PROG=$top_builddir/synthflow-twiml
FAKE=$top_srcdir/tests/fake-synthflow.py
# Secrets of the tests: searched for in every log and body at the end.
API_KEY=sk-test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
AUTH_TOKEN=tok-test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')

T=$(mktemp -d "${TMPDIR:-/tmp}/synthflow-twiml-test.XXXXXX") || exit 99
chmod 0755 "$T"		# nginx workers run as nobody
PIDS=

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	if [ "${KEEP_TMP:-}" = "" ]; then rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# TAP
tap_n=0
tap_failed=0
ok() {	# ok CONDITION-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s\n' "$tap_n" "$2"
	else
		printf 'not ok %d - %s\n' "$tap_n" "$2"
		tap_failed=$((tap_failed + 1))
	fi
}
check() {	# check DESCRIPTION COMMAND...
	desc=$1; shift
	"$@" >/dev/null 2>&1
	ok $? "$desc"
}
is() {		# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		printf '# got:  %s\n# want: %s\n' "$1" "$2" | head -20
	fi
}
like() {	# like GOT GREP-PATTERN DESCRIPTION
	if printf '%s' "$1" | grep -q -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"
		printf '# got: %s\n# want match: %s\n' "$1" "$2" | head -20
	fi
}
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}
need() {	# need TOOL...: skip the whole test when a tool is missing
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
	done
}

# check_error_log KIND FILE DESCRIPTION [ALLOWED-ERE...]: one assertion on a
# web server's error log, KIND nginx or apache, judged by level. A line
# fails when it is at error level or worse (nginx [error] [crit] [alert]
# [emerg], Apache :error] :crit] :alert] :emerg]), or when the program or
# its configuration caused it whatever its level: the program's own line
# at warn or error (judged by the program's level, also when mod_cgi wraps
# it in an [cgi:error] AH01215 "stderr from" line), the words of a broken
# answer (nginx: upstream prematurely closed, upstream sent, upstream timed
# out, FastCGI sent in stderr, connect() failed, no live upstreams; Apache:
# premature end of script headers, end of script output before headers,
# malformed header, broken pipe), an nginx [warn] about the upstream, and
# an Apache [warn], for they come from our configuration or the modules
# running the program, except the start-up notices about the build or the
# host that no configuration of ours can change: AH01882 (mod_ssl built
# against another OpenSSL) and AH00558 (no fully qualified host name).
# Every other line (nginx's [info] chatter about clients, [notice], those
# notices) is printed as a TAP comment, one per kind with its count, and
# does not fail. A line matching an ALLOWED-ERE, something the test did on
# purpose, neither fails nor is printed, only counted. The test's secrets
# are masked in what is printed.
check_error_log() {
	kind=$1 file=$2 desc=$3
	shift 3
	allowed=
	for a; do allowed="${allowed:+$allowed|}($a)"; done
	if [ ! -r "$file" ]; then
		ok 1 "$desc"
		echo "# $file: no such log"
		return
	fi
	# Through the environment: awk -v would eat the backslashes.
	CHECK_ALLOWED=$allowed "$AWK" -v kind="$kind" -v name="${file##*/}" \
	    -v k1="$API_KEY" -v k2="$AUTH_TOKEN" '
	function mask(s, k,	i) {	# the secrets never reach the output
		while (k != "" && (i = index(s, k)) > 0)
			s = substr(s, 1, i - 1) "<secret>" substr(s, i + length(k))
		return s
	}
	function key(s) {	# the line without its time, pid and client
		if (kind == "nginx") {
			sub(/^[0-9\/]+ [0-9:]+ /, "", s)
			sub(/ [0-9]+#[0-9]+: (\*[0-9]+ )?/, " ", s)
		} else {
			sub(/^\[[^]]*\] /, "", s)
			gsub(/ \[(pid|client) [^]]*\]/, "", s)
		}
		sub(/, client: .*/, "", s)
		return s
	}
	function judge(s,	lc, lvl, m) {
		lc = tolower(s)
		if (match(s, /synthflow-twiml\[[0-9]+\]: [a-z]+:/)) {
			m = substr(s, RSTART, RLENGTH)
			sub(/^[^ ]* /, "", m)
			return m == "error:" || m == "warn:"
		}
		if (kind == "nginx") {
			if (lc ~ nginx_broken)
				return 1
			if (!match(s, /^[0-9\/]+ [0-9:]+ \[[a-z]+\]/))
				return 0
			lvl = substr(s, RSTART, RLENGTH)
			sub(/.*\[/, "", lvl)
			sub(/\]/, "", lvl)
			if (lvl ~ /^(error|crit|alert|emerg)$/)
				return 1
			return lvl == "warn" && lc ~ /upstream|fastcgi/
		}
		if (lc ~ apache_broken)
			return 1
		if (s ~ /:(error|crit|alert|emerg)\]/)
			return 1
		return s ~ /:warn\]/ && s !~ / AH0(1882|0558): /
	}
	BEGIN {
		allowed = ENVIRON["CHECK_ALLOWED"]
		nginx_broken = "upstream (prematurely closed|sent|timed out)|" \
		    "fastcgi sent in stderr|connect\\(\\) (to [^ ]+ )?failed|" \
		    "no live upstreams"
		apache_broken = "premature end of script headers|" \
		    "end of script output before headers|malformed header|" \
		    "broken pipe"
	}
	allowed != "" && $0 ~ allowed { nallowed++; next }
	judge($0) { bad[++nbad] = mask(mask($0, k1), k2); next }
	{
		k = mask(mask(key($0), k1), k2)
		if (!(k in seen))
			order[++nkinds] = k
		seen[k]++
	}
	END {
		for (i = 1; i <= nbad && i <= 20; i++)
			printf "# %s: not ok: %s\n", name, bad[i]
		if (nbad > 20)
			printf "# %s: and %d more\n", name, nbad - 20
		for (i = 1; i <= nkinds && i <= 30; i++)
			printf "# %s: %dx %s\n", name, seen[order[i]], order[i]
		if (nkinds > 30)
			printf "# %s: and %d more kinds of line\n", name, nkinds - 30
		if (nallowed > 0)
			printf "# %s: %d lines allowed by the test\n", name, nallowed
		exit (nbad > 0)
	}' "$file"
	ok $? "$desc"
}

# What the sanitizers report: check_sanitizers looks for it in the logs.
SANITIZER_ERE='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:'
# In a sanitizer build, the program's logs hold no sanitizer report, and a
# canary's reports (tests/sanitizer-canary, one per kind, run as the tests
# run the program) match what is looked for, so that a report would be
# seen. SANITIZERS comes from configure; either way the program's runtime
# must agree with it.
check_sanitizers() {
	built=no
	grep -q __asan_init "$PROG" 2>/dev/null && built=yes
	case ${SANITIZERS:-} in
	yes|no)
		is "$built" "$SANITIZERS" \
		    "the program has the sanitizer runtime if and only if configured so"
		;;
	*)
		echo "# SANITIZERS not set (not make check): the binary says $built"
		;;
	esac
	if [ "$built" != yes ]; then
		echo "# not a sanitizer build"
		return
	fi
	mkdir -p "$T/canary"
	for c in address:AddressSanitizer leak:LeakSanitizer \
	    'undefined:runtime error'; do
		# The subshell, not the test, says "Aborted" (to /dev/null).
		(ulimit -c 0; "$top_builddir/tests/sanitizer-canary" \
		    "${c%%:*}" >/dev/null 2>"$T/canary/${c%%:*}"; true) \
		    2>/dev/null
		grep -E "$SANITIZER_ERE" "$T/canary/${c%%:*}" | grep -q "${c#*:}"
		ok $? "a sanitizer report (${c#*:}) would be seen"
	done
	reports=$(grep -l -E "$SANITIZER_ERE" "$T"/*.log 2>/dev/null || true)
	is "$reports" "" "no sanitizer report in the program's logs"
}
done_testing() {
	[ -n "$secrets_checked" ] || check_no_secrets
	check_sanitizers
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

free_port() {
	"$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for FILE-OR-SOCKET: up to 10 s
wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -e "$1" ]
}

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# The fake Synthflow API, plain HTTP on 127.0.0.1.
start_fake() {
	"$PYTHON3" "$FAKE" --port 0 --port-file "$T/fake.port" \
	    --log "$T/fake.log" "$@" >"$T/fake.out" 2>>"$T/fake.err" &
	PIDS="$PIDS $!"
	wait_for "$T/fake.port" || { echo "Bail out! fake did not start"; exit 99; }
	FAKE_PORT=$(cat "$T/fake.port")
	FAKE_URL=http://127.0.0.1:$FAKE_PORT
}
fake_mode() {
	"$CURL" -sf -X PUT "$FAKE_URL/_mode/$1" >/dev/null ||
	    echo "# could not set fake mode $1"
}
fake_count() {
	"$CURL" -sf "$FAKE_URL/_stats" |
	    "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["requests"])'
}
fake_reset() {
	"$CURL" -sf -X DELETE "$FAKE_URL/_requests" >/dev/null
	fake_mode ok
}

# The environment of the program under test.
prog_env() {
	export SYNTHFLOW_API_KEY="$API_KEY" SYNTHFLOW_MODEL_ID=model-test-1
	export TWILIO_AUTH_TOKEN="$AUTH_TOKEN" SYNTHFLOW_API_URL="$FAKE_URL"
	export SYNTHFLOW_TIMEOUT_MS=${SYNTHFLOW_TIMEOUT_MS:-2000}
	export SYNTHFLOW_CONNECT_TIMEOUT_MS=1000
	# The core answers (Dial and Sip alone) unless a test asks for the
	# resilience features or transfers; tests/resilience.test and
	# transfer.test check their defaults.
	export SYNTHFLOW_DIAL_ACTION=${SYNTHFLOW_DIAL_ACTION:-off}
	export SYNTHFLOW_FALLBACK_DIRECT=${SYNTHFLOW_FALLBACK_DIRECT:-off}
	export SYNTHFLOW_DEDUP_SECONDS=${SYNTHFLOW_DEDUP_SECONDS:-0}
	export SYNTHFLOW_TRANSFER=${SYNTHFLOW_TRANSFER:-off}
	unset SYNTHFLOW_CONFIG
}

# The program as FastCGI on a unix socket, spawned as spawn-fcgi does it.
start_prog_fcgi() {
	prog_env
	"$SPAWN_FCGI" -n -s "$T/app.sock" -M 0666 -- "$PROG" "$@" \
	    2>>"$T/prog.log" &
	PROG_PID=$!
	PIDS="$PIDS $PROG_PID"
	wait_for "$T/app.sock" || { echo "Bail out! program did not start"; exit 99; }
}

# nginx with the shipped params file; extra location blocks in $1.
start_nginx() {
	NGINX_PORT=$(free_port)
	mkdir -p "$T/nginx"
	nginx_conf_head "$T/nginx" "$T/nginx.pid" "$T/nginx-error.log" \
	    >"$T/nginx.conf" || exit 99
	cat >>"$T/nginx.conf" <<NGINX
	access_log $T/nginx-access.log;
	upstream app {
		server unix:$T/app.sock;
		keepalive 8;
	}
	server {
		listen 127.0.0.1:$NGINX_PORT;
		server_name localhost;
		location = /_ready { return 204; }
		location = /twilio/voice {
			include $top_srcdir/nginx/synthflow-twiml-fastcgi.conf;
			fastcgi_pass app;
		}
		${1:-}
	}
}
NGINX
	"$NGINX_BIN" -p "$T/nginx" -c "$T/nginx.conf" -e "$T/nginx-error.log" &
	PIDS="$PIDS $!"
	wait_for "$T/nginx.pid" || { echo "Bail out! nginx did not start"; exit 99; }
	BASE=http://127.0.0.1:$NGINX_PORT
	i=0
	until "$CURL" -sf -o /dev/null "$BASE/_ready" || [ $i -gt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
}

# sign URL NAME=VALUE...: what Twilio would send in X-Twilio-Signature.
sign() {
	TWILIO_AUTH_TOKEN="$AUTH_TOKEN" "$PROG" --sign "$@"
}

# call PATH NAME=VALUE...: a signed POST through nginx. Writes the body to
# $T/body, the headers to $T/headers, the status to $STATUS, the time
# taken to $ELAPSED_MS.
call() {
	path=$1; shift
	sig=$(sign "$BASE$path" "$@")
	n=$#
	for a; do set -- "$@" --data-urlencode "$a"; done
	shift "$n"
	t0=$(now_ms)
	STATUS=$("$CURL" -s -o "$T/body" -D "$T/headers" -w '%{http_code}' \
	    --max-time 20 -H "X-Twilio-Signature: $sig" "$@" "$BASE$path")
	ELAPSED_MS=$(( $(now_ms) - t0 ))
	BODY=$(cat "$T/body")
}

# bgcall NAME [PATH [CALLSID]]: a signed call from $FROM to $TO in the
# background, to PATH (/twilio/voice) as CALLSID (CA<NAME>), its pid added
# to $JOBS: the status goes to $T/NAME.status, the body to $T/NAME.body,
# the time taken to $T/NAME.ms.
bgcall() {
	(
		path=${2:-/twilio/voice} sid=${3:-CA$1}
		sig=$(sign "$BASE$path" "CallSid=$sid" "From=$FROM" "To=$TO")
		t0=$(now_ms)
		"$CURL" -s -o "$T/$1.body" -w '%{http_code}' --max-time 20 \
		    -H "X-Twilio-Signature: $sig" --data-urlencode "CallSid=$sid" \
		    --data-urlencode "From=$FROM" --data-urlencode "To=$TO" \
		    "$BASE$path" >"$T/$1.status"
		echo $(( $(now_ms) - t0 )) >"$T/$1.ms"
	) &
	JOBS="$JOBS $!"
}

# The secrets must appear in no log and no body the test produced.
secrets_checked=
check_no_secrets() {
	secrets_checked=1
	leaks=$(grep -rl -e "$API_KEY" -e "$AUTH_TOKEN" "$T" 2>/dev/null |
	    grep -v -e '/fake\.log$' -e 'fake-requests' || true)
	is "$leaks" "" "no secret in any log or body"
}
