# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
"""Synthflow's FastAPI + twilio snippet ("Forward calls to the SIP trunk"),
reproduced for bench/run.sh as a user would deploy it: one uvicorn process
behind nginx, Twilio's signature checked with twilio's RequestValidator, the
call registered with an httpx.AsyncClient reused across requests, the answer
built with twilio's VoiceResponse. Only the settings come from the
environment instead of being pasted in.

Debian's packages (python3-fastapi, python3-uvicorn, python3-httpx,
python3-multipart, python3-twilio), so run it with /usr/bin/python3:

  PORT=8000 SYNTHFLOW_API_URL=http://127.0.0.1:8080 SYNTHFLOW_API_KEY=... \
  SYNTHFLOW_MODEL_ID=... TWILIO_AUTH_TOKEN=... /usr/bin/python3 server.py
"""

import os

import httpx
import uvicorn
from fastapi import FastAPI, HTTPException, Request, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

API_URL = os.environ.get("SYNTHFLOW_API_URL", "https://api.synthflow.ai")
API_KEY = os.environ.get("SYNTHFLOW_API_KEY", "")
MODEL_ID = os.environ.get("SYNTHFLOW_MODEL_ID", "")
PATH = os.environ.get("WEBHOOK_PATH", "/twilio/voice")

app = FastAPI()
validator = RequestValidator(os.environ.get("TWILIO_AUTH_TOKEN", ""))
client = httpx.AsyncClient()


@app.post(PATH)
async def voice(request: Request):
    form = await request.form()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not validator.validate(str(request.url), dict(form), signature):
        raise HTTPException(status_code=403, detail="invalid signature")

    # 1. Create the call at Synthflow.
    r = await client.post(
        f"{API_URL}/v2/prepare_inbound",
        headers={"Authorization": f"Bearer {API_KEY}"},
        json={
            "from_number": form.get("From"),
            "to_number": form.get("To"),
            "model_id": MODEL_ID,
            "custom_variables": {"CallSid": form.get("CallSid")},
        },
    )
    data = r.json()

    # 2. Forward the call to the SIP trunk with the X-EI header.
    twiml = VoiceResponse()
    dial = twiml.dial()
    dial.sip(f"sip:{form.get('To')}@sip.synthflow.ai:32681"
             f"?X-EI=S.{data['synthflow_call_id']};")
    return Response(content=str(twiml), media_type="text/xml")


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
