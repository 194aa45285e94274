/**
 * The request-log writer thread (SQLite): receives batches of rows from the gateway's event loop
 * and writes them, with their usage rollups, in one transaction each — so the writing (and
 * SQLite's checkpoints) never takes time from requests. Answers each batch with ok or an error
 * message; the sink in the main thread keeps and retries what failed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/db/connection.js';
import { unpackRows, type WireValue } from './log-row-wire.js';
import { UsageWriter } from './usage-writer.js';

interface Job {
  id: number;
  /** rows packed by packRows */
  values: WireValue[];
}

const { databaseUrl } = workerData as { databaseUrl: string };
const handle = openDatabase(databaseUrl);
const writer = new UsageWriter(handle.db, 'sqlite', handle.sqlite);
const port = parentPort!;

port.on('message', (msg: Job | 'close') => {
  if (msg === 'close') {
    void handle.close().finally(() => port.close());
    return;
  }
  let rows;
  try {
    rows = unpackRows(msg.values);
  } catch (err) {
    port.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    return;
  }
  writer.insertMany(rows).then(
    () => port.postMessage({ id: msg.id, ok: true }),
    (err: unknown) => port.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
