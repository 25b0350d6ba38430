# A GPU worker's memory with PyTorch's expandable segments (now the workers' default) against fixed segments
# (PYTORCH_CUDA_ALLOC_CONF set empty, as before): peaks, speed, probabilities, and `fast` with 21 and 20 GiB free.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -5; nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p .benchw/x300 .benchw/y300
PYTORCH_CUDA_ALLOC_CONF= timeout 250 python3 bench/e2e.py --rows 300 --out .benchw/x300 --workdir .benchw \
  --budget 240 --runs fast:1:cold,fast:1:warm,seed:1:warm > .benchw/x300/e2e.txt 2>&1
cp -r .benchw/x300/cache-fast .benchw/y300/
timeout $(( 560 - $(date +%s) + T0 )) python3 bench/e2e.py --rows 300 --out .benchw/y300 --workdir .benchw \
  --budget $(( 550 - $(date +%s) + T0 )) --runs fast:1:warm,seed:1:warm,fast:1:warm:hog21,fast:1:warm:hog20 \
  > .benchw/y300/e2e.txt 2>&1
python3 - <<'PY'
import pandas as pd, numpy as np
for name in ["fast-1-warm", "seed-1-warm"]:
    x, y = (pd.read_csv(f".benchw/{d}/{name}.csv") for d in ("x300", "y300"))
    print(name, "expandable vs fixed segments: max |dp| =", np.abs(x.iloc[:, 1:].to_numpy() - y.iloc[:, 1:].to_numpy()).max())
PY
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw x300 y300
for d in x300 y300; do grep -v "Loading weights\|Writing model\|warn" .benchw/$d/e2e.txt | cut -c1-700 | tail -n 9; done
echo "elapsed $(( $(date +%s) - T0 )) s"
