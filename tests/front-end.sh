# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
# The calls every front-end test makes through its web server (lighttpd,
# Caddy, mod_fcgid), after tests/setup.sh: a signed POST to each of two
# locations (two agents), a forged one, a signed GET with a raw query, the
# Dial action's callback, a number of the routing table. Source it, start
# the fake Synthflow and the program with front_env, then front_calls.

FRONT_FROM=+15551230000
FRONT_TO=+15557650000
FRONT_ROUTED=+15559990000
FRONT_DECL='<?xml version="1.0" encoding="UTF-8"?>'

# front_env: what front_calls needs of the program: the Dial action on,
# a routing table with FRONT_ROUTED; exported for the program's start.
front_env() {
	printf '%s model-routed var.team=routed\n' "$FRONT_ROUTED" \
	    >"$T/routes"
	export SYNTHFLOW_DIAL_ACTION=self SYNTHFLOW_ROUTES="$T/routes"
}

# front_post URL NAME=VALUE...: a POST signed over URL; $STATUS, $BODY.
front_post() {
	fp_url=$1; shift
	front_post_as "$(sign "$fp_url" "$@")" "$fp_url" "$@"
}
front_post_as() {	# front_post_as SIGNATURE URL NAME=VALUE...
	fp_sig=$1 fp_url=$2; shift 2
	n=$#
	for a; do set -- "$@" --data-urlencode "$a"; done
	shift "$n"
	STATUS=$("$CURL" -s -o "$T/body" -w '%{http_code}' --max-time 20 \
	    -H "X-Twilio-Signature: $fp_sig" "$@" "$fp_url")
	BODY=$(cat "$T/body")
}
# front_last PYTHON-EXPRESSION-OF-j: of the last prepare_inbound's JSON.
front_last() {
	"$CURL" -sf "$FAKE_URL/_requests" | "$PYTHON3" -c "
import json, sys
r = json.load(sys.stdin)
j = r[-1]['json'] if r else {}
print(*[$1])"
}
# The <Dial> to the agent registered for FRONT_TO, with the action given.
front_dial() {	# front_dial ACTION-URL (XML-escaped)
	echo "$FRONT_DECL<Response><Dial action=\"$1\"><Sip>sip:$FRONT_TO@sip.synthflow.ai:32681?X-EI=S.sf-${FRONT_TO#+};</Sip></Dial></Response>"
}

# front_new_sid: a CallSid of its own in $sid, for a program that
# remembers the ones it registered (SYNTHFLOW_DEDUP_SECONDS).
front_sids=0
front_new_sid() {
	front_sids=$((front_sids + 1))
	sid=CA$(printf '%032d' "$front_sids")
}

# front_calls NAME BASE VOICE-PATH SALES-PATH [VAR]: the checks, NAME in
# their descriptions. VOICE-PATH's location names the agent model-voice,
# SALES-PATH's model-sales and the variable VAR (team) = sales.
front_calls() {
	fn=$1 fb=$2 fv=$3 fs=$4 fvar=${5:-team}
	for loc in "$fv:model-voice:-" "$fs:model-sales:sales"; do
		front_new_sid
		path=${loc%%:*} rest=${loc#*:}
		model=${rest%%:*} team=${rest#*:}
		fake_reset
		fake_mode echo_id
		front_post "$fb$path" "CallSid=$sid" "From=$FRONT_FROM" \
		    "To=$FRONT_TO" Direction=inbound
		is "$STATUS:$BODY" \
		    "200:$(front_dial "$fb$path?synthflow_twiml=dial")" \
		    "$fn $path: signed POST: the registered Dial"
		is "$(fake_count):$(front_last "j.get('model_id'), \
j.get('custom_variables', {}).get('$fvar', '-')")" "1:$model $team" \
		    "$fn $path: Synthflow got the location's agent ($model)"
	done

	fake_reset
	sig=$(sign "$fb$fv" "From=$FRONT_FROM" "To=$FRONT_TO")
	front_post_as "$sig" "$fb$fv" "From=$FRONT_FROM" "To=+15550000000"
	is "$STATUS:$(fake_count)" 403:0 \
	    "$fn: forged signature: 403, no prepare_inbound"

	# Not in canonical form: REQUEST_URI must carry it byte for byte.
	front_new_sid
	fake_reset
	fake_mode echo_id
	query="CallSid=$sid&From=%2b15551230000&To=%2B15557650000"
	query="$query&CallerName=Jane+Doe&x=&y=a/b%7e"
	url="$fb$fv?$query"
	STATUS=$("$CURL" -s -o "$T/body" -w '%{http_code}' \
	    -H "X-Twilio-Signature: $(sign "$url")" "$url")
	is "$STATUS:$(cat "$T/body")" \
	    "200:$(front_dial "$(printf '%s' "$url" | sed 's/&/\&amp;/g')&amp;synthflow_twiml=dial")" \
	    "$fn: signed GET with a raw query string: the Dial, its action keeps the query"

	# Twilio's POST to the Dial action once the agent hung up: a hangup,
	# and Synthflow is not asked again.
	fake_reset
	front_post "$fb$fv?synthflow_twiml=dial" "CallSid=$sid" \
	    "From=$FRONT_FROM" "To=$FRONT_TO" DialCallStatus=completed
	is "$STATUS:$BODY:$(fake_count)" \
	    "200:$FRONT_DECL<Response><Hangup/></Response>:0" \
	    "$fn: the Dial action after the call: hang up"
	front_post "$fb$fv?synthflow_twiml=dial" "CallSid=$sid" \
	    "From=$FRONT_FROM" "To=$FRONT_TO" DialCallStatus=failed
	like "$STATUS:$BODY" '^200:.*<Say>' \
	    "$fn: the Dial action after a failed dial: the fallback"

	# A number of the routing table: its agent, whatever the location's.
	front_new_sid
	fake_reset
	fake_mode echo_id
	front_post "$fb$fv" "CallSid=$sid" "From=$FRONT_FROM" \
	    "To=$FRONT_ROUTED"
	like "$STATUS:$BODY" "^200:.*X-EI=S\.sf-${FRONT_ROUTED#+};" \
	    "$fn: a routed number: the Dial"
	is "$(front_last "j.get('model_id'), \
j.get('custom_variables', {}).get('team')")" "model-routed routed" \
	    "$fn: a routed number: the route's agent and variable"
}
