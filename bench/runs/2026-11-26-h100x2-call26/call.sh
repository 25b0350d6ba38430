# issues 11 and 15, part 2 of 2, on part 1's machine (bytecode and compile caches warm): the local workers against Ray
# on 6k rows, twice, then the seed's own configuration on the same 6k rows (the headline's baseline).
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head
echo "pyc files: $(find /tmp/pyc -name '*.pyc' 2>/dev/null | wc -l); weights: $(ls .benchw 2>/dev/null | tr '\n' ' ')"
mkdir -p .benchw/r6k .benchw/e6k
timeout 330 python3 bench/ray_e2e.py --rows 6000 --out .benchw/r6k --workdir .benchw --budget 320 \
  --runs fast,fast:ray,fast:ray > .benchw/r6k/part2.txt 2>&1
LEFT=$(( 585 - ($(date +%s) - T0) ))
[ $LEFT -gt 215 ] && timeout $LEFT python3 bench/e2e.py --rows 6000 --out .benchw/e6k --workdir .benchw \
  --budget $(( LEFT - 5 )) --runs seed:2:warm:seedcfg > .benchw/e6k/e6k.txt 2>&1
tar czf $OUT/c26.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw r6k e6k
grep -v "Loading weights\|Writing model" .benchw/r6k/part2.txt .benchw/e6k/e6k.txt | cut -c1-900 | tail -n 22
echo "elapsed $(( $(date +%s) - T0 )) s"
