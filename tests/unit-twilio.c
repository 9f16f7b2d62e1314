/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of twilio.c: Twilio's documented signature vector, the
 * signed string (order, duplicates, GET) against an HMAC computed here over
 * a string written by hand, verification with several tokens and port
 * variants, the HMAC-SHA256 of shared keys against vectors computed with
 * Python, and the rebuild of the public URL.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "form.h"
#include "tap.h"
#include "twilio.h"

#define DOC_TOKEN	"12345"
#define DOC_URL		"https://mycompany.com/myapp.php?foo=1&bar=2"
#define DOC_POST	"CallSid=CA1234567890ABCDE&Caller=%2B14158675309" \
			"&Digits=1234&From=%2B14158675309&To=%2B18005551212"
#define DOC_SIG		"RSOYDt4T1cUTdK1PDd93/VVr8B8="
/*
 * HMAC-SHA256 of the documented example's string, computed apart with
 * Python: base64.b64encode(hmac.new(key, url + "CallSid" "CA12..." ...,
 * hashlib.sha256).digest()); KS_PORT_SIG over the URL with ":443".
 */
#define KS_ONE		"ks-secret-one"
#define KS_ONE_SIG	"XJPhSN7eOUIMZrEFDB0A2m4ws7m6KpxzS+y8fuXW/Ug="
#define KS_TWO		"ks-secret-two"
#define KS_TWO_SIG	"AK2fWCkF2pucq1jZVBPvySFLRsbgd3QkHxFXeTmE3/8="
#define KS_TOKEN_SIG	"033hgUJA9M/hXIZsYjwkerEP/DBm35nEri5FhCYjA5s="
#define KS_PORT_SIG	"nqdL2om//ElZqCUNg9421+StRp1pHSWcR+29faWf7Y4="
#define KS_GET_SIG	"9mPTL/y5UOZgcU4FlpqtMT2MINyDI5ZatsXTbwGohNg="
#define KS_SETTINGS	"key=KS0123456789abcdef,algorithm=HMAC_SHA256"

/* base64(HMAC-SHA1(token, data)), computed here, not by twilio.c. */
static const char *
hmac(const char *token, const char *data)
{
	static char	 out[64];
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0;

	if (HMAC(EVP_sha1(), token, (int)strlen(token),
	    (const unsigned char *)data, strlen(data), mac, &len) == NULL)
		return "(HMAC failed)";
	EVP_EncodeBlock((unsigned char *)out, mac, (int)len);
	return out;
}

static void
form(struct form *f, const char *s)
{
	const char	*err;

	form_init(f);
	if (form_parse(f, s, strlen(s), &err) == -1)
		diag("test data does not parse: %s: %s", s, err);
}

/* twilio_sign(token, url, post) must be hmac(token, want_data). */
static void
signs(const char *url, const char *post, const char *want_data,
    const char *desc)
{
	struct form	 f;
	char		 sig[TWILIO_SIGLEN + 1];
	char		 want[64];

	snprintf(want, sizeof(want), "%s", hmac("tok", want_data));
	memset(sig, 0, sizeof(sig));
	form(&f, post != NULL ? post : "");
	is_int(twilio_sign("tok", 3, url, post != NULL ? &f : NULL, sig), 0,
	    "%s: signs", desc);
	is_str(sig, want, "%s: signature over the hand-made string", desc);
	is_int(twilio_verify("tok", url, post != NULL ? &f : NULL, want), 0,
	    "%s: verifies", desc);
	form_free(&f);
}

