# issue 11 (next session): the shipped deterministic algorithms end to end, as users run it (no sitecustomize):
# fast-8bit and fast, 600 rows, 2 GPUs cold and warm, 1 GPU warm; every file compared; the workers' load seconds
# against call 28 (about 5 s), since the algorithms now turn on while the twin compiles beside the load.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -3
R=.benchw/rdet; mkdir -p $R
timeout 540 python3 bench/e2e.py --rows 600 --out $R --workdir .benchw --budget 500 \
  --runs fast-8bit:2:cold,fast-8bit:2:warm,fast-8bit:1:warm,fast:2:cold,fast:2:warm,fast:1:warm > $R/det.txt 2>&1
grep -v "Loading weights\|Writing model" $R/det.txt | cut -c1-300 | tail -n 12
python3 - <<'PY'
import pandas as pd, numpy as np, itertools, os
for p in ("fast-8bit", "fast"):
    d = {n: pd.read_csv(f".benchw/rdet/{p}-{n}.csv").set_index("id").sort_index()
         for n in ("2-cold", "2-warm", "1-warm") if os.path.exists(f".benchw/rdet/{p}-{n}.csv")}
    for a, b in itertools.combinations(d, 2):
        x = np.abs(d[a].values - d[b].values).max(1)
        print(f"{p} {a} vs {b}: max |dp| {x.max():.3g}, rows differing {(x > 0).sum()} of {len(x)}")
PY
grep -hi "warn" $R/*.log | sort | uniq -c | head
tar czf $OUT/rdet.tgz --exclude='cache-*' --exclude=rows.csv -C .benchw rdet
echo "elapsed $(( $(date +%s) - T0 )) s"
