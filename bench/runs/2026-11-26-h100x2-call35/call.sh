# issue 15 item 7: where the ~2 s after Ray's last block go. The ray line now says when each actor's last block
# ended and when the run did. A fresh machine, the session's last device seconds: two Ray runs, no local run.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -3
mkdir -p .benchw/r6k
timeout 262 python3 bench/ray_e2e.py --rows 6000 --out .benchw/r6k --workdir .benchw --budget 250 \
  --runs fast:ray,fast:ray > .benchw/r6k/next.txt 2>&1
tar czf $OUT/r35.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw r6k
grep -v "Loading weights\|Writing model" .benchw/r6k/next.txt | cut -c1-900 | tail -n 8
grep -h "^ray:" .benchw/r6k/*.log
echo "elapsed $(( $(date +%s) - T0 )) s"
