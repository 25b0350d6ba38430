# issue 11: does a GPU's `seed` worker compute slower while the other GPU's computes too? (`bench/seed_pair.py`), with
# the machine's CPU and GPU topology. The first try also had cases pinning each worker to its GPU's NUMA node; the
# machine has one node, so they were dropped.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12; nproc
lscpu | grep -i -E "^(Thread|Core|Socket|Model name|CPU\(s\)|NUMA|L3)"; nvidia-smi topo -m 2>&1 | head -8
mkdir -p .benchw/sp
timeout 560 python3 bench/seed_pair.py --rows 600 --out .benchw/sp --workdir .benchw \
  --cases ${CASES:-0,0+1,0,0+1,1} > .benchw/sp/pair.txt 2>&1
cp .benchw/sp/pair.txt $OUT/ 2>/dev/null
grep -v "Loading weights\|Writing model\|warn" .benchw/sp/pair.txt | cut -c1-400 | tail -n 30
echo "elapsed $(( $(date +%s) - T0 )) s"
