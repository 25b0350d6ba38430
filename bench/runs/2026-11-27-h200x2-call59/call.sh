# issue 11: the same `seed` 2-GPU command on one machine computed in 47.6 s and then 57.8 s (call 58's first part,
# recorded with it). Why? The run repeated while sampling, every second, the CPU time stolen by the hypervisor
# (/proc/stat), each GPU's use, clock and power (nvidia-smi), and the python processes' CPU use (top).
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; nvidia-smi --query-gpu=name --format=csv,noheader | head -2
mkdir -p .benchw/s2k
( while true; do echo "$(date +%s.%N | cut -c1-14) $(head -1 /proc/stat)"; sleep 1; done ) > .benchw/s2k/stat.txt &
S1=$!
nvidia-smi --query-gpu=timestamp,index,utilization.gpu,clocks.sm,power.draw,temperature.gpu --format=csv,noheader -lms 1000 > .benchw/s2k/smi.csv &
S2=$!
top -b -d 2 -w 200 | grep -E "^top|python" > .benchw/s2k/top.txt &
S3=$!
timeout ${LIMIT:-300} python3 bench/e2e.py --rows 2000 --out .benchw/s2k --workdir .benchw --budget $(( ${LIMIT:-300} - 10 )) \
  --runs ${RUNS:-seed:2:warm:a,seed:2:warm:b,seed:2:warm:c} > .benchw/s2k/e2e.txt 2>&1
kill $S1 $S2 $S3
python3 bench/steal.py .benchw/s2k
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s2k
cp .benchw/s2k/smi.csv $OUT/
grep -v "Loading weights\|Writing model\|warn" .benchw/s2k/e2e.txt | cut -c1-300 | tail -n 8
echo "elapsed $(( $(date +%s) - T0 )) s"