static void
test_sign(void)
{
	struct form	 f;
	char		 sig[TWILIO_SIGLEN + 1];

	form(&f, DOC_POST);
	memset(sig, 'Z', sizeof(sig));
	is_int(twilio_sign(DOC_TOKEN, 5, DOC_URL, &f, sig), 0,
	    "twilio_sign returns 0");
	is_str(sig, DOC_SIG, "Twilio's documented example");
	form_free(&f);

	form(&f, "To=%2B18005551212&Digits=1234&Caller=%2B14158675309"
	    "&From=%2B14158675309&CallSid=CA1234567890ABCDE");
	twilio_sign(DOC_TOKEN, 5, DOC_URL, &f, sig);
	is_str(sig, DOC_SIG, "documented example, parameters in another order");
	twilio_sign(DOC_TOKEN "xyz", 5, DOC_URL, &f, sig);
	is_str(sig, DOC_SIG, "only tokenlen bytes of the token are used");
	form_free(&f);

	is_str(hmac(DOC_TOKEN, DOC_URL "CallSid" "CA1234567890ABCDE"
	    "Caller" "+14158675309" "Digits" "1234" "From" "+14158675309"
	    "To" "+18005551212"), DOC_SIG,
	    "the test's own HMAC agrees with Twilio's example");

	signs("https://example.com/voice", NULL, "https://example.com/voice",
	    "GET: the URL only");
	signs("https://example.com/voice?a=1&b=2", NULL,
	    "https://example.com/voice?a=1&b=2", "GET: query string as sent");
	signs("https://example.com/voice", "",
	    "https://example.com/voice", "POST without parameters");
	signs("https://example.com/v", "Caller=x&CallSid=y",
	    "https://example.com/v" "CallSid" "y" "Caller" "x",
	    "byte order: CallSid before Caller");
	signs("https://example.com/v", "a=2&B=1",
	    "https://example.com/v" "B1" "a2", "byte order: upper case first");
	signs("https://example.com/v", "AB=2&A=1",
	    "https://example.com/v" "A1" "AB2", "a name before its extension");
	signs("https://example.com/v", "a=1&a=1&a=2",
	    "https://example.com/v" "a1" "a2",
	    "an exact duplicate counts once");
	signs("https://example.com/v", "a=2&a=10&a=1",
	    "https://example.com/v" "a1" "a10" "a2",
	    "repeated names sorted by value");
	signs("https://example.com/v", "b=1&a=2&b=1&a=1",
	    "https://example.com/v" "a1" "a2" "b1",
	    "duplicates among several names");
	signs("https://example.com/v", "a=&b=2",
	    "https://example.com/v" "a" "b2", "empty value");
	signs("https://example.com/v", "Msg=Hello+World%21&n=%C3%A9",
	    "https://example.com/v" "MsgHello World!" "n\xc3\xa9",
	    "decoded values are signed");
}

static void
verifies(int want, const char *tokens, const char *url, const char *post,
    const char *signature, const char *desc)
{
	struct form	 f;

	form(&f, post != NULL ? post : "");
	is_int(twilio_verify(tokens, url, post != NULL ? &f : NULL,
	    signature), want, "%s", desc);
	form_free(&f);
}

