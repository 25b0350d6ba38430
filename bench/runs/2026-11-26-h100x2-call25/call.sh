# issues 11 and 15, part 1 of 2 (a fresh machine): the compile waits for the load to build its model (the default-dtype
# race), Ray actors load while compiling their first block, a local cluster of 8 CPUs with CPU-less GPU actors, the console
# script's quick exit. Every process on a bytecode cache (as a pip install leaves one). fast 1 GPU against 2 on 2k rows,
# then the local 6k run from an empty compile cache and Ray's first run (which compiles its own blocks' pack sizes).
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
nvidia-smi --query-gpu=name,memory.total --format=csv
git log --oneline -1; git status --short | head
mkdir -p .benchw/e2k .benchw/r6k
timeout 300 python3 bench/e2e.py --rows 2000 --out .benchw/e2k --workdir .benchw --budget 240 \
  --runs fast:2:cold,fast:2:warm,fast:1:warm > .benchw/e2k/e2k.txt 2>&1
echo "e2k done at $(( $(date +%s) - T0 )) s; pyc files: $(find /tmp/pyc -name '*.pyc' | wc -l)"
LEFT=$(( 580 - ($(date +%s) - T0) ))
timeout $LEFT python3 bench/ray_e2e.py --rows 6000 --out .benchw/r6k --workdir .benchw --budget $(( LEFT - 10 )) \
  --runs fast:cold,fast:ray > .benchw/r6k/part1.txt 2>&1
tar czf $OUT/c25.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw e2k r6k
grep -v "Loading weights\|Writing model" .benchw/e2k/e2k.txt .benchw/r6k/part1.txt | cut -c1-900 | tail -n 22
echo "elapsed $(( $(date +%s) - T0 )) s"
