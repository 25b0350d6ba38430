# issue 11: the twin beside the load, on both GPUs at once as a 2-GPU run starts (bench/twin_check.py):
# inductor's deterministic mode (shipped) cold and warm, Python's 5 ms switch, and inductor's default autotuning.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv
git log --oneline -1; git status --short | head
mkdir -p $OUT/r
python3 bench/e2e.py --rows 50 --out .benchw/x --workdir .benchw --runs fast:1:cold --budget 1 > $OUT/r/build.txt 2>&1
tail -n 2 $OUT/r/build.txt
B=.benchw/base4bit; L=.benchw/lora
tc() { TORCHINDUCTOR_CACHE_DIR=$1 timeout 150 python3 bench/twin_check.py --base $B --lora $L --device $2 \
  --save $OUT/r/$3.npy "${@:4}" > $OUT/r/$3.txt 2>&1; }
pair() { tc $1 cuda:0 $2-0 "${@:3}" & tc $1 cuda:1 $2-1 "${@:3}" & wait; tail -qn 1 $OUT/r/$2-0.txt $OUT/r/$2-1.txt; echo "at $(( $(date +%s) - T0 )) s"; }
pair .benchw/cache-det det-cold
pair .benchw/cache-det det-warm
pair .benchw/cache-det det-warm-5ms --switch 0.005
[ $(( $(date +%s) - T0 )) -lt 420 ] && TORCHINDUCTOR_DETERMINISTIC=0 pair .benchw/cache-auto auto-cold
python3 - <<'PY'
import numpy as np, glob, os, itertools
out = os.environ["OUT"] + "/r"
p = {os.path.basename(f)[:-4]: np.load(f) for f in sorted(glob.glob(out + "/*.npy"))}
for a, b in itertools.combinations(p, 2): print(f"{a} vs {b}: max |dp| {np.abs(p[a] - p[b]).max():.3g}")
PY
echo "elapsed $(( $(date +%s) - T0 )) s"