static void
test_verify(void)
{
	char	 sig[64], data[256];

	verifies(0, DOC_TOKEN, DOC_URL, DOC_POST, DOC_SIG,
	    "documented example verifies");
	verifies(-1, "54321", DOC_URL, DOC_POST, DOC_SIG, "wrong token");
	verifies(-1, "1234", DOC_URL, DOC_POST, DOC_SIG, "token prefix");
	verifies(-1, DOC_TOKEN, DOC_URL, "CallSid=CA1234567890ABCDE"
	    "&Caller=%2B14158675309&Digits=1235&From=%2B14158675309"
	    "&To=%2B18005551212", DOC_SIG, "tampered value");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST "&Extra=1", DOC_SIG,
	    "added parameter");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST "&Extra=", DOC_SIG,
	    "added empty parameter");
	verifies(-1, DOC_TOKEN, DOC_URL, "CallSid=CA1234567890ABCDE"
	    "&Caller=%2B14158675309&Digits=1234&From=%2B14158675309",
	    DOC_SIG, "removed parameter");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST "&Digits=1234&Digits=9",
	    DOC_SIG, "a repeated name with another value");
	verifies(0, DOC_TOKEN, DOC_URL, DOC_POST "&Digits=1234", DOC_SIG,
	    "an exact duplicate does not change the signature");
	verifies(-1, DOC_TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3",
	    DOC_POST, DOC_SIG, "tampered query string");
	verifies(-1, DOC_TOKEN, "https://mycompany.com/myapp.php?bar=2&foo=1",
	    DOC_POST, DOC_SIG, "query string reordered");
	verifies(-1, DOC_TOKEN, "http://mycompany.com/myapp.php?foo=1&bar=2",
	    DOC_POST, DOC_SIG, "other scheme");
	verifies(-1, DOC_TOKEN, DOC_URL, NULL, DOC_SIG,
	    "POST signature checked as GET");

	verifies(0, "bad," DOC_TOKEN, DOC_URL, DOC_POST, DOC_SIG,
	    "second of two tokens");
	verifies(0, DOC_TOKEN ",bad", DOC_URL, DOC_POST, DOC_SIG,
	    "first of two tokens");
	verifies(0, " " DOC_TOKEN " , x", DOC_URL, DOC_POST, DOC_SIG,
	    "tokens with spaces around");
	verifies(0, "\t" DOC_TOKEN "\t", DOC_URL, DOC_POST, DOC_SIG,
	    "token with tabs around");
	verifies(0, ",," DOC_TOKEN ",", DOC_URL, DOC_POST, DOC_SIG,
	    "empty tokens skipped");
	verifies(-1, "bad, worse", DOC_URL, DOC_POST, DOC_SIG,
	    "no token matches");
	verifies(-1, "", DOC_URL, DOC_POST, DOC_SIG, "no token at all");
	verifies(-1, " , ,", DOC_URL, DOC_POST, DOC_SIG, "only empty tokens");
	verifies(-1, NULL, DOC_URL, DOC_POST, DOC_SIG, "NULL tokens");

	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST, NULL, "no signature");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST, "", "empty signature");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST, DOC_SIG "A",
	    "signature one byte too long");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST, DOC_SIG "\n",
	    "signature with a newline after it");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST,
	    "RSOYDt4T1cUTdK1PDd93/VVr8B8",
	    "signature one byte short");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST,
	    "RSOYDt4T1cUTdK1PDd93/VVr8B9=",
	    "one character changed");
	verifies(-1, DOC_TOKEN, DOC_URL, DOC_POST,
	    "rsoydt4t1cutdk1pdd93/vvr8b8=",
	    "case changed");

	/* GET: the signature is over the URL alone. */
	snprintf(sig, sizeof(sig), "%s", hmac("tok",
	    "https://example.com/voice?CallSid=CA1&To=%2B1555"));
	verifies(0, "tok", "https://example.com/voice?CallSid=CA1&To=%2B1555",
	    NULL, sig, "GET verifies over the URL");
	verifies(-1, "tok", "https://example.com/voice?CallSid=CA1&To=%2B1556",
	    NULL, sig, "GET with a tampered query");
	verifies(-1, "tok", "https://example.com/voice?CallSid=CA1&To=%2B1555",
	    "CallSid=CA1", sig, "GET signature with a POST parameter added");

	/* Byte order, checked through twilio_verify too. */
	snprintf(data, sizeof(data), "%s", "https://e.com/v" "CallSid" "CA1"
	    "Caller" "+1555");
	snprintf(sig, sizeof(sig), "%s", hmac("tok", data));
	verifies(0, "tok", "https://e.com/v", "Caller=%2B1555&CallSid=CA1", sig,
	    "verify sorts CallSid before Caller");
	snprintf(sig, sizeof(sig), "%s", hmac("tok", "https://e.com/v" "Caller"
	    "+1555" "CallSid" "CA1"));
	verifies(-1, "tok", "https://e.com/v", "Caller=%2B1555&CallSid=CA1",
	    sig,
	    "a case-insensitive order is refused");
	snprintf(sig, sizeof(sig), "%s", hmac("tok", "https://e.com/v" "CallSid"
	    "CA1" "CallSid" "CA1" "Caller" "+1555"));
	verifies(-1, "tok", "https://e.com/v",
	    "Caller=%2B1555&CallSid=CA1&CallSid=CA1", sig,
	    "a duplicate counted twice is refused");
}

