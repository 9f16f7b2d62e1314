# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
"""Cross-check against Twilio's own helper library (Debian's python3-twilio):
the TwiML the program writes must mean the same as what
twilio.twiml.voice_response writes for the same input, and the signatures
it makes and accepts must be those of twilio.request_validator.

Run by tests/twilio-lib.test, which starts the fake Synthflow and sets
PROG, FAKE_URL and the secrets in the environment. Speaks TAP."""

import os
import re
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Dial, VoiceResponse

PROG = os.environ["PROG"]
n = 0
failed = 0


def ok(cond, desc, diag=""):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    if not cond:
        failed += 1
        for line in str(diag).splitlines():
            print("# " + line)


def cgi(settings, params):
    """One unsigned POST to the program as CGI; the body of its answer."""
    body = urllib.parse.urlencode(params).encode()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SYNTHFLOW_", "TWILIO_"))}
    env.update({
        "SYNTHFLOW_API_KEY": os.environ["SYNTHFLOW_API_KEY"],
        "SYNTHFLOW_MODEL_ID": "model-lib",
        "SYNTHFLOW_API_URL": os.environ["FAKE_URL"],
        "TWILIO_VALIDATE": "off",
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "example.com",
        "REQUEST_URI": "/twilio/voice",
        # The core answers unless a case asks for the resilience ones.
        "SYNTHFLOW_DIAL_ACTION": "off",
        "SYNTHFLOW_FALLBACK_DIRECT": "off",
        "SYNTHFLOW_DEDUP_SECONDS": "0",
        "SYNTHFLOW_TRANSFER": "off",
    })
    env.update(settings)
    out = subprocess.run([PROG], input=body, env=env, capture_output=True,
                         check=False).stdout
    return out.split(b"\r\n\r\n", 1)[1].decode()


def same_tree(a, b):
    """Same elements, attributes and text, in the same order."""
    if a.tag != b.tag or a.attrib != b.attrib:
        return False
    if (a.text or "") != (b.text or "") or len(a) != len(b):
        return False
    return all(same_tree(x, y) for x, y in zip(a, b))


def same_meaning(got, want, desc):
    decl = '<?xml version="1.0" encoding="UTF-8"?>'
    ok(got.startswith(decl) and same_tree(ET.fromstring(got.encode()),
                                          ET.fromstring(want.encode())),
       desc, "got:  %s\nwant: %s" % (got, want))


TO = "+15557650000"
ACTION = "http://example.com/twilio/voice?synthflow_twiml=dial"
REFER_URL = "http://example.com/twilio/voice?synthflow_twiml=refer"
ID = "sf-15557650000"          # the fake's echo_id answer for this To
CALL = {"CallSid": "CA42", "From": "+15551230000", "To": TO}


def sip(uri, dial=None, sip_attrs=None):
    r = VoiceResponse()
    d = Dial(**(dial or {}))
    d.sip(uri, **(sip_attrs or {}))
    r.append(d)
    return str(r)


