# issue 11: the 4-bit checkpoint read without bitsandbytes; the fixture made on CUDA; fast 1 vs 2 GPUs at 2k rows
set -x
mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv; git log --oneline -1
mkdir -p $OUT/r
python3 tests/data/make_nf4_sample.py && cp tests/data/nf4_sample.safetensors $OUT/r/
python3 bench/nf4_check.py --workdir .benchw > $OUT/r/nf4_check.txt 2>&1; tail -n 3 $OUT/r/nf4_check.txt
timeout 130 python3 bench/load_probe.py --workdir .benchw --gpus 2 --preset fast > $OUT/r/probe.txt 2>&1
grep '^{' $OUT/r/probe.txt | cut -c1-600
timeout 240 python3 bench/e2e.py --rows 2000 --out .benchw/e2k --workdir .benchw --runs fast:2:cold,fast:2:warm,fast:1:warm --budget 200 > $OUT/r/e2k.txt 2>&1
cp -r .benchw/e2k/*.log .benchw/e2k/*.json $OUT/r/ 2>/dev/null
grep -v "Loading weights\|Writing model" $OUT/r/e2k.txt | cut -c1-700 | tail -n 14
