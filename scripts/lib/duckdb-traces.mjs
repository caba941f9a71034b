#!/usr/bin/env node
// The anchor for `traces`: what a user with a big NDJSON file does in DuckDB. One row per trace
// id with its line count, first and last time and error-line count, on 2 threads. Prints the
// number of traces and the wall time of the query. Run by scripts/bench.mjs as its own process,
// so its peak RSS is measured like ours. Usage: node scripts/lib/duckdb-traces.mjs <file.ndjson>
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) {
  console.error('usage: duckdb-traces.mjs <file.ndjson>');
  process.exit(2);
}
const started = process.hrtime.bigint();
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await db.connect();
// The bench file mixes pino (numeric `time`, ms; numeric `level`) and zap (float `ts`, s; string
// `level`) lines: columns are named so both read, as a user would write it for these logs.
const sql = `
  SELECT count(*) AS traces FROM (
    SELECT trace_id, count(*) AS lines,
           min(coalesce("time", ts * 1000)) AS first_ms, max(coalesce("time", ts * 1000)) AS last_ms,
           count(*) FILTER (WHERE "level" IN ('50', '60', 'error', 'fatal', 'dpanic', 'panic')) AS errors
    FROM read_json('${file.replaceAll("'", "''")}', format = 'newline_delimited', ignore_errors = true,
                   columns = {trace_id: 'VARCHAR', "time": 'DOUBLE', ts: 'DOUBLE', "level": 'VARCHAR'})
    WHERE trace_id IS NOT NULL
    GROUP BY trace_id
  )`;
const reader = await connection.runAndReadAll(sql);
const traces = Number(reader.getRows()[0][0]);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ traces, seconds }));
