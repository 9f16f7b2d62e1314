/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * synthflow-twiml: the Twilio voice webhook that hands calls to a
 * Synthflow agent. main() makes fds 0-2 safe, reads the options and the
 * settings, and picks the mode: CGI, FastCGI on an inherited socket, or
 * FastCGI on a socket of its own (--listen).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "checkconf.h"
#include "form.h"
#include "http.h"
#include "live.h"
#include "log.h"
#include "request.h"
#include "server.h"
#include "server_listen.h"
#include "settings.h"
#include "twilio.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: synthflow-twiml [--config file] [--threads n]\n"
	    "       synthflow-twiml [--config file] [--threads n] "
	    "--listen unix:path | host:port\n"
	    "       synthflow-twiml [--config file] --check [--online]\n"
	    "       synthflow-twiml [--config file] --sign url "
	    "[--algorithm sha1 | sha256] [name=value ...]\n"
	    "       synthflow-twiml --help | --version\n");
}

/* fds 0-2 must be open, or a socket or file could land on them. */
static void
safe_fds(void)
{
	int	 fd;

	while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

/* The first setting that did not load, one used before the check first. */
struct first_error {
	char	 name[256];
	int	 early;
};

/*
 * A config file that cannot be read may hold the auth token: it counts as
 * a setting used before the signature check.
 */
static int
early_error(const char *name)
{
	return settings_early(name) || strcmp(name, "config file") == 0;
}

static void
report(const char *level, const char *name, const char *msg, void *arg)
{
	struct first_error	*fe = arg;

	warnx("%s: %s: %s", level, name, msg);
	if (fe == NULL || strcmp(level, "error") != 0 ||
	    (fe->name[0] != '\0' && (fe->early || !early_error(name))))
		return;
	snprintf(fe->name, sizeof(fe->name), "%s", name);
	fe->early = early_error(name);
}

/* --sign uses the tokens, not the API key or the agent it would warn of. */
static void
report_signing(const char *level, const char *name, const char *msg,
    void *arg)
{
	if (strcmp(level, "error") == 0 ||
	    (strcmp(name, settings_name(S_API_KEY)) != 0 &&
	    strcmp(name, settings_name(S_MODEL_ID)) != 0))
		report(level, name, msg, arg);
}

static long
parse_threads(const char *s)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 1 || n > 1024)
		errx(1, "--threads: not a number from 1 to 1024: %s", s);
	return n;
}

/*
 * Print the signature Twilio would send for url and the given params:
 * HMAC-SHA1 with the first auth token, or with --algorithm sha256
 * HMAC-SHA256 with the first shared key.
 */
static int
sign(const struct settings *s, const char *algorithm, const char *url,
    int argc, char **argv)
{
	struct form	 post;
	enum twilio_alg	 alg = TWILIO_HMAC_SHA1;
	const char	*tokens = s->str[S_AUTH_TOKEN];
	char		 sig[TWILIO_SIGLEN_MAX + 1];
	char		*eq;
	int		 i, rc = 1;

	if (algorithm != NULL && strcmp(algorithm, "sha256") == 0) {
		alg = TWILIO_HMAC_SHA256;
		if ((tokens = s->str[S_SHARED_KEY]) == NULL) {
			warnx("--sign: TWILIO_SHARED_KEY is not set");
			return 1;
		}
	} else if (algorithm != NULL && strcmp(algorithm, "sha1") != 0) {
		warnx("--algorithm: sha1 or sha256, not %s", algorithm);
		return 1;
	}
	if (tokens == NULL) {
		warnx("--sign: TWILIO_AUTH_TOKEN is not set");
		return 1;
	}
	form_init(&post);
	post.pairs = calloc((size_t)argc + 1, sizeof(*post.pairs));
	if (post.pairs == NULL) {
		warnx("--sign: out of memory");
		goto done;
	}
	for (i = 0; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL) {
			warnx("--sign: expected name=value: %s", argv[i]);
			goto done;
		}
		*eq = '\0';
		post.pairs[post.n].name = argv[i];
		post.pairs[post.n++].value = eq + 1;
	}
	/* twilio_sign_alg sets no errno: these are the ways it fails. */
	if (twilio_sign_alg(alg, tokens, strcspn(tokens, ","), url,
	    argc > 0 ? &post : NULL, sig) == -1)
		warnx("--sign: cannot compute the signature: URL and "
		    "parameters too long, out of memory, or no such HMAC");
	else if (printf("%s\n", sig) < 0 || fflush(stdout) != 0)
		warn("--sign: standard output");
	else
		rc = 0;
