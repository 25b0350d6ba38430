# issue 11: where runs of one preset part. Call 28: fast-8bit's 600-row files differ between runs (2 GPUs cold vs
# warm too), and fast's twin_check packs differ between processes whose weights are identical. Each process here:
# one 8k pack's probabilities and the sums of the embeddings' and each layer's output (--trace), loaded then
# compiled (--sequential). Groups: fast-8bit as shipped, with CUBLAS_WORKSPACE_CONFIG=:4096:8, with
# torch.use_deterministic_algorithms (uninitialized memory filled with NaN), and fast.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
nvidia-smi --query-gpu=name,memory.total --format=csv
git log --oneline -1; git status --short | head
R=.benchw/r9; mkdir -p $R
python3 bench/e2e.py --rows 50 --out .benchw/x --workdir .benchw --runs fast:1:cold --budget 1 > $R/build.txt 2>&1
echo "built at $(( $(date +%s) - T0 )) s"
B=.benchw/base4bit; L=.benchw/lora
tc() { TORCHINDUCTOR_CACHE_DIR=.benchw/cache9-$1 timeout 120 python3 bench/twin_check.py --base $B --lora $L \
  --preset $2 --capacities 8192 --device $3 --packs 2 --sequential --save $R/$4.npy --trace $R/$4.tr.npy "${@:5}" \
  > $R/$4.txt 2>&1; tail -qn 1 $R/$4.txt | cut -c1-200; }
pair() { tc $1 $2 cuda:0 $3-0 "${@:4}" & tc $1 $2 cuda:1 $3-1 "${@:4}" & wait; echo "$3 at $(( $(date +%s) - T0 )) s"; }
pair 8b fast-8bit 8b_a
pair 8b fast-8bit 8b_b
pair 8b fast-8bit 8b_c
export CUBLAS_WORKSPACE_CONFIG=:4096:8
pair 8b fast-8bit 8bw_a
pair 8b fast-8bit 8bw_b
unset CUBLAS_WORKSPACE_CONFIG
[ $(( $(date +%s) - T0 )) -lt 400 ] && pair 8bd fast-8bit 8bd_a --det-algos
[ $(( $(date +%s) - T0 )) -lt 440 ] && pair 8bd fast-8bit 8bd_b --det-algos
[ $(( $(date +%s) - T0 )) -lt 470 ] && pair f fast f_a
[ $(( $(date +%s) - T0 )) -lt 500 ] && pair f fast f_b
python3 - <<'PY'
import numpy as np, glob, os, itertools
out = ".benchw/r9"
names = sorted(os.path.basename(f)[:-7] for f in glob.glob(out + "/*.tr.npy"))
p = {n: np.load(f"{out}/{n}.npy") for n in names}
t = {n: np.load(f"{out}/{n}.tr.npy") for n in names}
for g in sorted({n.split("_")[0] for n in names}):
    members = [n for n in names if n.split("_")[0] == g]
    for a, b in itertools.combinations(members, 2):
        d = np.abs(t[a] - t[b]).max(1)
        first = int(np.flatnonzero(d > 0)[0]) if (d > 0).any() else None
        print(f"{a} vs {b}: max |dp| {np.abs(p[a] - p[b]).max():.3g}; first differing output: {first}"
              " (0: embeddings, i: layer i)" + (f", rel {d[first] / np.abs(t[a][first]).max():.2g}" if first is not None else ""))
    nan = [n for n in members if not np.isfinite(t[n]).all()]
    if nan: print(f"{g}: not finite in {nan}")
PY
tar czf $OUT/r9.tgz -C .benchw r9
echo "elapsed $(( $(date +%s) - T0 )) s"
