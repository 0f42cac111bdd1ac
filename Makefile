# tfp: productivity analytics engine. One hand-written, non-recursive Makefile.
#   make            build build/libtfp.a, build/libtfp.so and build/tfp
#   make run        estimate on the bundled data (installs missing packages as root)
#   make test       lint, unit tests (Criterion) and CLI tests
#   make asan       the whole suite under AddressSanitizer + UBSan (build-asan/)
#   make valgrind   the CLI tests under valgrind
#   make bench      benchmarks (benchmarks/README.md)
#   make install    PREFIX=/usr/local DESTDIR=
#   make lint format clean deps

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

WARN    = -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes \
          -Wwrite-strings -Wundef -Wdouble-promotion
CFLAGS  ?= -O2 -g
# cairo (charts as SVG; fontconfig finds its font) and libxlsxwriter (workbooks) through pkg-config; the
# fallbacks are Debian's flags, for a first `make` before the packages exist.
PKG_CFLAGS := $(shell pkg-config --cflags cairo fontconfig 2>/dev/null || echo -I/usr/include/cairo)
PKG_LIBS   := $(shell pkg-config --libs cairo fontconfig xlsxwriter 2>/dev/null || \
                echo -lcairo -lfontconfig -lxlsxwriter -lz)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(CFLAGS) $(WARN) $(WERROR) $(SANITIZE) \
          -fPIC -Iinclude $(PKG_CFLAGS) -MMD -MP
LDLIBS  = $(PKG_LIBS) -lgsl -lopenblas -lcsv -lm -lpthread
TEST_LDLIBS = -lcriterion

