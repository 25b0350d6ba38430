# issue 11: workers compile a twin while the replica loads (commit below). fast 1 GPU against 2 on 2k rows (as calls
# 17-19: no bytecode cache), twin_check on the GPU, then fast-8bit and fast-4bit on 1 and 2 GPUs (600 rows).
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv
git log --oneline -1; git status --short | head
mkdir -p $OUT/r
NAME=t2k; mkdir -p .benchw/$NAME
LEFT=$(( 585 - ($(date +%s) - T0) ))
timeout $LEFT python3 bench/e2e.py --rows 2000 --out .benchw/$NAME --workdir .benchw --budget $(( LEFT - 200 )) \
  --runs fast:2:cold,fast:2:warm,fast:1:warm > .benchw/$NAME/$NAME.txt 2>&1
TORCHINDUCTOR_CACHE_DIR=.benchw/$NAME/cache-fast timeout 90 python3 bench/twin_check.py --base .benchw/base4bit \
  --lora .benchw/lora --preset fast > .benchw/$NAME/twin_check.txt 2>&1
tail -n 3 .benchw/$NAME/twin_check.txt
NAME2=p600; mkdir -p .benchw/$NAME2
LEFT=$(( 585 - ($(date +%s) - T0) ))
[ $LEFT -gt 80 ] && timeout $LEFT python3 bench/e2e.py --rows 600 --out .benchw/$NAME2 --workdir .benchw --budget $(( LEFT - 10 )) \
  --runs fast-8bit:2:cold,fast-8bit:1:warm,fast-4bit:2:cold,fast-4bit:1:warm > .benchw/$NAME2/$NAME2.txt 2>&1
tar czf $OUT/$NAME.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw $NAME $NAME2
grep -v "Loading weights\|Writing model" .benchw/$NAME/$NAME.txt .benchw/$NAME2/$NAME2.txt | cut -c1-700 | tail -n 14
echo "elapsed $(( $(date +%s) - T0 )) s"
