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
: "${CGI_FCGI:=cgi-fcgi}" "${CURL:=curl}" "${MANDOC:=mandoc}"

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
# Sanitizer reports land in the logs of the programs under test.
check_sanitizers() {
	reports=$(grep -l -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
	    -e 'runtime error:' "$T"/*.log 2>/dev/null || true)
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
	# The core answers (SPEC 2.4) unless a test asks for the resilience
	# features or transfers; tests/resilience.test and transfer.test
	# check their defaults.
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
	cat >"$T/nginx.conf" <<NGINX
daemon off;
master_process on;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/nginx-error.log info;
events { worker_connections 1024; }
http {
	access_log $T/nginx-access.log;
	client_body_temp_path $T/nginx/body;
	fastcgi_temp_path $T/nginx/fastcgi;
	proxy_temp_path $T/nginx/proxy;
	uwsgi_temp_path $T/nginx/uwsgi;
	scgi_temp_path $T/nginx/scgi;
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

# The secrets must appear in no log and no body the test produced.
secrets_checked=
check_no_secrets() {
	secrets_checked=1
	leaks=$(grep -rl -e "$API_KEY" -e "$AUTH_TOKEN" "$T" 2>/dev/null |
	    grep -v -e '/fake\.log$' -e 'fake-requests' || true)
	is "$leaks" "" "no secret in any log or body"
}
