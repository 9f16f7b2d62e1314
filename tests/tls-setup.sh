# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# TLS material for the tests, sourced after setup.sh: a throwaway CA and a
# server certificate for 127.0.0.1 (IP SAN only), made with the openssl
# command into a directory of $T, and a second fake Synthflow that speaks
# TLS with it. Nothing here is used outside the test's temp dir.

# tls_certs DIR [SAN]: DIR/ca.pem, DIR/server.pem, DIR/server.key, and
# DIR/cx.pem, another CA that signed nothing (its path as long as
# ca.pem's); the server's subjectAltName is SAN, IP:127.0.0.1 unless
# given (bench/run.sh adds a name). Returns non-zero when openssl fails.
tls_certs() {
	mkdir -p "$1" || return 1
	cat >"$1/server.ext" <<EXT
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${2:-IP:127.0.0.1}
EXT
	(
		cd "$1" &&
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		    -nodes -keyout ca.key -out ca.pem -days 2 \
		    -subj "/CN=synthflow-twiml test CA" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign" &&
		openssl req -new -newkey ec \
		    -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		    -keyout server.key -out server.csr -subj "/CN=127.0.0.1" &&
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		    -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
		    -days 2 -extfile server.ext -out server.pem &&
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		    -nodes -keyout cx.key -out cx.pem -days 2 \
		    -subj "/CN=synthflow-twiml other test CA" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign"
	) >"$1/openssl.log" 2>&1
}

# start_tls_fake DIR: the fake Synthflow with DIR's certificate; sets
# TLS_FAKE_PORT and TLS_FAKE_URL (https://127.0.0.1:PORT).
start_tls_fake() {
	"$PYTHON3" "$FAKE" --port 0 --port-file "$T/fake-tls.port" \
	    --log "$T/fake-requests-tls.log" --tls-cert "$1/server.pem" \
	    --tls-key "$1/server.key" >"$T/fake-tls.out" 2>>"$T/fake-tls.err" &
	PIDS="$PIDS $!"
	wait_for "$T/fake-tls.port" ||
	    { echo "Bail out! TLS fake did not start"; exit 99; }
	TLS_FAKE_PORT=$(cat "$T/fake-tls.port")
	TLS_FAKE_URL=https://127.0.0.1:$TLS_FAKE_PORT
	TLS_CA=$1/ca.pem
}

# tls_fake CURL-ARGS...: talk to the TLS fake's control endpoints.
tls_fake() {
	path=$1; shift
	"$CURL" -sf --cacert "$TLS_CA" "$@" "$TLS_FAKE_URL$path"
}