/* A signature over signed_url must verify (want 0) against url or not. */
static void
port(int want, const char *signed_url, const char *url, const char *desc)
{
	char	 sig[64], data[512];

	snprintf(data, sizeof(data), "%s" "CallSid" "CA1" "To" "+1555",
	    signed_url);
	snprintf(sig, sizeof(sig), "%s", hmac("tok", data));
	verifies(want, "tok", url, "To=%2B1555&CallSid=CA1", sig, desc);
}

static void
test_ports(void)
{
	port(0, "https://mycompany.com:443/myapp.php?foo=1",
	    "https://mycompany.com/myapp.php?foo=1",
	    "https signed with :443, request without port");
	port(0, "https://mycompany.com/myapp.php?foo=1",
	    "https://mycompany.com:443/myapp.php?foo=1",
	    "https signed without port, request with :443");
	port(0, "http://mycompany.com:80/myapp.php",
	    "http://mycompany.com/myapp.php",
	    "http signed with :80, request without port");
	port(0, "http://mycompany.com/myapp.php",
	    "http://mycompany.com:80/myapp.php",
	    "http signed without port, request with :80");
	port(0, "https://mycompany.com/myapp.php",
	    "https://mycompany.com:8443/myapp.php",
	    "signed without port, request with :8443");
	port(0, "https://mycompany.com:8443/myapp.php",
	    "https://mycompany.com:8443/myapp.php",
	    "signed with :8443, request with :8443");
	port(0, "https://mycompany.com:443",
	    "https://mycompany.com",
	    "signed with :443, request without port or path");
	port(0, "https://mycompany.com:443?a=1",
	    "https://mycompany.com?a=1",
	    "signed with :443, request with a query and no path");
	port(0, "https://[2001:db8::1]:443/v", "https://[2001:db8::1]/v",
	    "IPv6 literal signed with :443");
	port(0, "https://[2001:db8::1]/v", "https://[2001:db8::1]:8443/v",
	    "IPv6 literal signed without port, request with :8443");
	port(0, "https://e.com:443/v?t=12:30", "https://e.com/v?t=12:30",
	    "':' in the query is not a port");
	port(0, "https://e.com/v?t=12:30", "https://e.com:443/v?t=12:30",
	    "':' in the query, request with :443");
	/* What Twilio's helper libraries also refuse. */
	port(-1, "https://mycompany.com:8443/myapp.php",
	    "https://mycompany.com/myapp.php",
	    "signed with :8443 does not verify without the port");
	port(-1, "https://mycompany.com:8443/myapp.php",
	    "https://mycompany.com:9443/myapp.php",
	    "signed with :8443 does not verify on :9443");
	port(-1, "https://mycompany.com:80/myapp.php",
	    "https://mycompany.com/myapp.php",
	    "https signed with :80 is not the default port");
	port(-1, "http://mycompany.com:443/myapp.php",
	    "http://mycompany.com/myapp.php",
	    "http signed with :443 is not the default port");
	port(-1, "https://mycompany.com:443/other",
	    "https://mycompany.com/myapp.php",
	    "a port variant does not change the path");
	port(-1, "https://other.com:443/myapp.php",
	    "https://mycompany.com/myapp.php",
	    "a port variant does not change the host");
}

/* twilio_url of u must be want (NULL: must fail). */
static void
url(const struct twilio_url_parts *u, const char *want, const char *desc)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b, 16 * 1024);
	buf_addstr(&b, "stale contents");
	rc = twilio_url(&b, u);
	if (want == NULL)
		is_int(rc, -1, "%s: fails", desc);
	else {
		is_int(rc, 0, "%s: returns 0", desc);
		is_str(buf_str(&b), want, "%s", desc);
	}
	buf_free(&b);
}