LAYERS  = util io data prep models analysis report
LIB_SRC = $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
CLI_SRC = $(wildcard src/cli/*.c)
TEST_SRC = $(wildcard tests/support/*.c) $(foreach l,$(LAYERS),$(wildcard tests/$(l)/test_*.c))

LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/obj/%.o)

BUILD_PKGS = gcc libc6-dev make pkg-config libgsl-dev libopenblas-dev libcsv-dev \
             libcairo2-dev libxlsxwriter-dev fonts-dejavu-core
TEST_PKGS  = $(BUILD_PKGS) libcriterion-dev clang-format binutils python3 chromium

.PHONY: all run test check unit cli lint format asan valgrind bench install clean deps deps-build \
        fuzz fuzz-build determinism

all: $(BUILD)/libtfp.a $(BUILD)/libtfp.so $(BUILD)/tfp $(BUILD)/tfp-report

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libtfp.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libtfp.so: $(LIB_OBJ)
	$(CC) -shared $(SANITIZE) -Wl,-soname,libtfp.so.0 -o $@ $^ $(LDLIBS)

# tfp: every command but `report`, which it execs from tfp-report (src/cli/main.c), so that
# no other command loads cairo, fontconfig and libxlsxwriter (--as-needed drops them).
CORE_OBJ = $(filter-out $(BUILD)/obj/src/cli/cmd_report.o $(BUILD)/obj/src/cli/main.o,$(CLI_OBJ)) \
           $(BUILD)/obj/src/cli/main_core.o
$(BUILD)/obj/src/cli/main_core.o: src/cli/main.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DTFP_REPORT_EXEC -c $< -o $@

# Nor does it load OpenBLAS: none of its paths calls BLAS (least squares is tfp's own
# tall-skinny QR, never LAPACK: see the fit issue's OpenBLAS 0.3.21 hazard), GSL's few vector
# calls go to GSL's own CBLAS, and loading OpenBLAS (its constructor sizes buffers and starts
# threads) costs about 7 ms per process start on the 2-core VM (benchmarks/README.md).
$(BUILD)/tfp: $(CORE_OBJ) $(BUILD)/libtfp.a
	$(CC) $(SANITIZE) -o $@ $(CORE_OBJ) $(BUILD)/libtfp.a -Wl,--as-needed \
	    $(filter-out -lopenblas,$(LDLIBS))

$(BUILD)/tfp-report: $(CLI_OBJ) $(BUILD)/libtfp.a
	$(CC) $(SANITIZE) -o $@ $(CLI_OBJ) $(BUILD)/libtfp.a $(LDLIBS)

$(BUILD)/tests/unit: $(TEST_OBJ) $(BUILD)/libtfp.a
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $(TEST_OBJ) $(BUILD)/libtfp.a $(TEST_LDLIBS) $(LDLIBS)

$(TEST_OBJ): ALL_CFLAGS += -Itests/support -Wno-missing-prototypes
# The bootstrap's inner loops: -O3 lets GCC vectorise them (src/analysis/bootstrap_kernel.c).
$(BUILD)/obj/src/analysis/bootstrap_kernel.o: ALL_CFLAGS += -O3

# --- the two quick-start commands -------------------------------------------------
run: deps-build
	@$(MAKE) --no-print-directory all
	./$(BUILD)/tfp estimate

test: deps
	@$(MAKE) --no-print-directory check WERROR=-Werror

check: lint unit cli

unit: $(BUILD)/tests/unit
	OPENBLAS_NUM_THREADS=1 ./$(BUILD)/tests/unit --jobs 2

cli: $(BUILD)/tfp $(BUILD)/tfp-report
	OPENBLAS_NUM_THREADS=1 sh tests/cli/run.sh ./$(BUILD)/tfp

# --- checks -------------------------------------------------------------------------
lint: $(LIB_OBJ)
	@clang-format --dry-run -Werror $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(wildcard include/tfp/*.h src/*/*.h tests/support/*.h)
	@sh scripts/check_layers.sh
	@sh scripts/check_symbols.sh $(LIB_OBJ)

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(wildcard include/tfp/*.h src/*/*.h tests/support/*.h)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan WERROR=-Werror CFLAGS="-O1 -g" \
	  SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  unit cli

valgrind: deps
	@$(MAKE) --no-print-directory all
	OPENBLAS_NUM_THREADS=1 TFP_VALGRIND=1 sh tests/cli/run.sh ./$(BUILD)/tfp

# --- fuzzing (libFuzzer, clang) ------------------------------------------------------
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = csv formula estimate cli
FUZZ_PKGS = clang libclang-rt-14-dev
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz-build: deps-build
	@sh scripts/deps.sh $(FUZZ_PKGS)
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="-O1 -g -Dmain=tfp_cli_main" \
	  SANITIZE="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" build-fuzz/libtfp.a $(CLI_OBJ:$(BUILD)/%=build-fuzz/%)
	@for t in $(FUZZ_TARGETS); do \
	  extra=""; [ $$t = cli ] && extra="$(patsubst %,build-fuzz/obj/%,$(CLI_SRC:.c=.o))"; \
	  clang -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -Iinclude \
	    -Dmain=tfp_cli_main -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c tests/fuzz/fuzz_support.c \
	    $$extra build-fuzz/libtfp.a $(LDLIBS) || exit 1; \
	done

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t; \
	  dict=""; [ -f tests/fuzz/$$t.dict ] && dict="-dict=tests/fuzz/$$t.dict"; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  ./build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 \
	    -print_final_stats=1 $$dict -artifact_prefix=build-fuzz/crash-$$t- \
	    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t 2>build-fuzz/fuzz_$$t.log || \
	    { tail -40 build-fuzz/fuzz_$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|Done' build-fuzz/fuzz_$$t.log | tail -2; \
	done

bench: all
	sh benchmarks/run.sh

# --- reading and solving benchmarks (perf; benchmarks/README.md) ---------------------------
.PHONY: bench-build
bench-build: $(BUILD)/bench_read $(BUILD)/bench_ols $(BUILD)/bench_within

$(BUILD)/bench_%: benchmarks/bench_%.c $(BUILD)/libtfp.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libtfp.a $(LDLIBS)

determinism: all
	@$(MAKE) --no-print-directory BUILD=build-O0 CFLAGS="-O0 -g" build-O0/tfp
	OPENBLAS_NUM_THREADS=1 sh tests/determinism.sh ./$(BUILD)/tfp ./build-O0/tfp

# --- packages -------------------------------------------------------------------------
deps:
	@sh scripts/deps.sh $(TEST_PKGS)

deps-build:
	@sh scripts/deps.sh $(BUILD_PKGS)

# --- install ------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/tfp \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/tfp
	install -m 755 $(BUILD)/tfp $(DESTDIR)$(PREFIX)/bin/tfp
	install -d $(DESTDIR)$(PREFIX)/libexec/tfp
	install -m 755 $(BUILD)/tfp-report $(DESTDIR)$(PREFIX)/libexec/tfp/tfp-report
	install -m 644 $(BUILD)/libtfp.a $(DESTDIR)$(PREFIX)/lib/libtfp.a
	install -m 755 $(BUILD)/libtfp.so $(DESTDIR)$(PREFIX)/lib/libtfp.so.0
	ln -sf libtfp.so.0 $(DESTDIR)$(PREFIX)/lib/libtfp.so
	install -m 644 include/tfp/*.h $(DESTDIR)$(PREFIX)/include/tfp/
	sed -e 's|@PREFIX@|$(PREFIX)|g' scripts/tfp.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tfp.pc
	install -m 644 scripts/tfp.1 $(DESTDIR)$(PREFIX)/share/man/man1/tfp.1
	cp -r datasets $(DESTDIR)$(PREFIX)/share/tfp/

clean:
	rm -rf build build-asan build-fuzz build-O0

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
