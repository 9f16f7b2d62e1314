/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The Dial TwiML that hands a call to Synthflow's SIP target, with or
 * without a registration, and the answer to Twilio's callback when that
 * dial (or a transfer's) ends. Both dials carry the referUrl that lets the
 * agent transfer the caller (call_transfer.c answers it).
 */
#include "config.h"

#include <string.h>

#include "call_dial.h"
#include "log.h"
#include "sipheaders.h"
#include "twiml.h"

/*
 * The SYNTHFLOW_SIP_HEADERS whose Twilio parameter is present; the names
 * point into list, which the caller keeps for as long as out.
 */
static size_t
present_sip_headers(struct webhook *w, const struct settings *s,
    struct sipheader list[SIPHEADERS_MAX], struct twiml_header *out)
{
	const char		*v;
	size_t			 i, n, k = 0;

	if (s->str[S_SIP_HEADERS] == NULL)
		return 0;
	n = sipheaders_parse(s->str[S_SIP_HEADERS], list, SIPHEADERS_MAX);
	for (i = 0; i < n; i++)
		if ((v = call_param(w, list[i].param)) != NULL &&
		    *v != '\0') {
			out[k].name = list[i].header;
			out[k++].value = v;
		}
	return k;
}

/*
 * Dial Synthflow's SIP target: with the registered call id (forwarded), or
 * with none when Synthflow failed (direct, X-EI E.{CallSid} only).
 */
static void
dial(struct webhook *w, struct call *c, const char *sip_number,
    const char *call_id, const char *outcome, const char *reason)
{
	struct twiml_sip	 t;
	struct sipheader	 list[SIPHEADERS_MAX];
	struct twiml_header	 headers[SIPHEADERS_MAX];
	const struct settings	*s = &c->s;

	memset(&t, 0, sizeof(t));
	t.number = sip_number;
	t.host = settings_sip_host(s);
	t.port = settings_sip_port(s);
	t.transport = s->num[S_SIP_TRANSPORT];	/* an enum twiml_transport */
	t.secure = (int)s->num[S_SIP_SECURE];
	t.call_id = call_id;
	t.call_sid = call_id == NULL || s->num[S_XEI_CALLSID] ?
	    call_param(w, "CallSid") : NULL;
	t.forwarded_from = s->num[S_XEI_FORWARDED] ?
	    call_param(w, "ForwardedFrom") : NULL;
	t.headers = headers;
	t.nheaders = present_sip_headers(w, s, list, headers);
	t.escape = s->num[S_XEI_ESCAPE] == XEI_PERCENT;
	t.username = s->str[S_SIP_USERNAME];
	t.password = s->str[S_SIP_PASSWORD];
	t.dial_timeout = s->num[S_DIAL_TIMEOUT];
	t.time_limit = s->num[S_DIAL_TIME_LIMIT];
	t.caller_id = s->str[S_DIAL_CALLER_ID];
	t.answer_on_bridge = (int)s->num[S_DIAL_ANSWER_ON_BRIDGE];
	t.action = call_action(w, c);
	t.refer_url = call_refer_url(w, c);
	if (twiml_dial(&w->answer, &t) == -1) {
		call_fallback(w, c, "fallback", "twiml");
		return;
	}
	c->dropped = t.dropped;
	call_answer(w, c, outcome, reason);
}

void
call_dial_forward(struct webhook *w, struct call *c, const char *sip_number)
{
	dial(w, c, sip_number, c->id, "forwarded", NULL);
}

/*
 * Synthflow failed: the agent assigned to the number can still answer a
 * plain dial to the SIP target (Synthflow's "dial to the SIP endpoint"),
 * identified by Twilio's CallSid; the Dial action catches a failure there.
 */
void
call_dial_direct(struct webhook *w, struct call *c, const char *sip_number,
    const char *reason)
{
	if (!c->s.num[S_FALLBACK_DIRECT] ||
	    !twiml_sid_safe(call_param(w, "CallSid"))) {
		call_fallback(w, c, "fallback", reason);
		return;
	}
	c->id[0] = '\0';	/* no id to log: none was registered */
	dial(w, c, sip_number, NULL, "direct", reason);
}

int
call_dial_is_callback(const struct webhook *w)
{
	return call_is_callback(w, CALL_MARK_DIAL);
}

/*
 * The dial to Synthflow ended. When it never connected, the caller still
 * gets the fallback; otherwise the call is over. Synthflow is not asked.
 */
void
call_dial_ended(struct webhook *w, struct call *c)
{
	static const char *const retry[][2] = {
		{ "busy", "dial_busy" },
		{ "no-answer", "dial_no_answer" },
		{ "failed", "dial_failed" },
	};
	static const char *const over[] = { "completed", "answered",
	    "canceled" };
	const char	*status = call_param(w, "DialCallStatus");
	const char	*reason;
	size_t		 i;

	for (i = 0; status != NULL && i < sizeof(retry) / sizeof(retry[0]);
	    i++)
		if (strcmp(status, retry[i][0]) == 0) {
			call_fallback(w, c, "fallback", retry[i][1]);
			return;
		}
	reason = "unknown";
	for (i = 0; status != NULL && i < sizeof(over) / sizeof(over[0]); i++)
		if (strcmp(status, over[i]) == 0)
			reason = over[i];
	if (strcmp(reason, "unknown") == 0) {
		buf_reset(&w->line);
		log_kv(&w->line, "dial_call_status", status);
		log_warn("dial action: unknown status,%s", buf_str(&w->line));
	}
	twiml_hangup(&w->answer);
	call_answer(w, c, "ended", reason);
}