base = "sip:%s@sip.synthflow.ai" % TO
cases = [
    ({}, sip(base + ":32681?X-EI=S.%s;" % ID), "default"),
    ({"SYNTHFLOW_SIP_TRANSPORT": "tls", "SYNTHFLOW_SIP_SECURE": "on",
      "SYNTHFLOW_XEI_CALLSID": "on"},
     sip(base + ":32682;transport=tls;secure=true?X-EI=S.%s;E.CA42;" % ID),
     "tls, secure, CallSid"),
    ({"SYNTHFLOW_SIP_TRANSPORT": "tcp", "SYNTHFLOW_XEI_ESCAPE": "percent"},
     sip(base + ":32681;transport=tcp?X-EI=S.%s%%3B" % ID),
     "tcp, escaped ;"),
    ({"SYNTHFLOW_DIAL_TIMEOUT": "25", "SYNTHFLOW_DIAL_TIME_LIMIT": "600",
      "SYNTHFLOW_DIAL_CALLER_ID": "+1 \"Desk\" <&'>",
      "SYNTHFLOW_DIAL_ANSWER_ON_BRIDGE": "yes",
      "SYNTHFLOW_SIP_USERNAME": "us<er>&", "SYNTHFLOW_SIP_PASSWORD": "p\"w'd"},
     sip(base + ":32681?X-EI=S.%s;" % ID,
         {"timeout": 25, "time_limit": 600,
          "caller_id": "+1 \"Desk\" <&'>", "answer_on_bridge": True},
         {"username": "us<er>&", "password": "p\"w'd"}),
     "Dial and Sip attributes with XML metacharacters"),
    ({"SYNTHFLOW_DIAL_ANSWER_ON_BRIDGE": "off"},
     sip(base + ":32681?X-EI=S.%s;" % ID, {"answer_on_bridge": False}),
     "answerOnBridge false"),
    ({"SYNTHFLOW_DIAL_ACTION": "self"},
     sip(base + ":32681?X-EI=S.%s;" % ID, {"action": ACTION}),
     "Dial action back to the program"),
    ({"SYNTHFLOW_TRANSFER": "self"},
     sip(base + ":32681?X-EI=S.%s;" % ID, {"refer_url": REFER_URL}),
     "referUrl back to the program"),
    ({"SYNTHFLOW_TRANSFER": "https://example.com/refer?a=1&b='2'",
      "SYNTHFLOW_DIAL_ACTION": "self"},
     sip(base + ":32681?X-EI=S.%s;" % ID,
         {"refer_url": "https://example.com/refer?a=1&b='2'",
          "action": ACTION}),
     "referUrl of the operator's, escaped, with the Dial action"),
    ({"SYNTHFLOW_DIAL_ACTION": "https://example.com/after?a=1&b='2'"},
     sip(base + ":32681?X-EI=S.%s;" % ID,
         {"action": "https://example.com/after?a=1&b='2'"}),
     "Dial action of the operator's, escaped"),
    ({"SYNTHFLOW_XEI_FORWARDED": "on", "SYNTHFLOW_XEI_CALLSID": "on",
      "SYNTHFLOW_SIP_HEADERS": "CallerName:X-Caller-Name,FromCity:X-City"},
     sip(base + ":32681?X-EI=S.%s;E.CA42;O.+15550009999;"
         "&X-Caller-Name=John%%20%%26%%20%%3CDoe%%3E"
         "&X-City=S%%C3%%A3o%%20Paulo" % ID),
     "X-EI with E. and O., X-headers percent-encoded"),
]
CALL = dict(CALL, ForwardedFrom="+15550009999", CallerName="John & <Doe>",
            FromCity="São Paulo")
for settings, want, desc in cases:
    subprocess.run(["curl", "-sf", "-X", "PUT",
                    os.environ["FAKE_URL"] + "/_mode/echo_id"], check=True)
    same_meaning(cgi(settings, CALL), want, "Dial TwiML as twilio-python: " + desc)

subprocess.run(["curl", "-sf", "-X", "PUT",
                os.environ["FAKE_URL"] + "/_mode/500"], check=True)
r = VoiceResponse()
r.say("Ça & <va> \"bien\"", language="fr-FR")
r.hangup()
same_meaning(cgi({"SYNTHFLOW_FALLBACK_SAY": "Ça & <va> \"bien\"",
                  "SYNTHFLOW_FALLBACK_LANGUAGE": "fr-FR"}, CALL), str(r),
             "fallback Say as twilio-python")
r = VoiceResponse()
r.say("We are sorry, we cannot take your call right now. "
      "Please try again later.")
r.hangup()
same_meaning(cgi({}, CALL), str(r), "built-in fallback as twilio-python")
# A refused caller (issue 15): Synthflow, failing here, is never asked.
r = VoiceResponse()
r.reject(reason="busy")
same_meaning(cgi({"SYNTHFLOW_CALLER_DENY": "+1555*"}, CALL), str(r),
             "Reject of a denied caller as twilio-python")
same_meaning(cgi({"SYNTHFLOW_CALLER_ANONYMOUS": "reject"},
                 dict(CALL, From="Anonymous")), str(r),
             "Reject of an anonymous caller as twilio-python")
same_meaning(cgi({"SYNTHFLOW_FALLBACK_DIRECT": "on",
                  "SYNTHFLOW_DIAL_ACTION": "self"}, CALL),
             sip(base + ":32681?X-EI=E.CA42;", {"action": ACTION}),
             "direct dial when Synthflow fails, as twilio-python")
same_meaning(cgi({"SYNTHFLOW_FALLBACK_DIRECT": "on",
                  "SYNTHFLOW_DIAL_ACTION": "self",
                  "SYNTHFLOW_TRANSFER": "self"}, CALL),
             sip(base + ":32681?X-EI=E.CA42;",
                 {"action": ACTION, "refer_url": REFER_URL}),
             "direct dial with its referUrl, as twilio-python")

# The refer callback's answers (a transfer's TwiML).
REFER = {"REQUEST_URI": "/twilio/voice?synthflow_twiml=refer",
         "QUERY_STRING": "synthflow_twiml=refer",
         "SYNTHFLOW_TRANSFER": "self", "SYNTHFLOW_DIAL_ACTION": "self",
         "SYNTHFLOW_TRANSFER_ALLOW": "+1555*, sip:*@pbx.example.com"}


