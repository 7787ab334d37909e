#!/bin/sh
# A stand-in for tqtop in the harness self-test: prints a clock line and
# each key it reads, and keeps the sync file as tqtop does
# ("<frame> idle <keys>").
sync=$1
frame=0 keys=0
stty -icanon -echo min 1
printf 'harness self-test  %s\r\n' "$(date -u +%H:%M:%S)"
printf 'age 3s  retry in 12s  expires in 59m02s   \r\n'
frame=$((frame + 1)); echo "$frame idle $keys" >"$sync"
while c=$(dd bs=1 count=1 2>/dev/null); do
	[ -n "$c" ] || c='<nl>'
	keys=$((keys + 1))
	[ "$c" = q ] && exit 3
	printf 'key %d: %s\r\n' "$keys" "$c"
	frame=$((frame + 1)); echo "$frame idle $keys" >"$sync"
done
