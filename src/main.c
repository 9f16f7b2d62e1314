/*
 * synthflow-twiml: the Twilio voice webhook that hands calls to a
 * Synthflow agent. main() makes fds 0-2 safe, reads the options and the
 * settings, and picks the mode: CGI, FastCGI on an inherited socket, or
 * FastCGI on a socket of its own (--listen).
 */
#include "config.h"

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
	    "[name=value ...]\n"
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

	fprintf(stderr, "synthflow-twiml: %s: %s: %s\n", level, name, msg);
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
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 1 || n > 1024) {
		fprintf(stderr, "synthflow-twiml: --threads: not a number "
		    "from 1 to 1024: %s\n", s);
		exit(1);
	}
	return n;
}

/* Print the signature Twilio would send for url and the given params. */
static int
sign(const struct settings *s, const char *url, int argc, char **argv)
{
	struct form	 post;
	const char	*tokens = s->str[S_AUTH_TOKEN];
	char		 sig[TWILIO_SIGLEN + 1];
	char		*eq;
	int		 i, rc = 1;

	if (tokens == NULL) {
		fprintf(stderr, "synthflow-twiml: --sign: TWILIO_AUTH_TOKEN "
		    "is not set\n");
		return 1;
	}
	form_init(&post);
	post.pairs = calloc((size_t)argc + 1, sizeof(*post.pairs));
	if (post.pairs == NULL)
		goto done;
	for (i = 0; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL) {
			fprintf(stderr, "synthflow-twiml: --sign: expected "
			    "name=value: %s\n", argv[i]);
			goto done;
		}
		*eq = '\0';
		post.pairs[post.n].name = argv[i];
		post.pairs[post.n++].value = eq + 1;
	}
	if (twilio_sign(tokens, strcspn(tokens, ","), url,
	    argc > 0 ? &post : NULL, sig) == 0 && printf("%s\n", sig) > 0 &&
	    fflush(stdout) == 0)
		rc = 0;
	else
		fprintf(stderr, "synthflow-twiml: --sign: %s\n",
		    strerror(errno));
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
		log_error("out of memory");
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
	if (listen_addr != NULL && (fd = server_listen(listen_addr)) == -1)
		return 1;
	rc = server_run(fd, (int)threads, config);
	/* Workers idle on kept-alive connections are not waited for. */
	fflush(stderr);
	_exit(rc);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
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
	long		 threads = 0;
	int		 ch, do_check = 0, online = 0, errors, rc;

	safe_fds();
	signal(SIGPIPE, SIG_IGN);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
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
	if ((argc > 0 && sign_url == NULL) || (online && !do_check)) {
		usage(stderr);
		return 1;
	}

	if (sign_url != NULL) {
		/* Signing needs the tokens only, not the routing table. */
		if (settings_load(&s, config, 0, report_signing, NULL) > 0)
			rc = 1;
		else
			rc = sign(&s, sign_url, argc, argv);
		settings_free(&s);
		return rc;
	}
	memset(&fe, 0, sizeof(fe));
	if ((l = live_load(config, do_check, report, &fe, &errors)) == NULL) {
		fprintf(stderr, "synthflow-twiml: out of memory\n");
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
