#!/usr/bin/env python3
"""A large signature database for the bench's realistic profile, generated from a seed (issue 23).

clamd's cost per scan grows with its database: with the project's EICAR-only test signatures a 4 KiB scan costs
clamd about a third of what it costs with a production-sized one, which makes the worker's share look larger than it
is. Nothing is downloaded (the machine has no internet and the official databases are not ours to ship) and nothing
can match a real file: every body signature is 20 random bytes, every hash a random MD5.

    python3 bench/synthetic_signatures.py SEED DIR [BODY_COUNT] [HASH_COUNT]
writes DIR/synthetic.ndb (BODY_COUNT body signatures, default 200,000) and DIR/synthetic.hdb (HASH_COUNT MD5 hash
signatures, default 1,500,000, sizes spread over 1 byte to 8 MiB as real hash databases are). The same seed gives
the same files.
"""
import random
import sys


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    seed, out = sys.argv[1], sys.argv[2]
    bodies = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
    hashes = int(sys.argv[4]) if len(sys.argv) > 4 else 1_500_000
    rng = random.Random(seed)
    with open(f"{out}/synthetic.ndb", "w", encoding="ascii") as ndb:
        for i in range(bodies):
            ndb.write(f"ScanWorker.Bench.Synthetic-Body-{i}:0:*:{rng.getrandbits(160):040x}\n")
    with open(f"{out}/synthetic.hdb", "w", encoding="ascii") as hdb:
        for i in range(hashes):
            hdb.write(f"{rng.getrandbits(128):032x}:{rng.randint(1, 8 << 20)}:ScanWorker.Bench.Synthetic-Hash-{i}\n")


if __name__ == "__main__":
    main()
