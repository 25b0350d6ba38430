# issue 11: `seed` with one worker a GPU and with two (`w2`: each GPU computes one worker's batch while the
# other worker's host queues its next), on 1 and 2 GPUs, 2,000 rows, on a fresh machine.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12
mkdir -p .benchw/s2k
timeout 560 python3 bench/e2e.py --rows 2000 --out .benchw/s2k --workdir .benchw --budget 545 \
  --runs ${RUNS:-seed:1,seed:1:warm:w2,seed:2,seed:2:warm:w2} > .benchw/s2k/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s2k
grep -v "Loading weights\|Writing model\|warn" .benchw/s2k/e2e.txt | cut -c1-900 | tail -n 30
echo "elapsed $(( $(date +%s) - T0 )) s"
