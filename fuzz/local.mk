## Fuzz targets: fuzz/fuzz-<name>.c each define LLVMFuzzerTestOneInput
## (fuzz/fuzz.c has their helpers, fuzz/xml.c the XML checker of twiml).
## Every build links them with fuzz/replay.c into fuzz/replay-<name>, which
## tests/fuzz.test runs over the committed corpora fuzz/corpus/<name>; a
## build configured with --enable-fuzzing (clang) also links them with
## libFuzzer into fuzz/fuzzer-<name>, which make fuzz runs.

fuzz_targets = form signature reply conffile twiml routes transfer caller
fuzz_common = fuzz/fuzz.c fuzz/fuzz.h

## The replay of the corpora, in make check with any compiler.

fuzz_replays = \
	fuzz/replay-form \
	fuzz/replay-signature \
	fuzz/replay-reply \
	fuzz/replay-conffile \
	fuzz/replay-twiml \
	fuzz/replay-routes \
	fuzz/replay-transfer \
	fuzz/replay-caller

check_PROGRAMS += $(fuzz_replays)
fuzz_replay_form_SOURCES = fuzz/fuzz-form.c fuzz/replay.c $(fuzz_common)
fuzz_replay_signature_SOURCES = fuzz/fuzz-signature.c fuzz/replay.c \
	$(fuzz_common)
fuzz_replay_reply_SOURCES = fuzz/fuzz-reply.c fuzz/replay.c $(fuzz_common)
fuzz_replay_conffile_SOURCES = fuzz/fuzz-conffile.c fuzz/replay.c \
	$(fuzz_common)
fuzz_replay_twiml_SOURCES = fuzz/fuzz-twiml.c fuzz/xml.c fuzz/xml.h \
	fuzz/replay.c $(fuzz_common)
fuzz_replay_routes_SOURCES = fuzz/fuzz-routes.c fuzz/replay.c \
	$(fuzz_common)
fuzz_replay_transfer_SOURCES = fuzz/fuzz-transfer.c fuzz/xml.c fuzz/xml.h \
	fuzz/replay.c $(fuzz_common)
fuzz_replay_caller_SOURCES = fuzz/fuzz-caller.c fuzz/replay.c $(fuzz_common)

TESTS += tests/fuzz.test
EXTRA_DIST += tests/fuzz.test fuzz/corpus

## The libFuzzer programs; the objects are the replay programs' own, only
## the link differs (libFuzzer brings main()).

fuzz_fuzzers = \
	fuzz/fuzzer-form \
	fuzz/fuzzer-signature \
	fuzz/fuzzer-reply \
	fuzz/fuzzer-conffile \
	fuzz/fuzzer-twiml \
	fuzz/fuzzer-routes \
	fuzz/fuzzer-transfer \
	fuzz/fuzzer-caller

EXTRA_PROGRAMS = $(fuzz_fuzzers)
fuzz_fuzzer_form_SOURCES = fuzz/fuzz-form.c $(fuzz_common)
fuzz_fuzzer_form_LDFLAGS = -fsanitize=fuzzer
fuzz_fuzzer_signature_SOURCES = fuzz/fuzz-signature.c $(fuzz_common)
fuzz_fuzzer_signature_LDFLAGS = -fsanitize=fuzzer
fuzz_fuzzer_reply_SOURCES = fuzz/fuzz-reply.c $(fuzz_common)
fuzz_fuzzer_reply_LDFLAGS = -fsanitize=fuzzer
fuzz_fuzzer_conffile_SOURCES = fuzz/fuzz-conffile.c $(fuzz_common)
fuzz_fuzzer_conffile_LDFLAGS = -fsanitize=fuzzer
fuzz_fuzzer_twiml_SOURCES = fuzz/fuzz-twiml.c fuzz/xml.c fuzz/xml.h \
	$(fuzz_common)
fuzz_fuzzer_twiml_LDFLAGS = -fsanitize=fuzzer
fuzz_fuzzer_routes_SOURCES = fuzz/fuzz-routes.c $(fuzz_common)
fuzz_fuzzer_routes_LDFLAGS = -fsanitize=fuzzer
fuzz_fuzzer_transfer_SOURCES = fuzz/fuzz-transfer.c fuzz/xml.c fuzz/xml.h \
	$(fuzz_common)
fuzz_fuzzer_transfer_LDFLAGS = -fsanitize=fuzzer
fuzz_fuzzer_caller_SOURCES = fuzz/fuzz-caller.c $(fuzz_common)
fuzz_fuzzer_caller_LDFLAGS = -fsanitize=fuzzer

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
	for t in $(fuzz_targets); do \
		w=fuzz/work/$$t; \
		mkdir -p $$w/corpus $$w/crashes || exit 1; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s ($$w/fuzzer.log)"; \
		$(fuzz_env) ./fuzz/fuzzer-$$t -max_total_time=$(FUZZ_SECONDS) \
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
	@for t in $(fuzz_targets); do \
		w=fuzz/work/$$t; \
		rm -rf $$w/merged && mkdir -p $$w/merged $$w/corpus || exit 1; \
		cp $(srcdir)/fuzz/corpus/$$t/* $$w/merged/ || exit 1; \
		before=`ls $$w/merged | wc -l`; \
		$(fuzz_env) ./fuzz/fuzzer-$$t -merge=1 -use_counters=0 \
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
