# After `model.import_bitsandbytes` (bitsandbytes imported with `torch.compile` deferred): does `fast-4bit`, which
# compiles layers that call bitsandbytes, still compile and run? 300 rows, one GPU, empty then warm compile cache.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
mkdir -p .benchw/q300
timeout 200 python3 bench/e2e.py --rows 300 --out .benchw/q300 --workdir .benchw --budget 190 \
  --runs ${RUNS:-fast-4bit:1:cold,fast-4bit:1:warm} > .benchw/q300/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw q300
grep -v "Loading weights\|Writing model\|warn" .benchw/q300/e2e.txt | cut -c1-900 | tail -n 12
echo "elapsed $(( $(date +%s) - T0 )) s"
