/*
 * Synthflow's registration of one call, once per CallSid, and the route of
 * the routing table that picks its agent.
 */
#ifndef CALL_REGISTER_H
#define CALL_REGISTER_H

#include "call_answer.h"

/* The agent of the routing table for to, when it has one. */
void	register_route(struct call *, const struct routes *, const char *to);
/*
 * Register the call once per CallSid: 0 with the call id in c->id; -1 when
 * the call data or settings make no request; -2 when Synthflow failed.
 */
int	register_once(struct webhook *, struct call *, const char *to,
	    const char **reason);

#endif
