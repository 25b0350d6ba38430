# issue 11: `seed` on 1 and 2 GPUs, 2,000 rows, two pairs, after the workers import bitsandbytes without the
# compiler (`model.import_bitsandbytes`); and that import alone, as before and deferred, in fresh processes that
# have imported the CLI (what a forked worker has).
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -5; nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p .benchw/s2k
for d in "" --deferred; do
  timeout 60 python3 bench/import_probe.py --after gemma_arena.cli --module bitsandbytes --counts 1,1 $d
done > .benchw/s2k/bnb_import.txt 2>&1
timeout 500 python3 bench/e2e.py --rows 2000 --out .benchw/s2k --workdir .benchw --budget 490 \
  --runs ${RUNS:-seed:2,seed:1,seed:2,seed:1} > .benchw/s2k/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s2k
grep -v kernels .benchw/s2k/bnb_import.txt
grep -v "Loading weights\|Writing model\|warn" .benchw/s2k/e2e.txt | cut -c1-900 | tail -n 30
echo "elapsed $(( $(date +%s) - T0 )) s"
