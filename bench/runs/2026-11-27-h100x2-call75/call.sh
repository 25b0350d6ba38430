# issue 15: the Ray path on the committed code (dea9fa5: `fast` reads its checkpoint with `read_checkpoint`), on
# the machine of call 74 (still warm): local workers cold and warm, `--ray ADDRESS` on a running cluster, bare
# `--ray`; 6,000 rows.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
chmod +x /tmp/site/ray/core/src/ray/gcs/gcs_server /tmp/site/ray/core/src/ray/raylet/raylet; find /tmp/site/ray -path "*bin*" -type f -exec chmod +x {} +
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12; nvidia-smi --query-gpu=name --format=csv,noheader
mkdir -p .benchw/r6k
LEFT=$(( 585 - $(date +%s) + T0 ))
timeout $LEFT python3 bench/ray_e2e.py --rows 6000 --out .benchw/r6k --workdir .benchw --budget $(( LEFT - 15 )) \
  --runs ${RAYRUNS:-fast:cold,fast,fast:cluster,fast:ray} > .benchw/r6k/next.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw r6k
grep -v "Loading weights\|Writing model" .benchw/r6k/next.txt | cut -c1-700 | tail -n 10
grep -H "^ray:" .benchw/r6k/*.log | cut -c1-450
echo "elapsed $(( $(date +%s) - T0 )) s"
