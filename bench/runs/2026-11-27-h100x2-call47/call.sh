# issue 11: `seed` on 1 and 2 GPUs again, 2,000 rows, on a fresh machine, in both orders (2 then 1, 1 then 2), with
# each GPU's clock, temperature, power and use sampled every 2 s: does a slower 2-GPU run come with a slower GPU?
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git status --short | head -5; nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p .benchw/s2k
nvidia-smi --query-gpu=timestamp,index,clocks.sm,clocks.mem,temperature.gpu,power.draw,utilization.gpu \
  --format=csv,noheader,nounits -l 2 > .benchw/s2k/smi.csv &
SMI=$!
timeout 530 python3 bench/e2e.py --rows 2000 --out .benchw/s2k --workdir .benchw --budget 520 \
  --runs ${RUNS:-seed:2,seed:1,seed:1,seed:2} > .benchw/s2k/e2e.txt 2>&1
kill $SMI
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s2k
cp .benchw/s2k/smi.csv $OUT/
grep -v "Loading weights\|Writing model\|warn" .benchw/s2k/e2e.txt | cut -c1-900 | tail -n 30
echo "elapsed $(( $(date +%s) - T0 )) s"
