"""What every benchmark gets: the sizes, smoke mode, cached shops, a private work folder and the KDF to use."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.shop_generator import PREP_KDF, BenchShop, shop_folder
from core.keys.crypto import KdfParams, calibrate_kdf


@dataclass
class Context:
    sizes: list[int]
    smoke: bool
    work: Path  # private temporary folder, removed after the run
    cache_root: Path | None = None
    notes: list[str] = field(default_factory=list)
    _shops: dict[int, BenchShop] = field(default_factory=dict)
    _kdf: KdfParams | None = None

    def log(self, message: str) -> None:
        print(f"  · {message}", file=sys.stderr, flush=True)

    def shop(self, size: int) -> BenchShop:
        if size not in self._shops:
            self._shops[size] = shop_folder(size, cache_root=self.cache_root, log=self.log)
        return self._shops[size]

    def repeats(self, normal: int, smoke: int = 1) -> int:
        return smoke if self.smoke else normal

    @property
    def largest(self) -> int:
        return max(self.sizes)

    def production_kdf(self) -> KdfParams:
        """The parameters a real set-up would choose on this machine (the floor in smoke mode, to stay quick)."""
        if self._kdf is None:
            self._kdf = PREP_KDF if self.smoke else calibrate_kdf()
            self.log(
                f"KDF for unlock: Argon2id m={self._kdf.memory_kib // 1024} MiB t={self._kdf.iterations} "
                f"p={self._kdf.lanes}"
            )
        return self._kdf
