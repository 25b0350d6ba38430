"""Do processes agree on one pack, with Gemma-2 9B's shapes but few layers? A quick probe of the per-process
differences that calls 28 to 31 found (`bench/RESULTS.md`), without building the 9B checkpoint.

    python bench/det_probe.py --save DIR/NAME.npy [--layers 4] [--int8] [--algos off] [--tiny]

Builds a random classifier of Gemma-2 9B's layer shapes (seeded, so every process builds the same weights) with
`--layers` decoder layers, merged fp16 or int8 (`--int8`, as `fast-8bit`), flex attention; compiles its layers as a
worker does (`compile_layers`, which turns on inductor's and PyTorch's deterministic modes); `--algos off` turns
PyTorch's deterministic algorithms off again after that, as before commit 9bd0793. Then one pack of random rows
(fixed seed) of `--capacity` tokens; saves the probabilities and prints one JSON line (seconds, and whether
deterministic algorithms were on). Run it in several processes and compare the saved arrays; with
`TORCH_LOGS=output_code`, the compiled code of each setting can be compared too. `--tiny` checks it on the CPU.
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np, torch
from transformers import Gemma2ForSequenceClassification

sys.path.insert(0, str(Path(__file__).parent))
from twin_check import random_rows
from gemma_arena import packing
from gemma_arena.forward import forward_probs
from gemma_arena.model import gemma2_9b_config, merged_in, decoder_and_head, dtype_kwarg
from gemma_arena.recipes import Options
from gemma_arena.testing import tiny_config


def probe_model(layers:int, int8:bool, tiny:bool, device:str, dtype):
    "A seeded random classifier of the 9B's shapes (or tiny ones) with `layers` layers, merged as `fast` loads it."
    config = (tiny_config if tiny else gemma2_9b_config)(num_hidden_layers=layers, vocab_size=32000)
    config._attn_implementation = "flex_attention"
    torch.manual_seed(0)
    with torch.device(device):
        model = Gemma2ForSequenceClassification._from_config(config, **{dtype_kwarg(): torch.float32})
    for p in model.parameters(): p.data.mul_(0.5)  # a random model's activations stay finite in fp16 this way
    model = merged_in(model, {}, dtype, int8) if int8 else model.to(dtype)
    decoder_and_head(model)[1].float()
    return model.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--save", required=True)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--capacity", type=int, default=8192)
    ap.add_argument("--int8", action="store_true")
    ap.add_argument("--algos", choices=["on", "off"], default="on")
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args()
    device, dtype = ("cpu", torch.float32) if args.tiny else ("cuda:0", torch.float16)
    start = time.perf_counter()
    model = probe_model(args.layers, args.int8, args.tiny, device, dtype)
    packing.compile_layers(model)
    if args.algos == "off": torch.use_deterministic_algorithms(False)
    opts = Options(batch_size=None, pack=args.capacity, dtype="fp32" if args.tiny else "fp16")
    rows = random_rows(args.capacity, model.config.vocab_size)
    probs = [forward_probs(model, rows, device, opts, 0) for _ in range(2)]
    np.save(args.save, probs[0])
    print(json.dumps(dict(algos=torch.are_deterministic_algorithms_enabled(), int8=args.int8, layers=args.layers,
                          rows=len(rows), repeatable=bool(np.array_equal(*probs)), finite=bool(np.isfinite(probs[0]).all()),
                          seconds=round(time.perf_counter() - start, 1))), flush=True)


if __name__ == "__main__": main()
