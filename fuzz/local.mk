## SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
## Fuzz targets: fuzz/fuzz-<name>.c each define LLVMFuzzerTestOneInput
## (fuzz/fuzz.c has their helpers, fuzz/xml.c the XML checker of twiml).
## Every build links them with fuzz/replay.c into fuzz/<name>-replay, which
## tests/fuzz.test runs over the committed corpora fuzz/corpus/<name>; a
## build configured with --enable-fuzzing (clang) also links them with
## libFuzzer into fuzz/<name>-fuzzer, which make fuzz runs.
##
## fuzz_targets is the one list of them: the programs' lists, make fuzz and
## tests/fuzz.test (through FUZZ_TARGETS) all read it. A new target is a
## word here, a corpus and its two _SOURCES lines below.

fuzz_targets = fuzz/form fuzz/signature fuzz/reply fuzz/conffile \
	fuzz/twiml fuzz/routes fuzz/transfer fuzz/caller fuzz/redis fuzz/log
fuzz_common = fuzz/fuzz.c fuzz/fuzz.h
AM_TESTS_ENVIRONMENT += FUZZ_TARGETS='$(fuzz_targets)'; export FUZZ_TARGETS;

## The replay of the corpora, in make check with any compiler.

fuzz_replays = $(fuzz_targets:=-replay)
check_PROGRAMS += $(fuzz_replays)
fuzz_form_replay_SOURCES = fuzz/fuzz-form.c fuzz/replay.c $(fuzz_common)
fuzz_signature_replay_SOURCES = fuzz/fuzz-signature.c fuzz/replay.c \
	$(fuzz_common)
fuzz_reply_replay_SOURCES = fuzz/fuzz-reply.c fuzz/replay.c $(fuzz_common)
fuzz_conffile_replay_SOURCES = fuzz/fuzz-conffile.c fuzz/replay.c \
	$(fuzz_common)
fuzz_twiml_replay_SOURCES = fuzz/fuzz-twiml.c fuzz/xml.c fuzz/xml.h \
	fuzz/replay.c $(fuzz_common)
fuzz_routes_replay_SOURCES = fuzz/fuzz-routes.c fuzz/replay.c \
	$(fuzz_common)
fuzz_transfer_replay_SOURCES = fuzz/fuzz-transfer.c fuzz/xml.c fuzz/xml.h \
	fuzz/replay.c $(fuzz_common)
fuzz_caller_replay_SOURCES = fuzz/fuzz-caller.c fuzz/replay.c $(fuzz_common)
fuzz_redis_replay_SOURCES = fuzz/fuzz-redis.c fuzz/replay.c $(fuzz_common)
fuzz_log_replay_SOURCES = fuzz/fuzz-log.c fuzz/replay.c $(fuzz_common)

TESTS += tests/fuzz.test
EXTRA_DIST += tests/fuzz.test fuzz/corpus

## The libFuzzer programs; the objects are the replay programs' own, only
## the link differs (libFuzzer brings main()).

fuzz_fuzzers = $(fuzz_targets:=-fuzzer)
EXTRA_PROGRAMS = $(fuzz_fuzzers)
fuzz_form_fuzzer_SOURCES = fuzz/fuzz-form.c $(fuzz_common)
fuzz_signature_fuzzer_SOURCES = fuzz/fuzz-signature.c $(fuzz_common)
fuzz_reply_fuzzer_SOURCES = fuzz/fuzz-reply.c $(fuzz_common)
fuzz_conffile_fuzzer_SOURCES = fuzz/fuzz-conffile.c $(fuzz_common)
fuzz_twiml_fuzzer_SOURCES = fuzz/fuzz-twiml.c fuzz/xml.c fuzz/xml.h \
	$(fuzz_common)
fuzz_routes_fuzzer_SOURCES = fuzz/fuzz-routes.c $(fuzz_common)
fuzz_transfer_fuzzer_SOURCES = fuzz/fuzz-transfer.c fuzz/xml.c fuzz/xml.h \
	$(fuzz_common)
