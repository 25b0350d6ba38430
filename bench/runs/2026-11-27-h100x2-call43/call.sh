# The most GPU memory each preset holds as a worker starts (load beside the twin's compile) and computes, from the
# CLI's new "peak GPU memory" (PyTorch's allocator), 300 rows, on a fresh machine (empty compile caches).
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -5; nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p .benchw/p300
timeout 560 python3 bench/e2e.py --rows 300 --out .benchw/p300 --workdir .benchw --budget 550 \
  --runs ${RUNS:-seed:1:warm,fast:1:cold,fast-4bit:1:cold,fast-8bit:1:cold,fast:2:warm,fast:1:warm:hog23} \
  > .benchw/p300/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw p300
grep -v "Loading weights\|Writing model\|warn" .benchw/p300/e2e.txt | cut -c1-900 | tail -n 20
echo "elapsed $(( $(date +%s) - T0 )) s"
