"""How long `import gemma_arena.ray_data` (torch, transformers and ours: what a Ray worker preloads) takes when
N fresh processes import it at once, as the CLI and the workers Ray starts ahead of a run do (issue 15, item 7).

    python bench/import_probe.py --counts 1,1,3,9
    python bench/import_probe.py --after gemma_arena.cli --module bitsandbytes --counts 1,1,1 [--deferred]

Each count starts that many `python -c "import ..."` processes together and prints the seconds each took, from its
own start to the end of its import; the first round fills the page and bytecode caches. `--after` imports a module
before the clock starts (a forked worker has what the CLI imported); `--deferred` imports inside
`model.compile_deferred`, as a worker imports bitsandbytes. Results belong in bench/RESULTS.md.
"""
import argparse, json, subprocess, sys, time

def code(module:str, after:str|None=None, deferred:bool=False)->str:
    "The program of one process: import `after`, then time importing `module` (in `compile_deferred` if asked)."
    first = [f"import {after}"] if after else []
    if deferred: first.append("from gemma_arena.model import compile_deferred")
    timed = f"with compile_deferred(): import {module}" if deferred else f"import {module}"
    return "\n".join(["import time", *first, "t = time.time()", timed, "print(time.time() - t)"])


def together(n:int, program:str)->list[float]:
    "The import seconds of `n` processes started at once, sorted, then the seconds of the whole round."
    start = time.time()
    procs = [subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
             for _ in range(n)]
    seconds = sorted(round(float(p.communicate()[0]), 2) for p in procs)
    return seconds + [round(time.time() - start, 2)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--counts", default="1,1,3,9", help="processes at once, for each round")
    ap.add_argument("--module", default="gemma_arena.ray_data")
    ap.add_argument("--after", help="a module imported before the clock starts")
    ap.add_argument("--deferred", action="store_true", help="import inside `model.compile_deferred`")
    args = ap.parse_args()
    program = code(args.module, args.after, args.deferred)
    for n in map(int, args.counts.split(",")):
        *each, wall = together(n, program)
        print(json.dumps(dict(module=args.module, deferred=args.deferred, processes=n, import_s=each,
                              round_s=wall)), flush=True)


if __name__ == "__main__": main()