done:
	free(post.pairs);	/* the strings are argv's */
	return rc;
}

static int
serve_cgi(const struct live *l)
{
	struct webhook	*w;
	struct request	 r;

	/* One request per process: nothing to deduplicate against. */
	if ((w = webhook_new(NULL, NULL)) == NULL) {
		log_error("cannot create the webhook state (memory or a "
		    "libcurl handle)");
		return 1;
	}
	request_init_cgi(&r);
	webhook_handle(w, &r, l);
	webhook_free(w);
	return r.failed ? 1 : 0;
}

/*
 * Serve requests in the mode the command line and fd 0 call for. Settings
 * that did not load (errors) stop FastCGI here; in CGI they are the
 * request's, answered by serve_cgi as a per-request value would be.
 */
static int
serve(const struct live *l, int errors, const char *config,
    const char *listen_addr, long threads)
{
	const struct settings	*s = &l->settings;
	char			 errbuf[512];
	int			 fd, rc;

	if (threads == 0)
		threads = s->num[S_THREADS];
	log_init(s->num[S_LOG], s->num[S_LOG_LEVEL]);
	if (http_global_init() == -1) {
		log_error("libcurl initialisation failed");
		return 1;
	}
	if (listen_addr == NULL && (fd = server_inherited_socket()) == -1)
		return serve_cgi(l);
	if (errors > 0)
		return 1;
	if (listen_addr != NULL && (fd = server_listen(listen_addr, errbuf,
	    sizeof(errbuf))) == -1) {
		log_error("%s", errbuf);
		return 1;
	}
	rc = server_run(fd, (int)threads, config);
	/* Workers idle on kept-alive connections are not waited for. */
	fflush(stderr);
	_exit(rc);
}

int
main(int argc, char *argv[])
{
	static char	 progname[] = PACKAGE_NAME;
	static const struct option longopts[] = {
		{ "algorithm",	required_argument,	NULL, 'a' },
		{ "check",	no_argument,		NULL, 'c' },
		{ "online",	no_argument,		NULL, 'o' },
		{ "config",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "listen",	required_argument,	NULL, 'l' },
		{ "sign",	required_argument,	NULL, 's' },
		{ "threads",	required_argument,	NULL, 't' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	struct first_error fe;
	struct settings	 s;
	struct live	*l;
	const char	*config = NULL, *listen_addr = NULL, *sign_url = NULL;
	const char	*algorithm = NULL;
	long		 threads = 0;
	int		 ch, do_check = 0, online = 0, errors, rc;

	/*
	 * CGI copies and links of the program go by other names: err(3)
	 * says the package's, as the log lines do.
	 */
	program_invocation_short_name = progname;
	safe_fds();
	/*
	 * err(3) writes its prefix, message and newline apart: line-buffered,
	 * a message is one write(2), one line in a web server's error log.
	 */
	setvbuf(stderr, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': algorithm = optarg; break;
		case 'c': do_check = 1; break;
		case 'f': config = optarg; break;
		case 'h': usage(stdout); return fflush(stdout) == 0 ? 0 : 1;
		case 'l': listen_addr = optarg; break;
		case 'o': online = 1; break;
		case 's': sign_url = optarg; break;
		case 't': threads = parse_threads(optarg); break;
		case 'V':
			puts(PACKAGE_NAME " " PACKAGE_VERSION "\n"
			    "Report bugs to <" PACKAGE_BUGREPORT ">.");
			return fflush(stdout) == 0 ? 0 : 1;
		default: usage(stderr); return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if ((argc > 0 && sign_url == NULL) || (online && !do_check) ||
	    (algorithm != NULL && sign_url == NULL)) {
		usage(stderr);
		return 1;
	}

	if (sign_url != NULL) {
		/* Signing needs the tokens only, not the routing table. */
		if (settings_load(&s, config, 0, report_signing, NULL) > 0)
			rc = 1;
		else
			rc = sign(&s, algorithm, sign_url, argc, argv);
		settings_free(&s);
		return rc;
	}
	memset(&fe, 0, sizeof(fe));
	if ((l = live_load(config, do_check, report, &fe, &errors)) == NULL) {
		warnx("out of memory");
		return 1;
	}
	if (errors > 0) {
		l->bad = fe.name;
		l->bad_early = fe.early;
	}
	live_install(l);
	if (do_check)
		rc = checkconf_run(&l->settings, l->routes, errors, online);
	else if (errors > 0 && listen_addr != NULL)
		rc = 1;
	else
		rc = serve(l, errors, config, listen_addr, threads);
	live_install(NULL);
	return rc;
}
