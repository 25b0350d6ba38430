# issue 11 item 3 on the GPUs, after the fix of `forward.guarded` (a split waits until the failed pass's memory is
# freed): out of memory on a GPU whose memory another process holds, `seed` and `fast` on one GPU, 300 rows.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -5; nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p .benchw/h300
timeout 560 python3 bench/e2e.py --rows 300 --out .benchw/h300 --workdir .benchw --budget 550 \
  --runs ${RUNS:-seed:1:warm,seed:1:warm:hog8,seed:1:warm:hog7,seed:1:warm:hog6.5,fast:1:cold,fast:1:warm,fast:1:warm:hog21,fast:1:warm:hog19.5,fast:1:warm:hog18} \
  > .benchw/h300/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw h300
grep -v "Loading weights\|Writing model\|warn" .benchw/h300/e2e.txt | cut -c1-900 | tail -n 24
echo "elapsed $(( $(date +%s) - T0 )) s"
