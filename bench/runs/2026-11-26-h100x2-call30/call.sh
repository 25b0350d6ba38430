# issue 15 item 7: Ray's actors pad every pack to the full capacity (one shape, compiled on the twin while they load)
# against the local workers, 6k rows; then a local cluster of 4 CPUs (4 workers started ahead, not 8).
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head
echo "pyc files: $(find /tmp/pyc -name '*.pyc' 2>/dev/null | wc -l); weights: $(ls .benchw 2>/dev/null | tr '\n' ' ')"
mkdir -p .benchw/r6k
timeout 570 python3 bench/ray_e2e.py --rows 6000 --out .benchw/r6k --workdir .benchw --budget 560 \
  --runs fast:cold,fast:ray,fast,fast:ray,fast:ray+cpus=4 > .benchw/r6k/c30.txt 2>&1
tar czf $OUT/c30.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw r6k
grep -v "Loading weights\|Writing model" .benchw/r6k/c30.txt | cut -c1-900 | tail -n 22
echo "elapsed $(( $(date +%s) - T0 )) s"