def transfer(settings, target):
    return cgi(dict(REFER, **settings),
               dict(CALL, ReferTransferTarget=target))


r = VoiceResponse()
d = Dial(action=ACTION, timeout=30)
d.number("+15551234567")
r.append(d)
same_meaning(transfer({}, "<tel:+1-555-123-4567>"), str(r),
             "transfer to a number as twilio-python")
r = VoiceResponse()
d = Dial(action=ACTION, caller_id="+1 \"Desk\" <&'>", time_limit=600,
         timeout=45)
d.number("+15551234567")
r.append(d)
same_meaning(transfer({"SYNTHFLOW_TRANSFER_CALLER_ID": "+1 \"Desk\" <&'>",
                       "SYNTHFLOW_DIAL_TIME_LIMIT": "600",
                       "SYNTHFLOW_TRANSFER_TIMEOUT": "45",
                       "SYNTHFLOW_SIP_USERNAME": "u",
                       "SYNTHFLOW_SIP_PASSWORD": "p"},
                      "sip:+15551234567@trunk.example;user=phone"), str(r),
             "transfer to a number with callerId and timeLimit, escaped, "
             "no credentials, as twilio-python")
sip_target = ("sip:0875704225abc@sip.synthflow.ai:32682;transport=tls"
              "?User-to-User=12%3Bencoding%3Dhex&X-Name=A%20%26%20%3CB%3E")
r = VoiceResponse()
d = Dial(action=ACTION, refer_url=REFER_URL, timeout=30)
d.sip(sip_target, username="u<", password="p&")
r.append(d)
same_meaning(transfer({"SYNTHFLOW_SIP_TRANSPORT": "tls",
                       "SYNTHFLOW_SIP_USERNAME": "u<",
                       "SYNTHFLOW_SIP_PASSWORD": "p&"},
                      "<sip:0875704225abc@evil.example:5099?User-to-User="
                      "12%3Bencoding%3Dhex&X-Name=A%20%26%20%3CB%3E>"),
             str(r), "bridge transfer as twilio-python")
r = VoiceResponse()
d = Dial(action=ACTION, timeout=30)
d.sip("sip:agent@pbx.example.com:5061;transport=tls?X-A=%22%27%5D%5D%3E")
r.append(d)
same_meaning(transfer({}, "sips:agent@PBX.example.com:5061;maddr=10.0.0.1"
                      "?X-A=%22%27%5D%5D%3E&X-Twilio-A=1"), str(r),
             "sip transfer as twilio-python")
r = VoiceResponse()
r.say("We are sorry, we cannot take your call right now. "
      "Please try again later.")
r.hangup()
for target in ["<tel:+442071234567>", "sip:bob@other.example",
               "<sip:x@pbx.example.com?X-A=\"><Say>x</Say>>", "tel:911"]:
    same_meaning(transfer({}, target), str(r),
                 "transfer refused (%s): the fallback as twilio-python"
                 % target)
CALLBACK = {"REQUEST_URI": "/twilio/voice?synthflow_twiml=dial",
            "QUERY_STRING": "synthflow_twiml=dial"}
r = VoiceResponse()
r.hangup()
same_meaning(cgi(CALLBACK, dict(CALL, DialCallStatus="completed")), str(r),
             "Dial action callback, completed: Hangup as twilio-python")
r = VoiceResponse()
r.say("We are sorry, we cannot take your call right now. "
      "Please try again later.")
r.hangup()
same_meaning(cgi(CALLBACK, dict(CALL, DialCallStatus="busy")), str(r),
             "Dial action callback, busy: the fallback as twilio-python")
same_meaning(cgi({}, dict(CALL, CallStatus="completed",
                          CallbackSource="call-progress-events")),
             str(VoiceResponse()),
             "status callback: the empty Response as twilio-python")
r = VoiceResponse()
r.dial("+15550001111")
same_meaning(cgi({"SYNTHFLOW_FALLBACK_DIAL": "+15550001111"}, CALL), str(r),
             "fallback Dial as twilio-python")
r = VoiceResponse()
r.redirect("https://example.com/next?a=1&b=2")
same_meaning(cgi({"SYNTHFLOW_FALLBACK_REDIRECT":
                  "https://example.com/next?a=1&b=2"}, CALL), str(r),
             "fallback Redirect as twilio-python")

# The web server's fallbacks: every static TwiML the shipped nginx files
# return, and the Apache file for Twilio's fallback URL, as twilio-python.
SRC = os.environ["top_srcdir"]


