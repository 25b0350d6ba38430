"""How `nf4_sample.safetensors` was made: `python tests/data/make_nf4_sample.py` (needs bitsandbytes and a CUDA GPU).

Three weights quantized by bitsandbytes to NF4 with double quantization, in the packed form a 4-bit checkpoint saved
by transformers holds (`QuantState.as_dict(packed=True)`, under the weight's name), and beside each, under
`<name>.expected`, what bitsandbytes' CUDA `dequantize_4bit` gives back: `model.nf4_dequantized` must give the
same to the bit. (bitsandbytes 0.50's CPU kernel gives other numbers for a bf16 weight; its reference PyTorch code
agrees with CUDA's.) The weights cover fp16 and bf16 sources and sizes that leave a block half full.
"""
from pathlib import Path
import torch, bitsandbytes, bitsandbytes.functional as bnbf
from safetensors.torch import save_file

g, gpu = torch.Generator().manual_seed(0), "cuda"
weights = {"fp16.weight": torch.randn(48, 70, generator=g).half(),  # 3,360 weights: the last block is half full
           "bf16.weight": (torch.randn(32, 96, generator=g) * torch.linspace(0.01, 9, 96)).bfloat16(),
           "big.weight": torch.randn(40, 1024, generator=g).half() * 3}  # 160 blocks: a nested block and a part
state = {"bitsandbytes_version": torch.tensor(list(bitsandbytes.__version__.encode()), dtype=torch.uint8)}
for name, w in weights.items():
    packed, quant_state = bnbf.quantize_4bit(w.to(gpu), blocksize=64, quant_type="nf4", compress_statistics=True)
    state[name] = packed
    state.update({f"{name}.{k}": v for k, v in quant_state.as_dict(packed=True).items()})
    state[f"{name}.expected"] = bnbf.dequantize_4bit(packed, quant_state)
save_file({k: v.contiguous().cpu() for k, v in state.items()}, Path(__file__).parent / "nf4_sample.safetensors")
