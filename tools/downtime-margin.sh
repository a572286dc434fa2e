#!/bin/sh
# Measure predicted against actual downtime on the sandbox: ROUNDS times, a fresh sandbox of HOSTS hosts at
# 4.3.2 with each database padded by PAD_MB MB, `plan --rehearse`, then `upgrade` of every host at once to 4.4.1,
# all rounds sharing one runs directory (the run history the predictions learn from). Prints one line per host
# and round: predicted and actual downtime in ms and the error. Needs target/omero-fleet.jar and python3.
# usage: tools/downtime-margin.sh [ROUNDS] [HOSTS] [PAD_MB] [WORK_DIR]
set -eu
rounds=${1:-3}; hosts=${2:-4}; pad=${3:-200}; work=${4:-/tmp/downtime-margin}
jar=$(cd "$(dirname "$0")/.." && pwd)/target/omero-fleet.jar
fleet() { java -jar "$jar" "$@"; }
rm -rf "$work"; mkdir -p "$work"
runs=$work/runs
i=1
while [ "$i" -le "$rounds" ]; do
  sb=$work/sandbox$i
  fleet sandbox up --hosts "$hosts" --releases 4.3.2 --pad-mb "$pad" --dir "$sb" >/dev/null
  zip=$sb/releases/OMERO.server-4.4.1-ice34-b3035.zip
  fleet plan -i "$sb/inventory.yml" --release "$zip" --rehearse --runs-dir "$runs" >"$work/plan$i.txt" 2>&1 || true
  fleet upgrade -i "$sb/inventory.yml" --release "$zip" --runs-dir "$runs" >"$work/upgrade$i.txt" 2>&1 || true
  fleet sandbox down --dir "$sb" >/dev/null
  report=$(sed -n 's/^Report: //p' "$work/upgrade$i.txt" | tail -n 1)
  python3 - "$report" "$i" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
for h in run["hosts"]:
    r = h["report"]
    p, a = r["plan_downtime"], r["downtime_actual"]
    pm, am = p["downtime_ms"], a["downtime_ms"]
    src = ", ".join(f'{k} {v["source"]}' for k, v in p["phases"].items())
    print(f'round {sys.argv[2]} {h["host"]} {h["state"]} predicted_ms={pm} actual_ms={am} error={(pm - am) / am * 100:+.0f}% ({src})')
    print(f'    predicted {dict((k, v["ms"]) for k, v in p["phases"].items())}')
    print(f'    actual    {a["phases_ms"]}')
PY
  i=$((i + 1))
done
