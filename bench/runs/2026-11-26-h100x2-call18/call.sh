# issue 11: are bytecode caches missing on the device? load_check (LoraLinear vs PEFT, NF4 vs bitsandbytes); fast 1 vs 2 GPUs
# at 2k rows as the machine is, then with a bytecode cache (PYTHONPYCACHEPREFIX) that earlier processes filled
set -x
mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p $OUT/r
python3 - <<'PY' 2>&1 | tee $OUT/r/pyc.txt
import sys, os, importlib.util
print("dont_write_bytecode", sys.flags.dont_write_bytecode, {k: v for k, v in os.environ.items() if k.startswith("PYTHON")})
for m in ["torch._inductor.compile_fx", "transformers.modeling_utils", "gemma_arena.model"]:
    s = importlib.util.find_spec(m)
    print(m, s.cached, os.path.exists(s.cached or ""), "dir writable:", os.access(os.path.dirname(s.origin), os.W_OK))
PY
for pre in "" /tmp/pyc /tmp/pyc; do for i in 1; do
  s=$(date +%s.%N); PYTHONPYCACHEPREFIX=$pre python3 -c "import gemma_arena.cli, torch._inductor.compile_fx"; e=$(date +%s.%N)
  echo "prefix=[$pre] import cli+inductor: $(echo "$e - $s" | bc) s" | tee -a $OUT/r/pyc.txt; done; done
python3 bench/load_check.py --workdir .benchw > $OUT/r/load_check.txt 2>&1; grep '^{' $OUT/r/load_check.txt; tail -n 1 $OUT/r/load_check.txt | cut -c1-300
timeout 200 python3 bench/e2e.py --rows 2000 --out .benchw/e2k --workdir .benchw --runs fast:2:cold,fast:2:warm,fast:1:warm --budget 190 > $OUT/r/e2k.txt 2>&1
mkdir -p $OUT/r/asis; cp .benchw/e2k/*.log .benchw/e2k/*.json $OUT/r/asis/
grep -v "Loading weights\|Writing model" $OUT/r/e2k.txt | cut -c1-700 | tail -n 4
export PYTHONPYCACHEPREFIX=/tmp/pyc
timeout 140 python3 bench/e2e.py --rows 2000 --out .benchw/e2k --workdir .benchw --runs fast:2:warm,fast:1:warm --budget 130 > $OUT/r/e2k_pyc.txt 2>&1
mkdir -p $OUT/r/pyc; cp .benchw/e2k/*.log .benchw/e2k/*.json $OUT/r/pyc/
grep -v "Loading weights\|Writing model" $OUT/r/e2k_pyc.txt | cut -c1-700 | tail -n 4
