# issue 11: `forward_probs` in `torch.inference_mode` (was `torch.no_grad`): the same numbers, and how much host time
# a forward it saves (`bench/grad_probe.py`, both GPUs at once, 400 rows); then `seed` on 2 GPUs and 1 (2,000 rows).
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12; nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p .benchw/gp .benchw/s2k
timeout 300 python3 bench/grad_probe.py --rows 400 --out .benchw/gp --workdir .benchw \
  --gpus 0,1 > .benchw/gp/probe.txt 2>&1
cp .benchw/gp/probe.txt $OUT/ 2>/dev/null
grep -v "Loading weights\|Writing model\|warn" .benchw/gp/probe.txt | cut -c1-600 | tail -n 14
echo "probe done at $(( $(date +%s) - T0 )) s"
timeout $(( 580 - $(date +%s) + T0 )) python3 bench/e2e.py --rows 2000 --out .benchw/s2k --workdir .benchw \
  --budget $(( 560 - $(date +%s) + T0 )) --runs ${RUNS:-seed:2,seed:1} > .benchw/s2k/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s2k
grep -v "Loading weights\|Writing model\|warn" .benchw/s2k/e2e.txt | cut -c1-900 | tail -n 16
echo "elapsed $(( $(date +%s) - T0 )) s"
