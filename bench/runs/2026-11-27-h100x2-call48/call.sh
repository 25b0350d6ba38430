# issue 11: `fast` on 1 and 2 GPUs with the code of 1a80cdc, 2,000 rows, on a fresh machine: an empty compile cache
# first, then two warm pairs in both orders (2 then 1, 1 then 2), each GPU sampled every 2 s.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git status --short | head -5; nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p .benchw/f2k
nvidia-smi --query-gpu=timestamp,index,clocks.sm,clocks.mem,temperature.gpu,power.draw,utilization.gpu \
  --format=csv,noheader,nounits -l 2 > .benchw/f2k/smi.csv &
SMI=$!
timeout 540 python3 bench/e2e.py --rows 2000 --out .benchw/f2k --workdir .benchw --budget 530 \
  --runs ${RUNS:-fast:2:cold,fast:2:warm,fast:1:warm,fast:1:warm,fast:2:warm} > .benchw/f2k/e2e.txt 2>&1
kill $SMI
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw f2k
cp .benchw/f2k/smi.csv $OUT/
grep -v "Loading weights\|Writing model\|warn" .benchw/f2k/e2e.txt | cut -c1-900 | tail -n 30
echo "elapsed $(( $(date +%s) - T0 )) s"
