#!/usr/bin/env bash
# Benchmark: `oco-report build 2021` against DuckDB computing the same headline aggregates over
# the same CSV files, at 10k, 100k and 1M dossiers (10 pageview rows per dossier: 10M at the top).
#
#   bench/run.sh [--sizes "10000 100000 1000000"] [--runs 5] [--schools-by typed|brin] [--work DIR]
#
# The data sets name their schools as OCO's CRM does, by typed names (`--schools-by typed`, the
# default: one dossier in three names no school, most others a name in some spelling); with
# `--schools-by brin` most dossiers give a brin, as an export with registry codes would.
#
# - builds `oco-report` and the generator (release), generates each data set once per size
#   (seeded: the same bytes every time; kept in the work folder, default /tmp/oco-bench);
# - installs DuckDB from PyPI into a virtualenv in the work folder (DUCKDB_VERSION to pin another);
# - per size: after one untimed run of each, runs `oco-report build` and
#   `bench/duckdb_aggregates.py` RUNS times each, alternating (so a slow spell of the machine
#   falls on both sides), timed by
#   /usr/bin/time -v (wall clock, peak RSS), and checks once that DuckDB's aggregates equal the
#   figures oco-report wrote (figures.json);
# - prints a markdown table (median wall time, best time, peak memory, ratio against DuckDB) and
#   writes it to WORK/results.md.
#
# Times are only taken while no cargo/rustc runs on the machine (it waits for them).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

SIZES="10000 100000 1000000"
RUNS=5
SCHOOLS_BY=typed
WORK=/tmp/oco-bench
DUCKDB_VERSION=${DUCKDB_VERSION:-2.0.1}
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --schools-by) SCHOOLS_BY=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 2; }

echo "bench: building oco-report and the generator (release)" >&2
cargo build --release --quiet --bin oco-report --example generate
BIN=$REPO/target/release/oco-report
GEN=$REPO/target/release/examples/generate

if [ ! -x "$WORK/venv/bin/python" ] || ! "$WORK/venv/bin/python" -c "import duckdb" 2>/dev/null \
   || [ "$("$WORK/venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')" != "$DUCKDB_VERSION" ]; then
  echo "bench: installing duckdb==$DUCKDB_VERSION from PyPI into $WORK/venv" >&2
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet "duckdb==$DUCKDB_VERSION"
fi
PY=$WORK/venv/bin/python

# Waits until no compiler runs, so a build elsewhere on the machine does not skew a timing.
wait_idle() {
  local waited=0
  while pgrep -x rustc >/dev/null || pgrep -x cargo >/dev/null; do
    [ $waited = 0 ] && echo "bench: waiting for cargo/rustc to finish before timing" >&2
    sleep 5; waited=$((waited + 5))
  done
}

# Runs a command under /usr/bin/time -v; prints "WALL_SECONDS PEAK_KB".
timed() {
  local log=$WORK/time.log
  wait_idle
  /usr/bin/time -v -o "$log" "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err" || {
    echo "bench: failed: $*" >&2; cat "$WORK/cmd.err" >&2; exit 1; }
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
    /Maximum resident set size/ { kb = $2 }
    END { printf "%.3f %d\n", wall, kb }' "$log"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -n | head -1; }
maximum() { sort -n | tail -1; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
machine="$(nproc) cores ($cpu), $mem RAM, $(uname -sr), $(rustc --version | cut -d' ' -f1-2), DuckDB $DUCKDB_VERSION (Python $("$PY" -c 'import platform; print(platform.python_version())'))"

table=$WORK/results.md
{
  echo "Machine: $machine. Schools named by: $SCHOOLS_BY."
  echo
  echo "| dossiers | pageview rows | input | oco-report build (median / best) | peak RSS (MiB) | RSS ÷ input | DuckDB queries (median / best) | DuckDB process | DuckDB peak RSS (MiB) | ratio oco ÷ DuckDB queries | ratio oco ÷ DuckDB process |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$table"

for n in $SIZES; do
  rows=$((n * 10))
  data=$WORK/data-$SCHOOLS_BY-$n
  if [ ! -f "$data/.done-$rows" ]; then
    echo "bench: generating $n dossiers, $rows pageview rows into $data" >&2
    rm -rf "$data"
    "$GEN" --dossiers "$n" --pageview-rows "$rows" --schools-by "$SCHOOLS_BY" --out "$data"
    touch "$data/.done-$rows"
  fi
  # Written data out to disk before timing (a build syncs its output, which would otherwise
  # wait for the generator's writes), and one untimed run of each side: both read from the
  # page cache.
  sync
  "$BIN" build 2021 --data "$data" --out "$WORK/out-$n" 2>/dev/null
  "$PY" "$REPO/bench/duckdb_aggregates.py" "$data" >/dev/null
  input_bytes=$(cat "$data"/*.csv | wc -c)
  out=$WORK/out-$n
  : >"$WORK/oco.times"; : >"$WORK/oco.rss"; : >"$WORK/duck.times"; : >"$WORK/duck.wall"; : >"$WORK/duck.rss"
  "$PY" "$REPO/bench/duckdb_aggregates.py" "$data" --figures "$out/figures.json" >&2
  for run in $(seq "$RUNS"); do
    read -r wall kb < <(timed "$BIN" build 2021 --data "$data" --out "$out")
    echo "$wall" >>"$WORK/oco.times"; echo "$kb" >>"$WORK/oco.rss"
    echo "bench: $n dossiers: oco-report build ${wall}s, ${kb} KB" >&2
    read -r wall kb < <(timed "$PY" "$REPO/bench/duckdb_aggregates.py" "$data")
    q=$(sed -n 's/^QUERY_SECONDS=//p' "$WORK/cmd.out")
    echo "$q" >>"$WORK/duck.times"; echo "$wall" >>"$WORK/duck.wall"; echo "$kb" >>"$WORK/duck.rss"
    echo "bench: $n dossiers: duckdb queries ${q}s (process ${wall}s, ${kb} KB)" >&2
  done
  oco_med=$(median <"$WORK/oco.times"); oco_best=$(minimum <"$WORK/oco.times")
  oco_kb=$(maximum <"$WORK/oco.rss")
  duck_med=$(median <"$WORK/duck.times"); duck_best=$(minimum <"$WORK/duck.times")
  duck_wall=$(median <"$WORK/duck.wall"); duck_kb=$(maximum <"$WORK/duck.rss")
  awk -v n="$n" -v rows="$rows" -v bytes="$input_bytes" -v om="$oco_med" -v ob="$oco_best" \
      -v okb="$oco_kb" -v dm="$duck_med" -v db="$duck_best" -v dw="$duck_wall" -v dkb="$duck_kb" '
    function num(x,   s, out) {
      s = sprintf("%d", x); out = ""
      while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
      return s out
    }
    BEGIN {
      printf "| %s | %s | %.1f MB | %.2f s / %.2f s | %.0f | %.2f | %.2f s / %.2f s | %.2f s | %.0f | %.2f | %.2f |\n",
        num(n), num(rows), bytes / 1e6, om, ob, okb / 1024, okb * 1024 / bytes, dm, db, dw, dkb / 1024, om / dm, om / dw
    }' >>"$table"
done

echo >&2
cat "$table"
