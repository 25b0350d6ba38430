"""Where a run's first seconds go: the CLI's imports and set-up, then each forked worker's load, phase by phase.

    python bench/load_probe.py --workdir DIR --gpus 1,2 --preset fast

Builds (or reuses) the benchmark's weights under DIR (`e2e.prepare`), then for each GPU count starts a fresh process
(twice: the second finds the files in the page cache) that times, from its own start: its imports, the recipe, and
the fork of one worker per GPU; each worker times its CUDA start, its `Replica.load` (without the compile wrap, as a
worker loads) and then the wrap (`Replica.compiled`, which imports the compiler and counts as compile in the CLI's
line), and says whether PEFT and bitsandbytes got imported. The parent meanwhile times reading the rows, the
tokenizer and the weights' tag, as `predict_cmd` does. Each case is repeated with `PROBE_OVERLAP=1`, where each
worker imports bitsandbytes and the compiler in a thread beside its CUDA start and load. Prints one JSON line per
process, then a profile of one worker's load and the CLI's slowest imports.
"""
import json, os, subprocess, sys, time
from pathlib import Path

T0 = time.time()


def since(t0=None): return round(time.time() - (t0 or T0), 2)


def worker_load(device, replica, send):
    "A forked worker's start: CUDA, then `Replica.load` (weights, adapter, merge), then the compile wrap, timed."
    t, out = time.time(), {}
    def mark(name): nonlocal t; out[name] = round(time.time() - t, 2); t = time.time()
    import torch, threading
    if os.environ.get("PROBE_OVERLAP"):  # the imports `compile_layers` and a 4-bit load need, beside the load
        threading.Thread(target=lambda: (__import__("importlib").util.find_spec("bitsandbytes")
                                         and __import__("bitsandbytes"),
                                         torch.compile(torch.nn.Identity()))).start()
    if device.startswith("cuda"): torch.cuda.set_device(device)
    torch.zeros(1, device=device); mark("cuda")
    model = replica.load(device, compile=False)
    if device.startswith("cuda"): torch.cuda.synchronize()
    mark("load")
    replica.compiled(model); mark("compile_wrap")
    send.send(dict(device=device, **out, peft_imported="peft" in sys.modules,
                   bitsandbytes_imported="bitsandbytes" in sys.modules, at=since()))


def parent(args):
    "The CLI's start, its workers forked as it forks them, their loads and its own reading timed."
    marks = dict(python_start=round(T0 - float(os.environ["PROBE_T"]), 2))
    import torch; marks["import_torch"] = since()
    import transformers; marks["import_transformers"] = since()
    from gemma_arena import cli; marks["import_cli"] = since()
    import multiprocessing as mp
    gpus = int(args.gpus)
    devices = [f"cuda:{i}" if args.device == "cuda" else "cpu" for i in range(gpus)]
    torch.cuda.device_count(); marks["device_count"] = since()
    ns, replica = recipe(args, devices)
    cli.check_quant_possible(ns.base, None, devices[0]); marks["recipe"] = since()
    ctx = mp.get_context("fork")
    pipes = [ctx.Pipe(duplex=False) for _ in devices]
    procs = [ctx.Process(target=worker_load, args=(d, replica, s))
             for d, (_, s) in zip(devices, pipes)]
    for p in procs: p.start()
    marks["forked"] = since()
    cli.load_reported(ns); marks["rows_read"] = since()
    cli.load_tokenizer(ns.base); marks["tokenizer"] = since()
    cli.weights_tag(ns.base, ns.lora); marks["weights_tag"] = since()
    loads = [r.recv() for r, _ in pipes]
    for p in procs: p.join()
    print(json.dumps(dict(gpus=gpus, parent=marks, workers=loads)), flush=True)


def recipe(args, devices):
    "The parsed CLI arguments of the run, and its `Replica`."
    from gemma_arena import cli
    ns = cli.parser().parse_args(["predict", "--data", str(args.data), "--base", str(args.base), "--lora",
                                  str(args.lora), "--preset", args.preset, "--devices", ",".join(devices)])
    return ns, cli.run_recipe(ns, devices, ns.base, ns.lora, None)[1]


def profiled(args):
    "One worker's load in this process (CUDA started first), profiled."
    import cProfile, pstats, io
    dev = "cuda:0" if args.device == "cuda" else "cpu"
    import torch; torch.zeros(1, device=dev)
    replica = recipe(args, [dev])[1]
    class Sink:
        def send(self, x): print(json.dumps(x), flush=True)
    pr = cProfile.Profile(); pr.enable()
    worker_load(dev, replica, Sink())
    pr.disable(); s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(45); print(s.getvalue()[:9000])


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default="/tmp/ga-e2e")
    ap.add_argument("--gpus", default="1,2")
    ap.add_argument("--preset", default="fast")
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--role", default="main")
    ap.add_argument("--device", default="cuda", help="cpu: a tiny model, to check the harness")
    for k in ("data", "base", "lora"): ap.add_argument("--" + k)
    args = ap.parse_args()
    if args.role == "parent": return parent(args)
    if args.role == "profile": return profiled(args)
    sys.path.insert(0, str(Path(__file__).parent))
    from e2e import prepare
    work = Path(args.workdir)
    data, base, lora, _ = prepare(work / "probe", work, args.rows, args.device == "cpu")
    for gpus, overlap in [(g, o) for g in args.gpus.split(",") for o in ("", "1")]:
        for _ in range(2):  # the second run finds the files in the page cache
            cmd = [sys.executable, __file__, "--role", "parent", "--gpus", gpus, "--preset", args.preset,
                   "--device", args.device,
                   "--data", str(data), "--base", str(base), "--lora", str(lora)]
            print("overlap:", bool(overlap), flush=True)
            subprocess.run(cmd, env=dict(os.environ, PROBE_T=str(time.time()), PROBE_OVERLAP=overlap))
    subprocess.run([sys.executable, __file__, "--role", "profile", "--preset", args.preset,
                    "--device", args.device, "--data", str(data), "--base", str(base), "--lora", str(lora)])
    imp = subprocess.run([sys.executable, "-X", "importtime", "-c", "import gemma_arena.cli"],
                         capture_output=True, text=True).stderr.splitlines()
    cumulative = lambda l: int(l.split("|")[1]) if l.count("|") == 2 and l.split("|")[1].strip().isdigit() else -1
    print("\n".join(sorted(imp, key=cumulative, reverse=True)[:30]))


if __name__ == "__main__": main()
