# issue 11: one `seed` pair (2 GPUs, then 1; 2,000 rows) with the new load on another fresh machine, in the device
# time left.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
mkdir -p .benchw/s2k
timeout $(( 225 - $(date +%s) + T0 )) python3 bench/e2e.py --rows 2000 --out .benchw/s2k --workdir .benchw \
  --budget 212 --runs ${RUNS:-seed:2,seed:1} > .benchw/s2k/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s2k
grep -v "Loading weights\|Writing model\|warn" .benchw/s2k/e2e.txt | cut -c1-900 | tail -n 8
echo "elapsed $(( $(date +%s) - T0 )) s"
