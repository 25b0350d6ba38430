# issue 15 item 7: as calls 53 and 54, on a third fresh machine, in the session's last device seconds: the local
# workers, then two runs on a cluster of its own (`ray start --head`).
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
chmod +x /tmp/site/ray/core/src/ray/gcs/gcs_server /tmp/site/ray/core/src/ray/raylet/raylet; find /tmp/site/ray -path "*bin*" -type f -exec chmod +x {} +
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12; nproc; lscpu | grep -i -E "^(Thread|Core|Socket|Model name|CPU\(s\))"; cat /sys/devices/system/cpu/cpu0/topology/thread_siblings_list
mkdir -p .benchw/r6k
timeout 450 python3 bench/ray_e2e.py --rows 6000 --out .benchw/r6k --workdir .benchw --budget 440 \
  --runs ${RUNS:-fast:cold,fast,fast:cluster,fast:cluster} > .benchw/r6k/next.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw r6k
grep -v "Loading weights\|Writing model" .benchw/r6k/next.txt | cut -c1-600 | tail -n 16
grep -H "^ray:" .benchw/r6k/*.log | cut -c1-450; grep -h "started\|token" .benchw/r6k/*.cluster.log | cut -c1-200 | head -6
echo "elapsed $(( $(date +%s) - T0 )) s"
