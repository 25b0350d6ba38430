# issue 11: call 64's machine still held: `seed` on 2 GPUs and 1 again, then `fast` (cold compile cache, then warm)
# on 2 GPUs and 1, with `forward_probs` in `torch.inference_mode` (2,000 rows, weights built by call 64).
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12
mkdir -p .benchw/s2k2
timeout 580 python3 bench/e2e.py --rows 2000 --out .benchw/s2k2 --workdir .benchw --budget 540 \
  --runs ${RUNS:-seed:2,seed:1,fast:2:cold,fast:1:warm,fast:2:warm} > .benchw/s2k2/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s2k2
grep -v "Loading weights\|Writing model\|warn" .benchw/s2k2/e2e.txt | cut -c1-900 | tail -n 20
echo "elapsed $(( $(date +%s) - T0 )) s"
