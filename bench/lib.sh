# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# Helpers the benchmark scripts share (bench/run.sh, bench/callgrind.sh):
# a free loopback port, waiting for a service, stopping a process. PIDS is
# the caller's list of processes to stop on exit; PYTHON its python3.
# Source it from bash: . "$top_srcdir/bench/lib.sh"

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	"${PYTHON:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for TEST...: up to WAIT_SECONDS (10) for a command to succeed.
wait_for() {
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt $((${WAIT_SECONDS:-10} * 20)) ] && return 1
		sleep 0.05
	done
}

# stop PID: SIGTERM, then SIGKILL after 10 s; PID leaves PIDS.
stop() {
	kill "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
	return 0
}
