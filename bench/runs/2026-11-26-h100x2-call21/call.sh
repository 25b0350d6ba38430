# issue 15 item 7, part 2 of 2, on part 1's machine (caches warm): local against Ray, and Ray on 8 CPUs.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
git log --oneline -1
ls /tmp/pyc > /dev/null && echo "pyc files: $(find /tmp/pyc -name '*.pyc' | wc -l)"
mkdir -p $OUT/r
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
NAME=r6k; mkdir -p .benchw/$NAME
nvidia-smi --query-gpu=timestamp,index,utilization.gpu,memory.used --format=csv,noheader -l 5 > .benchw/$NAME/smi2.log 2>&1 &
SMI=$!
LEFT=$(( 585 - ($(date +%s) - T0) ))
timeout $LEFT python3 bench/ray_e2e.py --rows 6000 --out .benchw/$NAME --workdir .benchw \
  --runs fast,fast:ray,fast:ray+cpus=8,fast:ray --budget $(( LEFT - 15 )) > .benchw/$NAME/part2.txt 2>&1
kill $SMI
tar czf $OUT/$NAME.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw $NAME
grep -v "Loading weights\|Writing model" .benchw/$NAME/part2.txt | cut -c1-900 | tail -n 12
echo "elapsed $(( $(date +%s) - T0 )) s"
