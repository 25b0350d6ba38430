"""How long `import gemma_arena.ray_data` (torch, transformers and ours: what a Ray worker preloads) takes when
N fresh processes import it at once, as the CLI and the workers Ray starts ahead of a run do (issue 15, item 7).

    python bench/import_probe.py --counts 1,1,3,9

Each count starts that many `python -c "import ..."` processes together and prints the seconds each took, from its
own start to the end of its import; the first round fills the page and bytecode caches. Results belong in
bench/RESULTS.md.
"""
import argparse, json, subprocess, sys, time

CODE = "import time; t = time.time(); import {module}; print(time.time() - t)"


def together(n:int, module:str)->list[float]:
    "The import seconds of `n` processes started at once, sorted, then the seconds of the whole round."
    start = time.time()
    procs = [subprocess.Popen([sys.executable, "-c", CODE.format(module=module)], stdout=subprocess.PIPE, text=True)
             for _ in range(n)]
    seconds = sorted(round(float(p.communicate()[0]), 2) for p in procs)
    return seconds + [round(time.time() - start, 2)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--counts", default="1,1,3,9", help="processes at once, for each round")
    ap.add_argument("--module", default="gemma_arena.ray_data")
    args = ap.parse_args()
    for n in map(int, args.counts.split(",")):
        *each, wall = together(n, args.module)
        print(json.dumps(dict(processes=n, import_s=each, round_s=wall)), flush=True)


if __name__ == "__main__": main()
