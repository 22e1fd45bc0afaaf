import { resolve } from "node:path";

/** Everything the app writes lives under one folder: TABLERO_DATA_DIR, default ./data. */
export function dataDir(): string {
  return resolve(process.env.TABLERO_DATA_DIR ?? "data");
}
export function dbFile(): string {
  return resolve(dataDir(), "tablero.db");
}
export function imageDir(): string {
  return resolve(dataDir(), "images");
}
