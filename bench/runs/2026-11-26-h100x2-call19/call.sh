# issue 11: fast 1 vs 2 GPUs at 2k rows (NF4 read ahead, the compiler's import counted as compile); the reader's
# in-process seconds against bitsandbytes'; the imports' seconds with and without a bytecode cache
set -x
mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p $OUT/r
timeout 260 python3 bench/e2e.py --rows 2000 --out .benchw/e2k --workdir .benchw --runs fast:2:cold,fast:2:warm,fast:1:warm --budget 250 > $OUT/r/e2k.txt 2>&1
cp .benchw/e2k/*.log .benchw/e2k/*.json $OUT/r/
grep -v "Loading weights\|Writing model" $OUT/r/e2k.txt | cut -c1-700 | tail -n 5
timeout 90 python3 bench/load_check.py --workdir .benchw --only nf4 > $OUT/r/load_check.txt 2>&1; grep '^{' $OUT/r/load_check.txt
imports() { python3 -c "import time; t = time.time(); import gemma_arena.cli, torch._inductor.compile_fx; print('$1', round(time.time() - t, 2))"; }
imports as-is; imports as-is
export -n PYTHONDONTWRITEBYTECODE; unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
imports pyc-first; imports pyc-second; imports pyc-third