static void
test_url(void)
{
	struct twilio_url_parts	 u;

	memset(&u, 0, sizeof(u));
	u.https = "on";
	u.host = "mycompany.com";
	u.request_uri = "/myapp.php?foo=1&bar=2";
	url(&u, "https://mycompany.com/myapp.php?foo=1&bar=2",
	    "HTTPS=on, HTTP_HOST and REQUEST_URI");
	u.https = NULL;
	url(&u, "http://mycompany.com/myapp.php?foo=1&bar=2", "without HTTPS");
	u.https = "off";
	url(&u, "http://mycompany.com/myapp.php?foo=1&bar=2", "HTTPS=off");
	u.https = "on";
	u.host = "mycompany.com:8443";
	url(&u, "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
	    "the Host header's port is kept");
	u.host = "mycompany.com:443";
	url(&u, "https://mycompany.com:443/myapp.php?foo=1&bar=2",
	    "the Host header is taken as sent");
	u.host = "mycompany.com";
	u.request_uri = "/a%20b/c?x=%2B1&y=a+b&z";
	url(&u, "https://mycompany.com/a%20b/c?x=%2B1&y=a+b&z",
	    "REQUEST_URI exactly as received");
	u.server_name = "internal.local";
	u.server_port = "8080";
	u.request_uri = "/v";
	url(&u, "https://mycompany.com/v", "HTTP_HOST wins over SERVER_NAME");

	memset(&u, 0, sizeof(u));
	u.https = "on";
	u.server_name = "example.com";
	u.server_port = "443";
	u.request_uri = "/voice";
	url(&u, "https://example.com/voice", "SERVER_NAME, default port 443");
	u.server_port = "8443";
	url(&u, "https://example.com:8443/voice", "SERVER_NAME, port 8443");
	u.server_port = "80";
	url(&u, "https://example.com:80/voice", "https on port 80 keeps it");
	u.server_port = NULL;
	url(&u, "https://example.com/voice", "SERVER_NAME without a port");
	u.https = NULL;
	u.server_port = "80";
	url(&u, "http://example.com/voice", "http, default port 80");
	u.server_port = "443";
	url(&u, "http://example.com:443/voice", "http on port 443 keeps it");
	u.host = "";
	url(&u, "http://example.com:443/voice", "an empty Host is no Host");
	u.server_name = NULL;
	u.host = NULL;
	url(&u, NULL, "neither Host nor SERVER_NAME");

	memset(&u, 0, sizeof(u));
	u.https = "on";
	u.host = "example.com";
	u.script_name = "/cgi-bin/hook.cgi";
	u.path_info = "/voice";
	u.query_string = "a=1&b=2";
	url(&u, "https://example.com/cgi-bin/hook.cgi/voice?a=1&b=2",
	    "SCRIPT_NAME + PATH_INFO + QUERY_STRING");
	u.query_string = "";
	url(&u, "https://example.com/cgi-bin/hook.cgi/voice",
	    "empty QUERY_STRING adds no '?'");
	u.path_info = NULL;
	u.query_string = "a=1";
	url(&u, "https://example.com/cgi-bin/hook.cgi?a=1",
	    "SCRIPT_NAME + QUERY_STRING");
	u.request_uri = "/real?x=1";
	url(&u, "https://example.com/real?x=1",
	    "REQUEST_URI wins over SCRIPT_NAME");

	memset(&u, 0, sizeof(u));
	u.https = NULL;
	u.host = "127.0.0.1:9000";
	u.request_uri = "/internal/path?From=%2B1&x=1";
	u.query_string = "From=%2B1&x=1";
	u.webhook_url = "https://example.com/twilio/voice";
	url(&u, "https://example.com/twilio/voice?From=%2B1&x=1",
	    "TWILIO_WEBHOOK_URL with the request's query string");
	u.request_uri = "/internal/path";
	u.query_string = NULL;
	url(&u, "https://example.com/twilio/voice",
	    "TWILIO_WEBHOOK_URL, request without a query string");
	u.request_uri = "/internal/path?";
	url(&u, "https://example.com/twilio/voice?",
	    "TWILIO_WEBHOOK_URL, a bare '?' kept as sent");
	u.request_uri = NULL;
	u.query_string = "a=1";
	url(&u, "https://example.com/twilio/voice?a=1",
	    "TWILIO_WEBHOOK_URL with QUERY_STRING when no REQUEST_URI");
	u.query_string = "";
	url(&u, "https://example.com/twilio/voice",
	    "TWILIO_WEBHOOK_URL, empty QUERY_STRING");
}

