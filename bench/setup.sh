#!/bin/sh
# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# Prepare a fresh Debian 12 machine (run as root) for the benchmark:
# .ci/setup installs the build and test dependencies and builds the
# program; then the packages only bench/run.sh and bench/callgrind.sh need
# (see "Needs" in bench/run.sh), and the Express peer's npm packages, the
# exact tree of bench/peers/node/package-lock.json (npm ci). Node.js 18 or
# later with npm must already be on the PATH: it is not installed here.
# Running it again changes nothing that is already in place.
#
# Usage: bash bench/setup.sh && make bench
set -eu
cd "$(dirname "$0")/.."

say() { echo "bench/setup.sh: $*" >&2; }

# First what cannot be installed here, before the long part.
for t in node npm; do
	command -v "$t" >/dev/null 2>&1 || {
		say "$t is not on the PATH: install Node.js 18 or later" \
		    "with npm first (the Express peer runs on it); stopping"
		exit 1
	}
done
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || {
	say "node $(node --version) is too old: the Express peer needs 18" \
	    "or later (global fetch); stopping"
	exit 1
}

bash .ci/setup

# Everything run.sh and callgrind.sh call, whether or not .ci/setup
# already brought it; only the missing ones are installed.
packages="build-essential nginx-light libnginx-mod-http-echo wrk \
apache2-utils spawn-fcgi libfcgi-dev curl procps valgrind python3 \
python3-fastapi python3-uvicorn python3-httpx python3-multipart \
python3-twilio iptables iproute2 openssl libnetfilter-queue-dev"
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends $missing
fi

# The Express peer: npm ci, unless node_modules already holds exactly the
# tree of package-lock.json (npm ci would delete and download it again).
cd bench/peers/node
if node -e '
	const fs = require("fs");
	const want = JSON.parse(fs.readFileSync("package-lock.json")).packages;
	const have = JSON.parse(
	    fs.readFileSync("node_modules/.package-lock.json")).packages;
	for (const k of Object.keys(want))
		if (k !== "" && (!have[k] || have[k].version !== want[k].version))
			process.exit(1);
	' 2>/dev/null; then
	say "bench/peers/node/node_modules matches package-lock.json"
else
	say "npm ci in bench/peers/node (express, twilio and their" \
	    "dependencies, as in package-lock.json)"
	npm ci --no-audit --no-fund --update-notifier=false --loglevel=error
fi
say "done: make bench (about 20 minutes, scenario L 7 of them), make bench-callgrind"
