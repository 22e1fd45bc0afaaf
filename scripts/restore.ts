// `npm run restore -- DIR`: puts a backup made by `npm run backup` back into the data directory.
// Stop the app first. What was in the data directory is kept in data/.before-restore-<time>/.
import { resolve } from "node:path";
import { restoreFrom } from "../db/backup";
import { dataDir } from "../db/paths";

const src = process.argv[2];
if (!src) {
  console.error("Usage: npm run restore -- DIR   (stop the app first)");
  process.exit(2);
}
try {
  const { manifest, setAside } = restoreFrom(resolve(src), dataDir());
  console.log(`Restored the backup of ${manifest.createdAt} into ${dataDir()} (${manifest.files.length} files).`);
  if (setAside) console.log(`The previous contents are kept in ${setAside}.`);
} catch (e) {
  console.error(`Restore failed, nothing changed: ${(e as Error).message}`);
  process.exit(1);
}
