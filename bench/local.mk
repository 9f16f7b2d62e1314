## SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
## Benchmarks, run by hand, never by make check (bench/RESULTS.md has the
## latest figures). bash bench/setup.sh, once as root on Debian 12,
## installs what they need. make bench runs bench/run.sh against the built
## program: the program against its peers and its limits, about 20
## minutes with the defaults; ROUNDS, DURATION, WARMUP, SCENARIOS
## (SCENARIOS=C: scenario C alone), C_FACTORS and OUTPUT are passed
## through when set (on the command line or in the environment), and so
## is every other knob of bench/run.sh's head (PROG_BEFORE=path: scenario
## L measures another build of the program beside this one). make bench-callgrind runs bench/callgrind.sh:
## instructions per request; make bench-routes times the routing table. Both work in a VPATH build: the scripts find
## their sources next to themselves, the program in the build tree.

bench_env = \
	top_builddir='$(abs_top_builddir)' \
	PROG='$(abs_top_builddir)/synthflow-twiml$(EXEEXT)' \
	CC='$(CC)' FCGI_CFLAGS='$(FCGI_CFLAGS)' FCGI_LIBS='$(FCGI_LIBS)'

bench: synthflow-twiml$(EXEEXT)
	@test -z '$(ROUNDS)' || { ROUNDS='$(ROUNDS)'; export ROUNDS; }; \
	test -z '$(DURATION)' || { DURATION='$(DURATION)'; export DURATION; }; \
	test -z '$(WARMUP)' || { WARMUP='$(WARMUP)'; export WARMUP; }; \
	test -z '$(SCENARIOS)' || \
	    { SCENARIOS='$(SCENARIOS)'; export SCENARIOS; }; \
	test -z '$(C_FACTORS)' || \
	    { C_FACTORS='$(C_FACTORS)'; export C_FACTORS; }; \
	test -z '$(OUTPUT)' || { OUTPUT='$(OUTPUT)'; export OUTPUT; }; \
	$(bench_env) bash $(srcdir)/bench/run.sh

bench-callgrind: synthflow-twiml$(EXEEXT)
	@$(bench_env) bash $(srcdir)/bench/callgrind.sh

## The routing table: 100 000 routes loaded and looked up (ROUTES=N for
## another size).
EXTRA_PROGRAMS += bench/routes-load
bench_routes_load_SOURCES = bench/routes-load.c

bench-routes: bench/routes-load$(EXEEXT)
	./bench/routes-load $(ROUTES)

## Where the source tree is read-only, bench/run.sh installs the node
## peer in the build tree instead; distclean removes it there.
distclean-local: bench-distclean
bench-distclean:
	test '$(abs_srcdir)' = '$(abs_builddir)' || { rm -rf bench/peers/node; \
	    rmdir bench/peers bench 2>/dev/null || :; }

EXTRA_DIST += bench/local.mk bench/setup.sh bench/lib.sh bench/run.sh \
	bench/callgrind.sh bench/soak.sh bench/post.lua bench/null-fcgi.c \
	bench/openloop.c bench/delayer.c \
	bench/RESULTS.md bench/peers/node/package.json \
	bench/peers/node/package-lock.json bench/peers/node/server.js \
	bench/peers/python/server.py

.PHONY: bench bench-callgrind bench-routes bench-distclean
