# issue 15 item 7, part 1 of 2 (same machine): every process on a bytecode cache (as a pip install leaves one),
# filled by a CPU `demo --ray`; then the local cold run and Ray's first run fill the compile caches.
set -x
T0=$(date +%s)
mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv
git log --oneline -1
mkdir -p $OUT/r
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
s=$(date +%s); CUDA_VISIBLE_DEVICES= timeout 150 python3 -m gemma_arena.launch demo --ray --no-progress --out /tmp/fill.csv > $OUT/r/fill.txt 2>&1
echo "fill rc=$? $(( $(date +%s) - s )) s; pyc files: $(find /tmp/pyc -name '*.pyc' | wc -l)" | tee -a $OUT/r/fill.txt
NAME=r6k; mkdir -p .benchw/$NAME
LEFT=$(( 585 - ($(date +%s) - T0) ))
nvidia-smi --query-gpu=timestamp,index,utilization.gpu,memory.used --format=csv,noheader -l 5 > .benchw/$NAME/smi1.log 2>&1 &
SMI=$!
timeout $LEFT python3 bench/ray_e2e.py --rows 6000 --out .benchw/$NAME --workdir .benchw \
  --runs fast:cold,fast:ray --budget $(( LEFT - 15 )) > .benchw/$NAME/part1.txt 2>&1
kill $SMI
cp .benchw/$NAME/ray_e2e.json .benchw/$NAME/ray_e2e_part1.json
tar czf $OUT/$NAME.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw $NAME
grep -v "Loading weights\|Writing model" .benchw/$NAME/part1.txt | cut -c1-900 | tail -n 8
echo "elapsed $(( $(date +%s) - T0 )) s"
