# issue 11: does a pack's result depend on what ran before it (--interleave), and which part of
# torch.use_deterministic_algorithms makes fast-8bit's runs agree (call 29, 4 of 4): the fill of uninitialized
# memory or the compiled code it changes (nofill). Then the 600-row files end to end with deterministic algorithms on
# in every process (a bench-only sitecustomize): 2 GPUs cold and warm, 1 GPU warm, compared.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
nvidia-smi --query-gpu=name,memory.total --format=csv
git log --oneline -1; git status --short | head -3
R=.benchw/r10; mkdir -p $R
python3 bench/e2e.py --rows 50 --out .benchw/x --workdir .benchw --runs fast:1:cold --budget 1 > $R/build.txt 2>&1
echo "built at $(( $(date +%s) - T0 )) s"
B=.benchw/base4bit; L=.benchw/lora
tc() { TORCHINDUCTOR_CACHE_DIR=.benchw/cache10-$1 timeout 100 python3 bench/twin_check.py --base $B --lora $L \
  --preset fast-8bit --capacities 8192 --device $2 --packs 2 --sequential --interleave --save $R/$3.npy "${@:4}" \
  > $R/$3.txt 2>&1; grep -h "moved\|Error" $R/$3.txt | tail -n 2; }
pair() { tc $1 cuda:0 $2-0 "${@:3}" & tc $1 cuda:1 $2-1 "${@:3}" & wait; echo "$2 at $(( $(date +%s) - T0 )) s"; }
pair 8b 8b_a
pair 8b 8b_b
pair fill fill_a --det-algos fill
pair fill fill_b --det-algos fill
pair nofill nofill_a --det-algos nofill
pair nofill nofill_b --det-algos nofill
python3 - <<'PY'
import numpy as np, glob, os, itertools
out = ".benchw/r10"
p = {os.path.basename(f)[:-4]: np.load(f) for f in sorted(glob.glob(out + "/*.npy"))}
for g in sorted({n.split("_")[0] for n in p}):
    m = [n for n in p if n.split("_")[0] == g]
    d = [np.abs(p[a] - p[b]).max() for a, b in itertools.combinations(m, 2)]
    print(f"{g}: {len(m)} processes, pairs differing {sum(x > 0 for x in d)} of {len(d)}, max |dp| {max(d):.3g}")
PY
LEFT=$(( 585 - ($(date +%s) - T0) ))
[ $LEFT -gt 120 ] && PYTHONPATH=$PWD/.whl/dev/detsite:$PYTHONPATH timeout $LEFT python3 bench/e2e.py --rows 600 \
  --out $R/p600 --workdir .benchw --budget $(( LEFT - 30 )) --runs fast-8bit:2:cold,fast-8bit:2:warm,fast-8bit:1:warm \
  > $R/p600.txt 2>&1
grep -h "sitecustomize" $R/p600/*.log | sort | uniq -c
grep "dp\|rror" $R/p600.txt | cut -c1-300
python3 - <<'PY'
import pandas as pd, numpy as np, itertools, os
d = {n: pd.read_csv(f".benchw/r10/p600/fast-8bit-{n}.csv").set_index("id").sort_index()
     for n in ("2-cold", "2-warm", "1-warm") if os.path.exists(f".benchw/r10/p600/fast-8bit-{n}.csv")}
for a, b in itertools.combinations(d, 2):
    x = np.abs(d[a].values - d[b].values).max(1)
    print(f"e2e {a} vs {b}: max |dp| {x.max():.3g}, rows differing {(x > 0).sum()} of {len(x)}")
PY
tail -n 5 $R/p600.txt | cut -c1-200
tar czf $OUT/r10.tgz --exclude='cache-*' --exclude=rows.csv -C .benchw r10
echo "elapsed $(( $(date +%s) - T0 )) s"
