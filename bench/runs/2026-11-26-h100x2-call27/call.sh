# issue 11: after the default-dtype fix, the other compiled presets on 1 and 2 GPUs (600 rows): fast-8bit (its int8
# twin compiles beside the load) and fast-4bit (compiles after its load); each pair's probabilities compared.
set -x
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
nvidia-smi --query-gpu=name,memory.total --format=csv
NAME=p600; mkdir -p .benchw/$NAME
timeout 280 python3 bench/e2e.py --rows 600 --out .benchw/$NAME --workdir .benchw --budget 225 \
  --runs fast-8bit:2:cold,fast-8bit:2:warm,fast-8bit:1:warm,fast-4bit:2:warm,fast-4bit:1:warm > .benchw/$NAME/$NAME.txt 2>&1
tar czf $OUT/$NAME.tgz --exclude='*.csv' --exclude='cache-*' -C .benchw $NAME
grep -v "Loading weights\|Writing model" .benchw/$NAME/$NAME.txt | cut -c1-600 | tail -n 16
echo "elapsed $(( $(date +%s) - T0 )) s"
