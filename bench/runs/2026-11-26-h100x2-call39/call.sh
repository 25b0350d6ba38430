# issue 15 item 7: do fresh processes importing torch and transformers at once slow each other? (no weights)
T0=$(date +%s)
[ -d /tmp/site/ray ] || { mkdir -p /tmp/site && tar xJf .whl/dev/site.tar.xz -C /tmp/site; }
export PYTHONPATH=/tmp/site:$PWD/.whl/dev/py:$PWD PYTHONUNBUFFERED=1
unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=/tmp/pyc
git status --short | head -5; nproc
python3 bench/import_probe.py --counts 1,1,3,9,1 2>&1 | tee $OUT/probe.txt
python3 bench/import_probe.py --module torch --counts 1,9 2>&1 | tee -a $OUT/probe.txt
python3 bench/import_probe.py --module "transformers.models.gemma2.modeling_gemma2" --counts 1,9 2>&1 | tee -a $OUT/probe.txt
echo "elapsed $(( $(date +%s) - T0 )) s"
