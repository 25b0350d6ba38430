# issue 11: a `seed` pair (held 4-bit weights, forward in inference mode) on another fresh machine; issue 15: the
# Ray path with its new input checks (`checked_rows`), on a running cluster (item 7), 6,000 rows.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
chmod +x /tmp/site/ray/core/src/ray/gcs/gcs_server /tmp/site/ray/core/src/ray/raylet/raylet; find /tmp/site/ray -path "*bin*" -type f -exec chmod +x {} +
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12; nvidia-smi --query-gpu=name --format=csv,noheader
mkdir -p .benchw/s2k .benchw/r6k
timeout 300 python3 bench/e2e.py --rows 2000 --out .benchw/s2k --workdir .benchw --budget 280 \
  --runs ${RUNS:-seed:2,seed:1} > .benchw/s2k/e2e.txt 2>&1
grep -v "Loading weights\|Writing model\|warn" .benchw/s2k/e2e.txt | cut -c1-900 | tail -n 8
LEFT=$(( 580 - $(date +%s) + T0 ))
timeout $LEFT python3 bench/ray_e2e.py --rows 6000 --out .benchw/r6k --workdir .benchw --budget $(( LEFT - 15 )) \
  --runs ${RAYRUNS:-fast:cold,fast,fast:cluster} > .benchw/r6k/next.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s2k r6k
grep -v "Loading weights\|Writing model" .benchw/r6k/next.txt | cut -c1-700 | tail -n 8
grep -H "^ray:" .benchw/r6k/*.log | cut -c1-450
echo "elapsed $(( $(date +%s) - T0 )) s"