/* twilio_check(tokens, keys, settings) on the documented POST. */
static void
checks(int want, const char *tokens, const char *keys, const char *settings,
    const char *url, const char *signature, const char *desc)
{
	struct form	 f;

	form(&f, DOC_POST);
	is_int(twilio_check(tokens, keys, settings, url, &f, signature), want,
	    "%s", desc);
	form_free(&f);
}

static void
test_shared_key(void)
{
	struct form	 f;
	enum twilio_alg	 alg = TWILIO_HMAC_SHA1;
	char		 sig[TWILIO_SIGLEN_MAX + 1];

	form(&f, DOC_POST);
	is_int(twilio_sign_alg(TWILIO_HMAC_SHA256, KS_ONE, strlen(KS_ONE),
	    DOC_URL, &f, sig), 0, "HMAC-SHA256: signs");
	is_str(sig, KS_ONE_SIG, "HMAC-SHA256: Python's vector");
	twilio_sign_alg(TWILIO_HMAC_SHA256, DOC_TOKEN, 5, DOC_URL, &f, sig);
	is_str(sig, KS_TOKEN_SIG, "HMAC-SHA256 with the example's token");
	twilio_sign_alg(TWILIO_HMAC_SHA1, DOC_TOKEN, 5, DOC_URL, &f, sig);
	is_str(sig, DOC_SIG, "twilio_sign_alg with HMAC-SHA1: as twilio_sign");
	form_free(&f);

	is_int(twilio_sig_settings(KS_SETTINGS, &alg), 0,
	    "settings: Twilio's header reads");
	is_int(alg, TWILIO_HMAC_SHA256, "settings: HMAC_SHA256");
	is_int(twilio_sig_settings(" algorithm=hmac_sha256 , key=x", &alg), 0,
	    "settings: in another order, blanks and case");
	is_int(twilio_sig_settings("key=x,algorithm=HMAC_SHA512", &alg), -1,
	    "settings: an unknown algorithm");
	is_int(twilio_sig_settings("key=x,algorithm=HMAC_SHA1", &alg), -1,
	    "settings: HMAC_SHA1 is not a shared key's");
	is_int(twilio_sig_settings("key=x", &alg), -1,
	    "settings: no algorithm");
	is_int(twilio_sig_settings("", &alg), -1, "settings: empty");
	is_int(twilio_sig_settings("algorithm=HMAC_SHA256x", &alg), -1,
	    "settings: a longer name");
	is_int(twilio_sig_settings(
	    "algorithm=HMAC_SHA256,algorithm=HMAC_SHA256", &alg), -1,
	    "settings: the algorithm twice");

	checks(0, DOC_TOKEN, KS_ONE, KS_SETTINGS, DOC_URL, KS_ONE_SIG,
	    "header: the shared key's signature passes");
	checks(0, DOC_TOKEN, KS_TWO "," KS_ONE, KS_SETTINGS, DOC_URL,
	    KS_ONE_SIG, "header: any one of the shared keys");
	checks(0, NULL, " " KS_TWO " , " KS_ONE, KS_SETTINGS, DOC_URL,
	    KS_TWO_SIG, "header: keys trimmed, no auth token needed");
	checks(0, NULL, KS_ONE, KS_SETTINGS,
	    "https://mycompany.com:443/myapp.php?foo=1&bar=2", KS_ONE_SIG,
	    "header: the URL with its port, signed without");
	checks(0, NULL, KS_ONE, KS_SETTINGS, DOC_URL, KS_PORT_SIG,
	    "header: the URL signed with its port");
	checks(-1, DOC_TOKEN, KS_ONE, KS_SETTINGS, DOC_URL, DOC_SIG,
	    "header: the auth token's HMAC-SHA1 refused");
	checks(-1, DOC_TOKEN, KS_ONE, KS_SETTINGS, DOC_URL, KS_TOKEN_SIG,
	    "header: HMAC-SHA256 with the auth token refused");
	checks(-1, DOC_TOKEN, KS_TWO, KS_SETTINGS, DOC_URL, KS_ONE_SIG,
	    "header: another key's signature refused");
	checks(-1, DOC_TOKEN, NULL, KS_SETTINGS, DOC_URL, KS_ONE_SIG,
	    "header: no shared key configured");
	checks(-1, DOC_TOKEN, "", KS_SETTINGS, DOC_URL, KS_ONE_SIG,
	    "header: an empty shared key list");
	checks(-1, DOC_TOKEN, KS_ONE, "key=x,algorithm=HMAC_SHA512", DOC_URL,
	    KS_ONE_SIG, "header: an unknown algorithm refused");
	checks(-1, DOC_TOKEN, KS_ONE, KS_SETTINGS, DOC_URL,
	    "XJPhSN7eOUIMZrEFDB0A2m4ws7m6KpxzS+y8fuXW/Ug",
	    "header: a signature one character short");
	checks(-1, DOC_TOKEN, KS_ONE, KS_SETTINGS, DOC_URL,
	    "YJPhSN7eOUIMZrEFDB0A2m4ws7m6KpxzS+y8fuXW/Ug=",
	    "header: a changed signature");
	checks(0, DOC_TOKEN, KS_ONE, NULL, DOC_URL, DOC_SIG,
	    "no header: the auth token and HMAC-SHA1 as before");
	checks(-1, DOC_TOKEN, KS_ONE, NULL, DOC_URL, KS_ONE_SIG,
	    "no header: the shared key's signature refused");
	checks(-1, NULL, KS_ONE, NULL, DOC_URL, DOC_SIG,
	    "no header, no auth token: refused");

	is_int(twilio_check(NULL, KS_ONE, KS_SETTINGS,
	    "https://example.com/voice", NULL, KS_GET_SIG), 0,
	    "header, GET: the URL alone");
}

