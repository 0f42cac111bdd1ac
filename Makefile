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

.PHONY: all run test check unit cli lint format asan valgrind bench install clean deps deps-build

all: $(BUILD)/libtfp.a $(BUILD)/libtfp.so $(BUILD)/tfp

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libtfp.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libtfp.so: $(LIB_OBJ)
	$(CC) -shared $(SANITIZE) -Wl,-soname,libtfp.so.0 -o $@ $^ $(LDLIBS)

$(BUILD)/tfp: $(CLI_OBJ) $(BUILD)/libtfp.a
	$(CC) $(SANITIZE) -o $@ $(CLI_OBJ) $(BUILD)/libtfp.a $(LDLIBS)

$(BUILD)/tests/unit: $(TEST_OBJ) $(BUILD)/libtfp.a
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $(TEST_OBJ) $(BUILD)/libtfp.a $(TEST_LDLIBS) $(LDLIBS)

$(TEST_OBJ): ALL_CFLAGS += -Itests/support -Wno-missing-prototypes

# --- the two quick-start commands -------------------------------------------------
run: deps-build
	@$(MAKE) --no-print-directory all
	./$(BUILD)/tfp estimate

test: deps
	@$(MAKE) --no-print-directory check WERROR=-Werror

check: lint unit cli

unit: $(BUILD)/tests/unit
	OPENBLAS_NUM_THREADS=1 ./$(BUILD)/tests/unit --jobs 2

cli: $(BUILD)/tfp
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

bench: all
	sh benchmarks/run.sh

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
	install -m 644 $(BUILD)/libtfp.a $(DESTDIR)$(PREFIX)/lib/libtfp.a
	install -m 755 $(BUILD)/libtfp.so $(DESTDIR)$(PREFIX)/lib/libtfp.so.0
	ln -sf libtfp.so.0 $(DESTDIR)$(PREFIX)/lib/libtfp.so
	install -m 644 include/tfp/*.h $(DESTDIR)$(PREFIX)/include/tfp/
	sed -e 's|@PREFIX@|$(PREFIX)|g' scripts/tfp.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tfp.pc
	install -m 644 scripts/tfp.1 $(DESTDIR)$(PREFIX)/share/man/man1/tfp.1
	cp -r datasets $(DESTDIR)$(PREFIX)/share/tfp/

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
