# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# The head that every private nginx.conf of the tests and the benchmarks
# shares: nginx in the foreground with its pid file, error log and every
# temporary directory in a private prefix, so that no run touches the
# system's /var/lib/nginx or another run's files (nginx-tests'
# Test::Nginx does the same). Each caller writes only what is its own: the
# rest of the http block (logs, upstreams, servers) and its closing brace.
# Source it from sh or bash: . "$top_srcdir/tests/nginx-conf.sh"

# nginx_conf_head DIR PID ERROR-LOG [NAME=VALUE...]: print the main context,
# the events block and the opening of the http block with the temporary
# paths in DIR. NAME=VALUE: level= the error log's level (info),
# workers= worker_processes (1), connections= worker_connections (1024),
# main= one more main-context directive, first (load_module, say; repeatable).
nginx_conf_head() {
	ngc_dir=$1 ngc_pid=$2 ngc_log=$3
	shift 3 || return 1
	ngc_level=info ngc_workers=1 ngc_connections=1024
	for ngc_arg in "$@"; do
		case $ngc_arg in
		level=*) ngc_level=${ngc_arg#level=} ;;
		workers=*) ngc_workers=${ngc_arg#workers=} ;;
		connections=*) ngc_connections=${ngc_arg#connections=} ;;
		main=*) printf '%s;\n' "${ngc_arg#main=}" ;;
		*) echo "nginx_conf_head: unknown $ngc_arg" >&2; return 1 ;;
		esac
	done
	cat <<NGINX
daemon off;
master_process on;
worker_processes $ngc_workers;
pid $ngc_pid;
error_log $ngc_log $ngc_level;
events { worker_connections $ngc_connections; }
http {
	client_body_temp_path $ngc_dir/body;
	fastcgi_temp_path $ngc_dir/fastcgi;
	proxy_temp_path $ngc_dir/proxy;
	uwsgi_temp_path $ngc_dir/uwsgi;
	scgi_temp_path $ngc_dir/scgi;
NGINX
}