def shipped_twiml():
    """(where, TwiML) of each static answer of the shipped files."""
    found = []
    for name in ("synthflow-twiml.site", "synthflow-twiml-locations.conf"):
        with open(os.path.join(SRC, "nginx", name), encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                m = re.search(r"return\s+200\s+'(.*)';", line)
                if m:
                    found.append(("%s:%d" % (name, i),
                                  m.group(1).replace("\\n", "\n")))
    with open(os.path.join(SRC, "contrib", "apache", "fallback.xml"),
              encoding="utf-8") as f:
        found.append(("apache/fallback.xml", f.read()))
    return found


def library_twiml(got):
    """What twilio-python writes for the verbs of one shipped answer."""
    r = VoiceResponse()
    root = ET.fromstring(got.encode())
    for verb in root:
        if verb.tag == "Say":
            r.say(verb.text)
        elif verb.tag == "Hangup":
            r.hangup()
        elif verb.tag == "Dial" and len(verb) == 0:
            r.dial(verb.text)
        elif verb.tag == "Dial" and len(verb) == 1 and verb[0].tag == "Sip":
            d = Dial()
            d.sip(verb[0].text)
            r.append(d)
        else:
            return None
    return str(r)


shipped = shipped_twiml()
ok(len(shipped) == 10, "10 static TwiML answers shipped", repr(shipped))
lines = {}
for where, got in shipped:
    want = library_twiml(got)
    ok(want is not None and got.endswith("\n"), where + ": known verbs, one line",
       got)
    if want is not None:
        same_meaning(got, want, where + ": static TwiML as twilio-python")
    lines.setdefault(got, []).append(where)
say = [g for g in lines if "<Say>" in g]
ok(len(say) == 1 and cgi({}, CALL) == say[0],
   "the static Say fallbacks are byte for byte the program's own",
   "%r\n%r" % (say, cgi({}, CALL)))
direct = [g for g in lines if "<Sip>" in g]
ok(len(direct) == 2 and all(re.search(
    r"<Sip>sip:\+1555765000[01]@sip\.synthflow\.ai:32681</Sip>", g)
    and "X-EI" not in g for g in direct),
   "the static direct dials: the number's SIP address, no X-EI", direct)

# Signatures: --sign agrees with RequestValidator, and what the
# validator accepts (port variants included) the program accepts.
token = os.environ["TWILIO_AUTH_TOKEN"]
validator = RequestValidator(token)
params = {"CallSid": "CA1", "Caller": "+1415", "Digits": "1 2+3",
          "From": "client:álice", "To": "+1800", "Empty": "",
          "Z%": "&=?"}
for url in ["https://example.com/voice", "https://example.com:443/voice",
            "http://example.com:8080/v?x=1&y=%20", "https://h/p?q"]:
    args = [PROG, "--sign", url] + ["%s=%s" % kv for kv in params.items()]
    got = subprocess.run(args, capture_output=True, text=True,
                         env=dict(os.environ)).stdout.strip()
    want = validator.compute_signature(url, params)
    ok(got == want, "--sign agrees with RequestValidator: " + url,
       "got %s want %s" % (got, want))


def signed_post(url_signed, host, https, uri):
    sig = validator.compute_signature(url_signed, params)
    body = urllib.parse.urlencode(params).encode()
    env = dict(os.environ)
    env.update({"REQUEST_METHOD": "POST",
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(body)), "HTTP_HOST": host,
                "REQUEST_URI": uri, "HTTP_X_TWILIO_SIGNATURE": sig,
                "SYNTHFLOW_API_URL": os.environ["FAKE_URL"]})
    if https:
        env["HTTPS"] = "on"
    out = subprocess.run([PROG], input=body, env=env, capture_output=True,
                         check=False).stdout.decode()
    return out.split("\r\n", 1)[0]


for signed, host, https, uri in [
        ("https://example.com:443/voice?a=1", "example.com", True,
         "/voice?a=1"),
        ("https://example.com/voice?a=1", "example.com:443", True,
         "/voice?a=1"),
        ("http://example.com:80/voice", "example.com", False, "/voice"),
        ("https://example.com/voice", "example.com:8443", True, "/voice")]:
    url = ("https" if https else "http") + "://" + host + uri
    lib = validator.validate(url, params,
                             validator.compute_signature(signed, params))
    status = signed_post(signed, host, https, uri)
    ok(lib and status == "Status: 200 OK",
       "signed %s, requested %s: library %s, program %s"
       % (signed, url, lib, status))

print("1..%d" % n)
sys.exit(1 if failed else 0)
