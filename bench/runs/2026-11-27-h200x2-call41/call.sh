# issue 11 item 3 on the GPUs: a worker killed mid-run, the command killed, and a GPU whose memory another process
# holds (out of memory in a batch, in a single row, in the load). A fresh machine: the weights are built first.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -5; nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p .benchw/f2k .benchw/f300
timeout 330 python3 bench/e2e.py --rows 2000 --out .benchw/f2k --workdir .benchw --budget 320 \
  --runs fast:2:cold,fast:2:warm,fast:2:warm:kill,fast:2:warm:killcli > .benchw/f2k/e2e.txt 2>&1
echo "part 1 at $(( $(date +%s) - T0 )) s"
timeout $(( 560 - $(date +%s) + T0 )) python3 bench/e2e.py --rows 300 --out .benchw/f300 --workdir .benchw \
  --budget $(( 550 - $(date +%s) + T0 )) --runs ${RUNS:-seed:1:warm,seed:1:warm:hog8,seed:1:warm:hog7} \
  > .benchw/f300/e2e.txt 2>&1
nvidia-smi --query-compute-apps=pid,used_memory --format=csv
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw f2k f300
for f in .benchw/f2k/e2e.txt .benchw/f300/e2e.txt; do grep -v "Loading weights\|Writing model\|warn" $f | cut -c1-700 | tail -n 12; done
echo "elapsed $(( $(date +%s) - T0 )) s"
