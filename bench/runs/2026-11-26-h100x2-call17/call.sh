# issue 11: seed's LoraLinear vs PEFT and the NF4 reader vs bitsandbytes (load_check); fast and seed, 1 vs 2 GPUs, 2k rows
set -x
mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv
mkdir -p $OUT/r
python3 bench/load_check.py --workdir .benchw > $OUT/r/load_check.txt 2>&1; grep '^{' $OUT/r/load_check.txt; tail -n 2 $OUT/r/load_check.txt | cut -c1-300
timeout 420 python3 bench/e2e.py --rows 2000 --out .benchw/e2k --workdir .benchw --runs fast:2:cold,fast:2:warm,fast:1:warm,seed:2,seed:1 --budget 400 > $OUT/r/e2k.txt 2>&1
cp .benchw/e2k/*.log .benchw/e2k/*.json $OUT/r/ 2>/dev/null
grep -v "Loading weights\|Writing model" $OUT/r/e2k.txt | cut -c1-700 | tail -n 16
