# issue 11: can `seed` hold its 4-bit weights dequantized (read back from bitsandbytes) and compute the same
# numbers with less host and GPU work a batch? (`bench/held_probe.py`, both GPUs at once, 600 rows)
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12; nvidia-smi --query-gpu=name,memory.total --format=csv
python3 -c "import bitsandbytes, torch; print('bnb', bitsandbytes.__version__, 'torch', torch.__version__)"
mkdir -p .benchw/hp
timeout 540 python3 bench/held_probe.py --rows 600 --out .benchw/hp --workdir .benchw \
  --gpus ${GPUS:-0,1} > .benchw/hp/probe.txt 2>&1
cp .benchw/hp/probe.txt $OUT/ 2>/dev/null
grep -v "Loading weights\|Writing model\|warn" .benchw/hp/probe.txt | cut -c1-600 | tail -n 30
echo "elapsed $(( $(date +%s) - T0 )) s"
