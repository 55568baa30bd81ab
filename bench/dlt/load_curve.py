"""Loads the benchmark's load-curve CSV into DuckDB with dlt, then runs the model SQL.

The peer a data engineer would pick for this job: a dlt resource reading the provider's file
over HTTP, the duckdb destination, then the same aggregation as the terreze benchmark. Two
ways of writing the resource, both as dlt documents them:

  dicts  rows parsed with the csv module and yielded as dictionaries (dlt infers, normalises
         and loads them);
  arrow  the file read with pyarrow's streaming CSV reader, record batches yielded as they
         are (dlt's fast path for large tables).

Prints one JSON line with the duration of each step. Telemetry is switched off by the caller
(RUNTIME__DLTHUB_TELEMETRY=false): nothing may leave the machine.
"""

import argparse
import csv
import json
import os
import resource
import tempfile
import time

import dlt
import duckdb
import requests

ROWS_PER_PAGE = 10_000


def rows_as_dicts(url):
    with requests.get(url, stream=True, timeout=60) as response:
        response.raise_for_status()
        response.encoding = "utf-8"
        lines = response.iter_lines(chunk_size=1 << 20, decode_unicode=True)
        page = []
        for record in csv.DictReader(lines, delimiter=";"):
            value = record["valeur_w"].strip()
            page.append(
                {
                    "site_id": record["id_prm"].strip(),
                    "measured_at": record["horodate"].strip(),
                    "power_w": int(value) if value else None,
                }
            )
            if len(page) == ROWS_PER_PAGE:
                yield page
                page = []
        if page:
            yield page


def rows_as_arrow(url, work_dir):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = os.path.join(work_dir, "load-curve.csv")
    with requests.get(url, stream=True, timeout=60) as response:
        response.raise_for_status()
        with open(path, "wb") as file:
            for chunk in response.iter_content(chunk_size=1 << 20):
                file.write(chunk)
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=16 << 20),
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(
            column_types={"id_prm": pa.string(), "horodate": pa.string(), "valeur_w": pa.int32()}
        ),
    )
    for batch in reader:
        yield batch.rename_columns(["site_id", "measured_at", "power_w"])


MODEL_SQL = """
create table load_curve_monthly as
select site_id, substr(measured_at, 1, 7) as month, count(*) as readings,
    count(power_w) as measured_readings, sum(power_w) * 0.5 / 1000 as energy_kwh,
    max(power_w) as peak_w
from raw.load_curve group by all order by site_id, month
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--mode", choices=["dicts", "arrow"], required=True)
    parser.add_argument("--work", required=True)
    arguments = parser.parse_args()
    os.makedirs(arguments.work, exist_ok=True)
    database_file = os.path.join(arguments.work, "edition.duckdb")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=arguments.work) as download_dir:
        if arguments.mode == "dicts":
            data = rows_as_dicts(arguments.url)
        else:
            data = rows_as_arrow(arguments.url, download_dir)
        # Without the hint dlt types the ISO text as a UTC timestamp, losing the local month.
        source = dlt.resource(
            data,
            name="load_curve",
            write_disposition="replace",
            columns={"measured_at": {"data_type": "text"}},
        )
        pipeline = dlt.pipeline(
            pipeline_name=f"load_curve_{arguments.mode}",
            pipelines_dir=os.path.join(arguments.work, "pipelines"),
            destination=dlt.destinations.duckdb(database_file),
            dataset_name="raw",
        )
        pipeline.run(source)
    loaded = time.perf_counter()

    connection = duckdb.connect(database_file)
    connection.execute(MODEL_SQL)
    model_rows = connection.execute("select count(*) from load_curve_monthly").fetchone()[0]
    rows = connection.execute("select count(*) from raw.load_curve").fetchone()[0]
    connection.close()
    finished = time.perf_counter()

    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "mode": arguments.mode,
                "durationMs": (finished - started) * 1000,
                "stages": {
                    "dltExtractNormalizeLoad": (loaded - started) * 1000,
                    "model": (finished - loaded) * 1000,
                },
                "rows": rows,
                "modelRows": model_rows,
                "maxRssKb": usage.ru_maxrss,
                "dlt": dlt.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
