# the committed code (held weights with the room measured for each layer): `seed` on 1 GPU, 300 rows, with and
# without holding; the session's last 335 s of device time.
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git log --oneline -1 | cut -c1-60; git status --short | head -5
mkdir -p .benchw/s300
timeout 200 python3 bench/e2e.py --rows 300 --out .benchw/s300 --workdir .benchw --budget 190 \
  --runs seed:1,seed:1:warm:nohold > .benchw/s300/e2e.txt 2>&1
tar czf $OUT/r.tgz --exclude='*.csv' --exclude='cache-*' --exclude='*.parts' -C .benchw s300
grep -v "Loading weights\|Writing model\|warn" .benchw/s300/e2e.txt | cut -c1-700 | tail -n 8
echo "elapsed $(( $(date +%s) - T0 )) s"