fuzz_caller_fuzzer_SOURCES = fuzz/fuzz-caller.c $(fuzz_common)
fuzz_redis_fuzzer_SOURCES = fuzz/fuzz-redis.c $(fuzz_common)
fuzz_log_fuzzer_SOURCES = fuzz/fuzz-log.c $(fuzz_common)
fuzz_form_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_signature_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_reply_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_conffile_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_twiml_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_routes_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_transfer_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_caller_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_redis_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_log_fuzzer_LDFLAGS = -fsanitize=fuzzer

## make fuzz [FUZZ_SECONDS=60] [FUZZ_FLAGS=...]: each target in turn, one
## at a time, on its committed corpus. New inputs and crashes go to
## fuzz/work/<name>/ in the build tree, never into the source tree; a crash
## or sanitizer report fails make fuzz. make fuzz-merge then adds to a copy
## of each corpus only the new inputs that reach new edges (-merge=1 with
## -use_counters=0, which keeps the set small), in fuzz/work/<name>/merged,
## to be copied into fuzz/corpus/<name>.

FUZZ_SECONDS = 60
FUZZ_FLAGS =
fuzz_env = ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

if FUZZING
fuzz: $(fuzz_fuzzers)
	@failed=; \
	for p in $(fuzz_targets); do \
		t=$${p#fuzz/}; w=fuzz/work/$$t; \
		mkdir -p $$w/corpus $$w/crashes || exit 1; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s ($$w/fuzzer.log)"; \
		$(fuzz_env) ./$$p-fuzzer -max_total_time=$(FUZZ_SECONDS) \
		    -timeout=10 -print_final_stats=1 \
		    -artifact_prefix=$$w/crashes/ $(FUZZ_FLAGS) \
		    $$w/corpus $(srcdir)/fuzz/corpus/$$t >$$w/fuzzer.log 2>&1; \
		rc=$$?; \
		execs=`sed -n 's/^stat::number_of_executed_units: *//p' \
		    $$w/fuzzer.log`; \
		new=`ls $$w/corpus | wc -l | tr -d ' '`; \
		echo "fuzz: $$t: $${execs:-?} executions," \
		    "$$new inputs found so far in $$w/corpus"; \
		if test $$rc -ne 0; then \
			grep -A 20 -e '^==.*ERROR' -e 'runtime error' \
			    -e 'property violated' $$w/fuzzer.log | head -40; \
			echo "fuzz: $$t FAILED (exit $$rc)," \
			    "crashes in $$w/crashes:"; \
			ls $$w/crashes; \
			failed="$$failed $$t"; \
		fi; \
	done; \
	test -z "$$failed" || { echo "fuzz: failed:$$failed" >&2; exit 1; }

fuzz-merge: $(fuzz_fuzzers)
	@for p in $(fuzz_targets); do \
		t=$${p#fuzz/}; w=fuzz/work/$$t; \
		rm -rf $$w/merged && mkdir -p $$w/merged $$w/corpus || exit 1; \
		cp $(srcdir)/fuzz/corpus/$$t/* $$w/merged/ || exit 1; \
		before=`ls $$w/merged | wc -l`; \
		$(fuzz_env) ./$$p-fuzzer -merge=1 -use_counters=0 \
		    $$w/merged $$w/corpus \
		    >$$w/merge.log 2>&1 || { tail $$w/merge.log; exit 1; }; \
		echo "fuzz-merge: $$t: `ls $$w/merged | wc -l` inputs" \
		    "($$before before) in $$w/merged"; \
	done
else
fuzz fuzz-merge:
	@echo "make $@: configure with CC=clang --enable-fuzzing first" >&2; \
	exit 1
endif

clean-local: fuzz-clean
fuzz-clean:
	-rm -rf fuzz/work $(fuzz_fuzzers)

.PHONY: fuzz fuzz-merge fuzz-clean
