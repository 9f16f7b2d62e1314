// SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
// Synthflow's Express + twilio snippet ("Forward calls to the SIP trunk"),
// reproduced for bench/run.sh as a user would deploy it: one node process
// behind nginx, Twilio's signature checked by twilio.webhook(), the call
// registered with fetch(), the answer built with twilio.twiml.VoiceResponse.
// Only the settings come from the environment instead of being pasted in.
//
//   PORT=3000 SYNTHFLOW_API_URL=http://127.0.0.1:8080 SYNTHFLOW_API_KEY=...
//   SYNTHFLOW_MODEL_ID=... TWILIO_AUTH_TOKEN=... node server.js
'use strict';

const express = require('express');
const twilio = require('twilio');

const API_URL = process.env.SYNTHFLOW_API_URL || 'https://api.synthflow.ai';
const API_KEY = process.env.SYNTHFLOW_API_KEY;
const MODEL_ID = process.env.SYNTHFLOW_MODEL_ID;
const PORT = Number(process.env.PORT || 3000);
const PATH = process.env.WEBHOOK_PATH || '/twilio/voice';

const app = express();
app.use(express.urlencoded({ extended: false }));

app.post(PATH, twilio.webhook(process.env.TWILIO_AUTH_TOKEN),
    async (req, res) => {
	const { From, To, CallSid } = req.body;
	try {
		// 1. Create the call at Synthflow.
		const r = await fetch(`${API_URL}/v2/prepare_inbound`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Authorization: `Bearer ${API_KEY}`,
			},
			body: JSON.stringify({
				from_number: From,
				to_number: To,
				model_id: MODEL_ID,
				custom_variables: { CallSid },
			}),
		});
		const data = await r.json();

		// 2. Forward the call to the SIP trunk with the X-EI header.
		const twiml = new twilio.twiml.VoiceResponse();
		const dial = twiml.dial();
		dial.sip(`sip:${To}@sip.synthflow.ai:32681` +
		    `?X-EI=S.${data.synthflow_call_id};`);
		res.type('text/xml');
		res.send(twiml.toString());
	} catch (err) {
		console.error(err);
		res.status(500).send('error');
	}
});

app.listen(PORT, '127.0.0.1', () => {
	console.log(`listening on 127.0.0.1:${PORT}`);
});
