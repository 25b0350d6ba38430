# issue 11: where a `seed` worker's load goes (transformers' bitsandbytes path, profiled), against a load that builds
# bitsandbytes' 4-bit layers from the checkpoint's tensors itself (a prototype in bench/seed_load_probe.py).
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1; git status --short | head -12; nvidia-smi --query-gpu=name,memory.total --format=csv
python3 -c "import transformers, torch; print(transformers.__version__, torch.__version__)"
mkdir -p .benchw
timeout 480 python3 bench/seed_load_probe.py --workdir .benchw --rounds 2 > .benchw/probe.txt 2>&1
cp .benchw/probe.txt $OUT/
grep -v "Loading weights\|Writing model\|warn\|kernels" .benchw/probe.txt | grep "^{\|built\|Error\|error" | cut -c1-1500
echo "elapsed $(( $(date +%s) - T0 )) s"
