# The shipped change: expandable segments for the workers of twinned replicas only (`fast`, `fast-8bit`): their
# peaks from an empty compile cache, as call 43 measured them with fixed segments. A fresh machine.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git status --short | head -8; nvidia-smi --query-gpu=name --format=csv
mkdir -p .benchw/z300
timeout 230 python3 bench/e2e.py --rows 300 --out .benchw/z300 --workdir .benchw --budget 220 \
  --runs ${RUNS:-fast:1:cold,fast-8bit:1:cold} > .benchw/z300/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw z300
grep -v "Loading weights\|Writing model\|warn" .benchw/z300/e2e.txt | cut -c1-600 | tail -n 6
echo "elapsed $(( $(date +%s) - T0 )) s"
