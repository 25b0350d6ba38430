# issue 11: why fast-8bit's 1-GPU and 2-GPU files differ (call 27: 3.6e-4) while fast's do not. The same pack's
# probabilities on cuda:0 and cuda:1, each with the twin beside the load and loaded-then-compiled (--sequential), one
# compile cache per device filled first; fast as the control. All pairs compared at the end.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
nvidia-smi --query-gpu=name,memory.total --format=csv
R=.benchw/r8; mkdir -p $R
# first the observation itself again (call 27), each run's file kept: 2 GPUs cold and warm, 1 GPU warm
timeout 200 python3 bench/e2e.py --rows 600 --out $R/p600 --workdir .benchw --budget 150 \
  --runs fast-8bit:2:cold,fast-8bit:2:warm,fast-8bit:1:warm > $R/p600.txt 2>&1
grep "dp\|Error\|error" $R/p600.txt | cut -c1-300
python3 - <<'PY'
import pandas as pd, numpy as np, itertools
d = {n: pd.read_csv(f".benchw/r8/p600/fast-8bit-{n}.csv").set_index("id").sort_index() for n in ("2-cold", "2-warm", "1-warm")}
for a, b in itertools.combinations(d, 2):
    x = np.abs(d[a].values - d[b].values).max(1)
    print(f"e2e {a} vs {b}: max |dp| {x.max():.3g}, rows differing {(x > 0).sum()} of {len(x)}")
PY
echo "e2e done at $(( $(date +%s) - T0 )) s"
B=.benchw/base4bit; L=.benchw/lora
tc() { TORCHINDUCTOR_CACHE_DIR=.benchw/cache-$1 timeout 150 python3 bench/twin_check.py --base $B --lora $L --preset $1 \
  --capacities 8192,4096 --device $2 --packs 2 --save $R/$1_$3.npy --digest $R/$1_$3.dig.npy "${@:4}" > $R/$1_$3.txt 2>&1; tail -qn 1 $R/$1_$3.txt | cut -c1-300; }
for p in fast-8bit fast; do
  [ $(( $(date +%s) - T0 )) -lt 420 ] || break
  tc $p cuda:0 fill0 & tc $p cuda:1 fill1 & wait
  tc $p cuda:0 twin0 & tc $p cuda:1 twin1 & wait
  tc $p cuda:0 seq0 --sequential & tc $p cuda:1 seq1 --sequential & wait
  echo "$p done at $(( $(date +%s) - T0 )) s"
done
python3 - <<'PY'
import numpy as np, glob, os, itertools
out = ".benchw/r8"
for kind in ("probs", "weights"):
    files = [f for f in sorted(glob.glob(out + "/*.npy")) if f.endswith(".dig.npy") == (kind == "weights")]
    p = {os.path.basename(f).split(".")[0]: np.load(f) for f in files}
    for a, b in itertools.combinations(p, 2):
        if a.split("_")[0] != b.split("_")[0]: continue
        d = np.abs(p[a] - p[b])
        print(f"{kind} {a} vs {b}: max |d| {d.max():.3g}" + (f", tensors differing {(d.max(1) > 0).sum()} of {len(d)}"
              + f" first at {np.flatnonzero(d.max(1) > 0)[:5].tolist()}" if kind == "weights" else ""))
PY
tar czf $OUT/r8.tgz --exclude='cache-*' --exclude=rows.csv -C .benchw r8
echo "elapsed $(( $(date +%s) - T0 )) s"
