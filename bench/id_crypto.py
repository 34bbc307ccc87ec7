#!/usr/bin/env python
"""Time the two ID-number suites: AES-256-GCM + HMAC-SHA256 and SM4-GCM + HMAC-SM3 (国密).

    python bench/id_crypto.py [--n 50000]

Prints µs per encrypt, decrypt and lookup hash for each suite, the SM4/AES ratio, and what one
city-wide pass (681,000 members: a rotation or a full import) costs in CPU under each.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_union.settings")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402

from members import crypto  # noqa: E402

CITY = 681_000
SUITES = {
    "AES-256-GCM + HMAC-SHA256": (crypto.AES256GCM, crypto.HMAC_SHA256),
    "SM4-GCM + HMAC-SM3": (crypto.SM4GCM, crypto.HMAC_SM3),
}


def _per_call_us(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / len(items) * 1e6


def measure(algorithm: str, hash_algorithm: str, n: int) -> dict[str, float]:
    numbers = [f"330502{19700101 + i % 9000:08d}{i % 1000:03d}X"[:18] for i in range(n)]
    hash_key = crypto.new_hash_key(hash_algorithm)
    with override_settings(MEMBER_ID_KEYS=[crypto.new_key("b1", algorithm)]):
        crypto.encrypt_id_number(numbers[0])  # warm the key ring cache
        sealed = [crypto.encrypt_id_number(x) for x in numbers]
        return {
            "encrypt": _per_call_us(crypto.encrypt_id_number, numbers),
            "decrypt": _per_call_us(crypto.decrypt_id_number, sealed),
            "hash": _per_call_us(lambda x: crypto.hash_id_number(x, hash_key), numbers),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000, help="numbers per measurement")
    args = parser.parse_args()
    results = {name: measure(*suite, args.n) for name, suite in SUITES.items()}
    print(f"{'suite':<28}{'encrypt µs':>12}{'decrypt µs':>12}{'hash µs':>10}{'city pass s':>13}")
    for name, r in results.items():
        city = (r["decrypt"] + r["encrypt"] + r["hash"]) * CITY / 1e6
        print(
            f"{name:<28}{r['encrypt']:>12.2f}{r['decrypt']:>12.2f}{r['hash']:>10.2f}{city:>13.1f}"
        )
    aes, sm4 = results.values()
    print(
        "SM4/AES ratio: "
        + ", ".join(f"{op} {sm4[op] / aes[op]:.2f}x" for op in ("encrypt", "decrypt", "hash"))
    )


if __name__ == "__main__":
    main()