/*
 * A thread keeps a few keyed HMAC contexts: cycling through more keys
 * than it keeps, keys that are prefixes of one another, and both
 * algorithms with the same key, every signature is still the key's own.
 */
static void
test_keyed_contexts(void)
{
	static const char *keys[] = { "k", "k1", "k12", "tok", "k123",
	    "another", "k" };
	struct form	 f;
	char		 sig[TWILIO_SIGLEN_MAX + 1], sha256[TWILIO_SIGLEN_MAX + 1];
	size_t		 i, round, bad = 0;
	const char	*data = "https://x.test/vA1B2";

	form(&f, "A=1&B=2");
	for (round = 0; round < 3; round++)
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			memset(sig, 0, sizeof(sig));
			if (twilio_sign(keys[i], strlen(keys[i]),
			    "https://x.test/v", &f, sig) != 0 ||
			    strcmp(sig, hmac(keys[i], data)) != 0)
				bad++;
		}
	is_int((int)bad, 0, "21 signatures over 6 keys cycled: each the key's own");
	is_int(twilio_sign_alg(TWILIO_HMAC_SHA256, "k", 1, "https://x.test/v",
	    &f, sha256), 0, "SHA-256 with a key SHA-1 used: signs");
	twilio_sign("k", 1, "https://x.test/v", &f, sig);
	ok(strcmp(sig, hmac("k", data)) == 0 && strlen(sha256) == 44,
	    "the same key under both algorithms: two contexts, each its own");
	form_free(&f);
}

int
main(void)
{
	test_sign();
	test_keyed_contexts();
	test_verify();
	test_shared_key();
	test_ports();
	test_url();
	return done_testing();
}
