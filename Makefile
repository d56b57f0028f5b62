# SPDX-License-Identifier: GPL-2.0
#
# kmscope build.  Everything generated goes to $(BUILD); the source tree is
# never written to except by `make vmlinux` (which regenerates the committed
# vmlinux.h) and `make format`.
#
#   make            build $(BUILD)/kmscope (installs build deps if missing)
#   make check      unit (ASan/UBSan), replay, live and other-kernel (QEMU) tests; root
#   make bench      overhead benchmarks (root)
#   make run        trace the whole system for 10 s and print `stat` (root)
#   make install    PREFIX=/usr/local DESTDIR= (binary, man pages, bash completion)
#   V=1             show the commands

BUILD		?= build
PREFIX		?= /usr/local
DESTDIR		?=
CC		?= gcc
CLANG		?= clang
BPFTOOL		?= bpftool
VMLINUX_BTF	?= /sys/kernel/btf/vmlinux
ARCH		:= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Build dependencies: run the installer once when a tool or header is missing.
HAVE_DEPS := $(shell command -v $(CLANG) >/dev/null && command -v $(BPFTOOL) >/dev/null && \
	test -f /usr/include/bpf/libbpf.h && test -f /usr/include/gelf.h && \
	test -f /usr/include/zlib.h && test -f /usr/include/json-c/json.h && echo y)
ifneq ($(HAVE_DEPS),y)
$(shell scripts/setup.sh --build >&2)
endif

CFLAGS_COMMON	:= -std=gnu11 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		   -Wmissing-prototypes -Wstrict-prototypes -Wshadow \
		   -Iinclude -Isrc -I$(BUILD) -MMD -MP -D_GNU_SOURCE
CFLAGS		?= -O2
LIBS		:= $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) -lz \
		   $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)

SAN_FLAGS	:= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=undefined

BPF_CFLAGS	:= -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Iinclude -I. -Wall -Werror
# clang -target bpf does not search the host's system include dirs.
CLANG_BPF_SYS_INCLUDES := $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

SRCS		:= $(wildcard src/*.c)
OBJS		:= $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS))
# The pure library the unit tests link: everything but main and the loader.
LIB_SRCS	:= $(filter-out src/main.c src/loader.c src/session.c src/cmd_%.c,$(SRCS))
SAN_OBJS	:= $(patsubst src/%.c,$(BUILD)/san/%.o,$(LIB_SRCS))
UNIT_SRCS	:= $(wildcard tests/unit/test_*.c)
UNIT_BINS	:= $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TOOLS_SRCS	:= $(wildcard tests/live/*.c tests/replay/*.c bench/*.c)
TOOLS_BINS	:= $(patsubst %.c,$(BUILD)/%,$(TOOLS_SRCS))

.PHONY: all check check-unit check-replay check-live check-kernels check-rcu-kernel check-install bench run man install uninstall clean \
	vmlinux format deps tools
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BUILD)/kmscope

deps:
	$(Q)scripts/setup.sh

$(BUILD)/kmscope.bpf.o: bpf/kmscope.bpf.c bpf/*.h include/kmscope_event.h vmlinux.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(CLANG_BPF_SYS_INCLUDES) -c $< -o $@

$(BUILD)/kmscope.skel.h: $(BUILD)/kmscope.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name kmscope_bpf > $@

$(BUILD)/obj/loader.o: $(BUILD)/kmscope.skel.h

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS_COMMON) $(CFLAGS) -c $< -o $@

$(BUILD)/kmscope: $(OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LIBS) -o $@

$(BUILD)/san/%.o: src/%.c | $(BUILD)/san
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(SAN_OBJS) tests/test.h | $(BUILD)/tests
	$(call msg,TEST-CC,$@)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -Itests $< $(SAN_OBJS) $(LIBS) -o $@

$(BUILD)/tests/live/%: tests/live/%.c | $(BUILD)/tests/live
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS_COMMON) $(CFLAGS) $< -o $@

$(BUILD)/tests/replay/%: tests/replay/%.c $(BUILD)/obj/recfile.o | $(BUILD)/tests/replay
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS_COMMON) $(CFLAGS) $< $(BUILD)/obj/recfile.o -lz -o $@

$(BUILD)/bench/tablebench: bench/tablebench.c $(BUILD)/obj/alloc_table.o | $(BUILD)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS_COMMON) $(CFLAGS) $^ -o $@

$(BUILD)/bench/%: bench/%.c | $(BUILD)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS_COMMON) $(CFLAGS) $< -o $@

tools: $(TOOLS_BINS)

$(BUILD) $(BUILD)/obj $(BUILD)/san $(BUILD)/tests $(BUILD)/tests/live $(BUILD)/tests/replay \
$(BUILD)/bench:
	$(Q)mkdir -p $@

check: deps all tools check-unit check-replay check-install check-live check-kernels

check-unit: $(UNIT_BINS)
	$(Q)tests/run-unit.sh $(UNIT_BINS)

check-replay: all tools
	$(Q)tests/replay/run.sh $(BUILD)

# make install into a scratch DESTDIR, then check what it put there.
check-install: all man
	$(Q)rm -rf $(BUILD)/install-test
	$(Q)$(MAKE) -s install DESTDIR=$(abspath $(BUILD))/install-test PREFIX=/usr
	$(Q)tests/install/run.sh $(BUILD) $(abspath $(BUILD))/install-test/usr

check-live: all tools
	$(Q)tests/live/run.sh $(BUILD)

# Debian's stock 6.1 and 6.12 kernels under QEMU (root, ~25 s).
check-kernels: all tools
	$(Q)tests/vm/run.sh $(BUILD)

# A 6.12 kernel built with CONFIG_RCU_TRACE=y (cached in /var/tmp/rcu-kernel; the
# first build takes ~26 min on 2 cores) under QEMU: exercises kms_rcu_bulk.
# Root; not part of `check`.
check-rcu-kernel: all tools
	$(Q)tests/vm/rcu-run.sh $(BUILD)

bench: all tools
	$(Q)bench/run.sh $(BUILD)

run: all
	$(Q)$(BUILD)/kmscope stat -d 10

# Man pages come from the binary's own --help (scripts/mkman.sh, help2man).
man: $(BUILD)/man/kmscope.8

$(BUILD)/man/kmscope.8: $(BUILD)/kmscope scripts/mkman.sh $(wildcard docs/man/*.h2m)
	$(call msg,MAN,$(BUILD)/man)
	$(Q)scripts/mkman.sh $(BUILD)

install: all man
	$(Q)install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	$(Q)install -m 0755 $(BUILD)/kmscope $(DESTDIR)$(PREFIX)/sbin/kmscope
	$(Q)install -m 0644 $(BUILD)/man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	$(Q)install -m 0644 scripts/kmscope.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/kmscope

uninstall:
	$(Q)rm -f $(DESTDIR)$(PREFIX)/sbin/kmscope $(DESTDIR)$(PREFIX)/share/man/man8/kmscope*.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/kmscope

vmlinux:
	$(call msg,GEN,vmlinux.h)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > vmlinux.h.tmp && mv vmlinux.h.tmp vmlinux.h

format:
	$(Q)clang-format -i src/*.c src/*.h bpf/*.c bpf/*.h include/*.h tests/unit/*.c

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/san/*.d $(BUILD)/tests/*.d)
