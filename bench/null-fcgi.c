/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The null FastCGI responder of bench/run.sh: the upper limit for any
 * FastCGI program behind the same nginx. It is threaded like synthflow-twiml
 * (N workers blocking in FCGX_Accept_r on the shared socket, each with its
 * own FCGX_Request, so kept-alive connections behave the same), reads and
 * discards the request body as any responder must, and answers a fixed
 * TwiML. No signature check, no Synthflow call, no log line.
 *
 *	cc -O2 -o null-fcgi null-fcgi.c -lfcgi -lpthread
 *	spawn-fcgi -n -s /tmp/null.sock -- ./null-fcgi [threads] [twiml-file]
 *
 * fd 0 is the listening socket (spawn-fcgi); threads default to 32; the
 * answer body is read from twiml-file when given. SIGTERM or SIGINT: exit
 * at once (libfcgi's own handler would only stop at the next accept).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

static char	*body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Response><Dial><Sip>sip:+15557650000@sip.synthflow.ai:32681"
    "?X-EI=S.sf-0b6c1a2e-7d4f-4c1b-9a7e-5f3d2c1b0a98;</Sip></Dial>"
    "</Response>\n";
static size_t	 bodylen;

static void *
worker(void *arg)
{
	FCGX_Request	 r;
	char		 buf[8192];

	(void)arg;
	if (FCGX_InitRequest(&r, 0, 0) != 0)
		return NULL;
	while (FCGX_Accept_r(&r) == 0) {
		while (FCGX_GetStr(buf, sizeof(buf), r.in) > 0)
			;
		FCGX_FPrintF(r.out, "Status: 200 OK\r\n"
		    "Content-Type: text/xml; charset=utf-8\r\n"
		    "Content-Length: %d\r\n\r\n", (int)bodylen);
		FCGX_PutStr(body, (int)bodylen, r.out);
		FCGX_Finish_r(&r);
	}
	return NULL;
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (s = malloc((size_t)n + 1)) == NULL ||
	    fread(s, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	s[n] = '\0';
	fclose(f);
	return s;
}

int
main(int argc, char *argv[])
{
	pthread_attr_t	 attr;
	pthread_t	 t;
	sigset_t	 set;
	int		 i, sig, n = argc > 1 ? atoi(argv[1]) : 32;

	if (n < 1 || n > 4096) {
		fprintf(stderr, "usage: null-fcgi [threads] [twiml-file]\n");
		return 1;
	}
	if (argc > 2)
		body = slurp(argv[2]);
	bodylen = strlen(body);
	if (FCGX_Init() != 0)
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* workers inherit it */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (i = 0; i < n; i++)
		if (pthread_create(&t, &attr, worker, NULL) != 0)
			return 1;
	while (sigwait(&set, &sig) != 0)
		;
	return 0;
}
