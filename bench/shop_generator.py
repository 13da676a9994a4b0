"""A deterministic synthetic shop for benchmarks, built once per (size, seed, schema) and cached on disk.

Customers come from core.customers.sample_shop (names from many countries and scripts, valid phones, example.*
e-mails). Consent events, visits and profile answers are added in realistic proportions when the stores
for them exist in this version of the book. Data is prepared with the floor KDF cost so building is quick;
the unlock benchmark re-wraps a copy under production parameters before measuring.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.book import CustomerBook
from core.catalogue.edits import asking_only
from core.customers.sample_shop import generate_customers
from core.customers.store import validate_draft
from core.keys import vault
from core.keys.crypto import MIN_ITERATIONS, MIN_MEMORY_KIB, KdfParams
from core.shop.basics import ShopBasics
from core.storage.data_folder import DataFolder
from core.storage.vault_file import read_vault, write_vault

SEED = 20_240_601
PASSPHRASE = "bench passphrase for a made-up corner shop"
SHOP = ShopBasics(name="Bench Corner Shop", country="GB")
# Floor cost for preparing data: the benchmarks that care about the KDF re-wrap with production parameters.
PREP_KDF = KdfParams(memory_kib=MIN_MEMORY_KIB, iterations=MIN_ITERATIONS)
# Bump when what the generator writes changes, so stale caches are rebuilt.
GENERATOR_VERSION = 6  # 6: the shop asks a phone and an e-mail (its customers have both)
REPO = Path(__file__).resolve().parents[1]

Log = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


@dataclass(frozen=True)
class BenchShop:
    """A set-up, locked data folder with `size` customers, opened with PASSPHRASE."""

    folder: DataFolder
    size: int
    seed: int
    extras: dict[str, int]  # how many consent events, visits, profile answers… were written

    @property
    def passphrase(self) -> str:
        return PASSPHRASE


def default_cache_root() -> Path:
    configured = os.environ.get("COUNTERPART_BENCH_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "counterpart-bench"


def schema_key() -> str:
    """Changes whenever a migration, the sample generator or this module changes."""
    digest = hashlib.sha256(f"generator {GENERATOR_VERSION}".encode())
    versions = REPO / "core" / "storage" / "migrations" / "versions"
    sources = [*sorted(versions.glob("*.py")), REPO / "core" / "customers" / "sample_shop.py"]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def shop_folder(size: int, seed: int = SEED, cache_root: Path | None = None, log: Log = _quiet) -> BenchShop:
    """The cached shop for this size and seed, building it first if needed (minutes at 100,000)."""
    root = cache_root or default_cache_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"shop-{size}-{seed}-{schema_key()}"
    manifest = target / "bench-shop.json"
    if manifest.exists():
        extras = json.loads(manifest.read_text(encoding="utf-8"))["extras"]
        return BenchShop(DataFolder(target), size, seed, extras)
    log(f"building a {size:,}-customer shop in {target} (cached for later runs)…")
    started = time.perf_counter()
    building = Path(tempfile.mkdtemp(prefix=f".building-{size}-", dir=root))
    try:
        extras = build_shop(DataFolder(building / "data"), size, seed)
        (building / "data" / "bench-shop.json").write_text(json.dumps({"size": size, "extras": extras}), "utf-8")
        shutil.rmtree(target, ignore_errors=True)
        (building / "data").rename(target)
        for stale in root.glob(f"shop-{size}-{seed}-*"):  # the same shop under an older schema
            if stale != target:
                shutil.rmtree(stale, ignore_errors=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    log(f"built in {time.perf_counter() - started:.1f} s")
    return BenchShop(DataFolder(target), size, seed, extras)


def build_shop(folder: DataFolder, size: int, seed: int = SEED, batch: int = 5000) -> dict[str, int]:
    """Set up a book in `folder` and fill it; returns counts of the extra records written."""
    book = CustomerBook(folder)
    try:
        book.set_up(SHOP, PASSPHRASE, PREP_KDF)
        # The generated customers have e-mails, which a shop saves only when it asks for them (bench_save does).
        book.catalogue.save(asking_only(book.catalogue.current(), ["phone", "email"]), "Owner", "Phone and e-mail")
        drafts = generate_customers(size, seed)
        ids: list[str] = []
        while True:
            chunk = [draft for _, draft in zip(range(batch), drafts, strict=False)]
            if not chunk:
                break
            # Straight to the store: the search index is rebuilt at every unlock, so building it here is waste.
            validated = [validate_draft(draft, SHOP.phone_region) for draft in chunk]
            ids.extend(customer.id for customer in book.customers.add_many(validated))
        extras = add_ledger_data(book, ids, random.Random(seed + 1))
        # What the shop's first unlock on this version does once: checkpoint the consent map, so every
        # benchmark sees the steady state (core/consent/checkpoint.py).
        book.desk.load()
        return extras
    finally:
        book.close()


def add_ledger_data(book: CustomerBook, ids: list[str], rng: random.Random) -> dict[str, int]:
    """Consent events, visits and profile answers in shop-like proportions, for stores that exist."""
    from bench import ledger_data

    return ledger_data.fill(book, ids, rng)


def working_copy(shop: BenchShop, into: Path) -> DataFolder:
    """A private copy of the cached shop for benchmarks that write (saves, logs, backups, re-wraps)."""
    target = into / f"shop-{shop.size}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(shop.folder.root, target, ignore=shutil.ignore_patterns("counterpart.lock", "logs", "tmp"))
    return DataFolder(target)


def rewrap(folder: DataFolder, kdf: KdfParams) -> None:
    """Protect a copy's data key with `kdf` instead of the floor cost (a re-wrap: records are untouched)."""
    header = read_vault(folder.vault)
    keys = vault.open_with_passphrase(header, PASSPHRASE)
    try:
        write_vault(folder.vault, vault.with_new_passphrase(header, keys, PASSPHRASE, kdf), keys)
    finally:
        keys.clear()
