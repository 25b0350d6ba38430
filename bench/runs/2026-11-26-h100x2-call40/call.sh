# issue 15 item 7: when do Ray's early workers finish their preload, by what the driver does meanwhile (no weights)
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
chmod +x /tmp/site/ray/core/src/ray/gcs/gcs_server /tmp/site/ray/core/src/ray/raylet/raylet
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git status --short | head -5
for d in thread idle imports thread idle imports thread; do
  timeout 90 python3 bench/ray_start_probe.py --driver $d 2>>$OUT/stderr.txt | tee -a $OUT/probe.txt
done
echo "elapsed $(( $(date +%s) - T0 )) s"
