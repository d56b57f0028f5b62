# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, BUILD, T and helpers).
#
# kmscope.service started by systemd: `make install` into a scratch root,
# then a systemd-nspawn container (Debian's systemd-container, installed by
# scripts/setup.sh) boots this machine's systemd over a throwaway root
# (--volatile=yes) with the installed unit and a oneshot driver unit.  The
# driver waits for /healthz, sends `kmgen msgq 100 64`, reads /metrics
# (exactly 100 allocations at load_msg, named: kallsyms was readable under
# the unit's capability bounding set), reads every thread's capabilities,
# stops the unit with systemctl and reads its result, then powers off.
# Once the container is gone no program of kmscope's is left loaded.
if ! command -v systemd-nspawn >/dev/null || [ ! -x /lib/systemd/systemd ]; then
	not_ok "systemd: systemd-nspawn and systemd are installed (scripts/setup.sh installs them)"
	return 0 2>/dev/null || exit 0
fi
SD=$T/systemd
mkdir -p "$SD/out" "$SD/unit"
make -s -C "$DIR/../.." BUILD="$BUILD" DESTDIR="$SD/root" PREFIX=/opt/kmscope install \
	>"$SD/install.log" 2>&1
cp "$KMGEN" "$SD/root/opt/kmscope/kmgen"
cat >"$SD/unit/kmscope-test.service" <<'UNIT'
[Unit]
Description=kmscope live test driver
Wants=kmscope.service
After=kmscope.service

[Service]
Type=oneshot
ExecStart=/opt/kmscope/driver.sh
UNIT
cat >"$SD/root/opt/kmscope/driver.sh" <<'DRIVER'
#!/bin/bash
out=/out/result
url=http://127.0.0.1:9465
for i in $(seq 150); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' $url/healthz)" = 200 ] && break
	sleep 0.2
done
echo "healthz $(curl -s -o /dev/null -w '%{http_code}' $url/healthz) $(systemctl is-active kmscope)" >>$out
/opt/kmscope/kmgen msgq 100 64 >/dev/null
sleep 2.5
curl -s $url/metrics >/out/metrics
# (No awk: it is an /etc/alternatives link, and /etc is empty here.)
echo "load_msg $(sed -n 's/^kmscope_allocations_total{site="load_msg+[^"]*"} //p' /out/metrics)" >>$out
pid=$(systemctl show -p MainPID --value kmscope)
echo "caps $(cat /proc/$pid/task/*/status | sed -n 's/^CapEff:\t*//p' | sort -u | tr '\n' ' ')" >>$out
timeout 30 systemctl stop kmscope
echo "stop $? $(systemctl show -p ActiveState --value kmscope) $(systemctl show -p Result --value kmscope) $(systemctl show -p ExecMainStatus --value kmscope)" >>$out
journalctl -u kmscope --no-pager >/out/journal 2>&1
systemctl poweroff
DRIVER
chmod +x "$SD/root/opt/kmscope/driver.sh"
before=" $(kms_ids) "
timeout 180 systemd-nspawn -q --directory=/ --volatile=yes --register=no --keep-unit \
	--capability=all --system-call-filter='bpf perf_event_open' \
	--bind-ro="$SD/root/opt/kmscope:/opt/kmscope" \
	--bind-ro="$SD/root/opt/kmscope/lib/systemd/system/kmscope.service:/etc/systemd/system/kmscope.service" \
	--bind-ro="$SD/unit/kmscope-test.service:/etc/systemd/system/kmscope-test.service" \
	--bind="$SD/out:/out" \
	-b -- systemd.unit=kmscope-test.service systemd.firstboot=off \
	>"$SD/console.log" 2>&1 </dev/null
nrc=$?
left=""
for id in $(kms_ids); do case "$before" in *" $id "*) ;; *) left="$left $id" ;; esac; done
why="$(cat "$SD/out/result" "$SD/out/journal" 2>&1 | tail -12)"
expect_eq "systemd: the container booted and powered off (systemd-nspawn exit 0)" "$nrc" 0 \
	"$(sed 's/\x1b\[[0-9;]*m//g' "$SD/console.log" | grep -iE 'fail|kmscope' | tail -8)"
expect_eq "systemd: kmscope.service started: /healthz 200, unit active" \
	"$(sed -n 's/^healthz //p' "$SD/out/result" 2>/dev/null)" "200 active" "$why"
expect_eq "systemd: /metrics counts exactly the 100 messages at load_msg (named: kallsyms readable)" \
	"$(sed -n 's/^load_msg //p' "$SD/out/result" 2>/dev/null)" 100 "$why"
expect_eq "systemd: under the unit every thread holds only CAP_DAC_OVERRIDE" \
	"$(sed -n 's/^caps //p' "$SD/out/result" 2>/dev/null)" "0000000000000002 " "$why"
expect_eq "systemd: systemctl stop: exit 0, inactive, result success, exit status 0" \
	"$(sed -n 's/^stop //p' "$SD/out/result" 2>/dev/null)" "0 inactive success 0" "$why"
expect_eq "systemd: nothing of kmscope's left loaded" "${left:-none}" none
