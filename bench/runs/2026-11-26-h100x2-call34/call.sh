# issue 15 item 7: Ray against the local workers on 6k rows, with the actors holding one block at a time
# (max_tasks_in_flight_per_actor=1). A fresh machine: the weights are built first.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -3
mkdir -p .benchw/r6k
timeout 575 python3 bench/ray_e2e.py --rows 6000 --out .benchw/r6k --workdir .benchw --budget 555 \
  --runs fast:cold,fast:ray,fast,fast:ray,fast:ray > .benchw/r6k/next.txt 2>&1
tar czf $OUT/r34.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw r6k
grep -v "Loading weights\|Writing model" .benchw/r6k/next.txt | cut -c1-900 | tail -n 22
grep -h "^ray:" .benchw/r6k/*.log
echo "elapsed $(( $(date +%s) - T0 )) s"
